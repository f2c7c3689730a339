import type { KodaConfig } from '../config/koda-config';

/** Where a service's Redis is: one server (or Sentinel) by URL, or a Redis Cluster by its seed nodes. */
export interface RedisTarget {
  url: string;
  /** Seed nodes (`host:port`) of a Redis Cluster; absent for a single Redis. */
  clusterNodes?: string[];
}

/** The Redis a configuration points at (`KODA_REDIS_CLUSTER_NODES` wins over `REDIS_URL`). */
export function redisTarget(config: Pick<KodaConfig, 'REDIS_URL' | 'KODA_REDIS_CLUSTER_NODES'>): RedisTarget {
  const nodes = parseClusterNodes(config.KODA_REDIS_CLUSTER_NODES);
  return nodes.length > 0 ? { url: config.REDIS_URL, clusterNodes: nodes } : { url: config.REDIS_URL };
}

export function parseClusterNodes(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
}

export function isCluster(config: Pick<KodaConfig, 'KODA_REDIS_CLUSTER_NODES'>): boolean {
  return parseClusterNodes(config.KODA_REDIS_CLUSTER_NODES).length > 0;
}

/**
 * The BullMQ prefix of KODA's queues. BullMQ's scripts touch many keys of a queue at once, so
 * on a cluster its keys must share a hash tag (BullMQ's documented way: a prefix in braces).
 * One tag for all of KODA's queues, not one per queue: KODA's runs no longer use flows (the
 * agent ends its run itself), but a shared tag keeps jobs queued before that upgrade findable
 * and leaves room for flows across queues, whose scripts must find both queues in one slot. A single Redis keeps the plain
 * prefix, so jobs queued before an upgrade are still found.
 */
export function queuePrefix(config: Pick<KodaConfig, 'KODA_PREFIX' | 'KODA_REDIS_CLUSTER_NODES'>): string {
  return queuePrefixOf(config.KODA_PREFIX, isCluster(config));
}

/** `queuePrefix` for code that holds a connection rather than the config (a `Cluster` says it is one). */
export function queuePrefixOf(prefix: string, cluster: boolean): string {
  return cluster ? `{${prefix}:queues}` : prefix;
}
