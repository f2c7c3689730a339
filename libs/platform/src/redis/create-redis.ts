import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { Backoff } from './backoff';
import type { RedisTarget } from './redis-target';

export interface CreateRedisOptions extends RedisOptions {
  /**
   * Where the connection's `error` events go. With a logger, the connection logs once when it
   * starts failing and once when it is back (never one line per failed reconnection), and
   * ioredis never prints its own "Unhandled error event" lines.
   */
  logger?: Logger;
  /** On a cluster: one subscriber connection per master, for sharded pub/sub (`SSUBSCRIBE`). */
  shardedSubscribers?: boolean;
}

/**
 * A named Redis connection. `maxRetriesPerRequest: null` because BullMQ workers and stream
 * readers block; the name shows up in `CLIENT LIST`, so a connection's owner is always known.
 * Reconnections back off exponentially (50 ms to 2 s, jittered).
 *
 * A target with cluster nodes gets an ioredis `Cluster` (one connection per node, following
 * MOVED/ASK and resharding by itself), typed as `Redis`: it answers the same commands, and
 * every multi-key command KODA sends keeps to one hash slot (see keys.ts and `queuePrefix`).
 */
export function createRedis(target: string | RedisTarget, name: string, options: CreateRedisOptions = {}): Redis {
  const { logger, shardedSubscribers = false, ...redisOptions } = options;
  const reconnect = new Backoff({ initialMs: 50, maxMs: 2000 });
  const connection: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    retryStrategy: () => reconnect.fail(),
    ...redisOptions,
  };
  const redis =
    typeof target !== 'string' && target.clusterNodes?.length
      ? createCluster(target.clusterNodes, connection, reconnect, shardedSubscribers)
      : new Redis(typeof target === 'string' ? target : target.url, connection);
  redis.on('ready', () => reconnect.succeed());
  if (logger) logConnectionState(redis, name, logger);
  return redis;
}

function createCluster(nodes: string[], redisOptions: RedisOptions, reconnect: Backoff, shardedSubscribers: boolean): Redis {
  const seeds = nodes.map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) }));
  const cluster = new Cluster(seeds, {
    redisOptions,
    // Not the cluster's own ready check: while the cluster is down (a master failed and not yet
    // replaced) it drops every connection on each reconnection, and BullMQ workers that lived
    // through that never fetched a job again. Commands wait and retry instead (below); each
    // node connection still has its own ready check.
    enableReadyCheck: false,
    maxRedirections: 32,
    // While a slot moves or a master fails over, commands wait and retry instead of failing.
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 100,
    retryDelayOnFailover: 200,
    clusterRetryStrategy: () => reconnect.fail(),
    shardedSubscribers,
  });
  return cluster as unknown as Redis;
}

/** Logs state changes of a connection (failing, back), as JSON, once each. */
function logConnectionState(redis: Redis, name: string, logger: Logger): void {
  let errors = 0;
  redis.on('error', (error: Error) => {
    errors += 1;
    if (errors === 1) logger.warn({ redis: name, err: error }, 'redis connection failing; retrying with backoff');
  });
  redis.on('ready', () => {
    if (errors > 0) logger.info({ redis: name, errors }, 'redis connection back');
    errors = 0;
  });
}
