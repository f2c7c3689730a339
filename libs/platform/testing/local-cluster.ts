import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'redis-cluster.sh');

/** A throwaway local Redis Cluster started by scripts/redis-cluster.sh. */
export interface LocalCluster {
  /** Seed list, `host:port,…` (what KODA_REDIS_CLUSTER_NODES takes). */
  nodes: string;
  dir: string;
  stop(): void;
}

/** Starts 3 masters (and `replicas` replicas each) on free ports, in a folder of its own. */
export function startLocalCluster(replicas = 0): LocalCluster {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'koda-cluster-'));
  fs.rmSync(dir, { recursive: true, force: true });
  const nodes = execFileSync('bash', [SCRIPT, 'start', dir], { env: { ...process.env, REPLICAS: String(replicas) }, encoding: 'utf8' }).trim();
  const stop = () => void execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore' });
  return { nodes, dir, stop };
}
