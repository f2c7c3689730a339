import { startLocalCluster, type LocalCluster } from '../../libs/platform/testing/local-cluster';

/**
 * `npm run test:cluster`: one throwaway 3-master cluster (one replica each, for the failover
 * test) for every suite; suites isolate themselves by key prefix, as on a single Redis.
 * `KODA_TEST_CLUSTER_NODES` set: that cluster is used instead.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.KODA_TEST_CLUSTER_NODES) {
    const cluster = startLocalCluster(1);
    process.env.KODA_TEST_CLUSTER_NODES = cluster.nodes;
    (globalThis as { __kodaCluster?: LocalCluster }).__kodaCluster = cluster;
  }
  process.env.KODA_REDIS_CLUSTER_NODES = process.env.KODA_TEST_CLUSTER_NODES;
}
