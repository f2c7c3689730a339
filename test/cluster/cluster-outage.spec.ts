import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expectWellFormedRun, startStack, streamRun, type KodaStack } from '@koda/testing';
import { startLocalCluster, type LocalCluster } from '../../libs/platform/testing/local-cluster';
import { sleep, spawnService, waitFor, waitForWorker, type ServiceProcess } from '../faults/support/processes';

/**
 * A master frozen past the cluster's node timeout: the other masters mark it failed and the
 * whole cluster answers CLUSTERDOWN until it is back. Workers must neither log a storm of errors
 * nor stay idle afterwards. (They did stay idle: ioredis's cluster ready check dropped every
 * connection while the cluster was down, and BullMQ's workers never fetched again; see
 * create-redis.ts.) A cluster of its own: freezing a master of the shared one would disturb the
 * other suites.
 */
describe('a Redis Cluster outage seen by the workers', () => {
  let cluster: LocalCluster;
  let stack: KodaStack;
  let frozenPid = 0;
  const processes: ServiceProcess[] = [];
  const clusterState = (port: string) => execFileSync('redis-cli', ['-p', port, 'cluster', 'info'], { encoding: 'utf8' }).match(/cluster_state:(\w+)/)?.[1];

  beforeAll(async () => {
    cluster = startLocalCluster(0);
    stack = await startStack('cluster-outage', { orchestrator: false, agents: [], config: { KODA_REDIS_CLUSTER_NODES: cluster.nodes } });
  });
  afterAll(async () => {
    processes.forEach((p) => p.kill('SIGKILL'));
    if (frozenPid) process.kill(frozenPid, 'SIGCONT');
    await stack?.close();
    cluster?.stop();
  });

  it('keeps quiet while the cluster is down, then works again', async () => {
    const env = { KODA_REDIS_CLUSTER_NODES: cluster.nodes, KODA_PREFIX: stack.config.KODA_PREFIX };
    const workers = (['orchestrator', 'plume'] as const).map((name) => spawnService(name, env));
    processes.push(...workers);
    await waitForWorker(stack.baseUrl, 'orchestrator');
    await waitForWorker(stack.baseUrl, 'agent-plume');
    const [healthyPort, frozenPort] = cluster.nodes.split(',').map((node) => node.split(':')[1]);
    const problems = () => workers.reduce((n, w) => n + w.logs.filter((l) => l.level === 'error' || l.level === 'warn' || 'stderr' in l).length, 0);
    const before = problems();

    frozenPid = Number(fs.readFileSync(path.join(cluster.dir, `redis-${frozenPort}.pid`), 'utf8'));
    process.kill(frozenPid, 'SIGSTOP');
    await waitFor('the cluster to be down', () => clusterState(healthyPort) === 'fail', 15_000);
    await sleep(8000);
    process.kill(frozenPid, 'SIGCONT');
    frozenPid = 0;
    // State changes at most, not one line per failed command.
    expect(problems() - before).toBeLessThanOrEqual(20);

    await waitFor('the cluster to be back', () => clusterState(healthyPort) === 'ok', 15_000);
    const stuck = sleep(30_000).then(() => Promise.reject(new Error('no run completed within 30 s of the cluster coming back: the workers are stuck')));
    const result = await Promise.race([streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' }), stuck]);
    expect(expectWellFormedRun(result).type).toBe('complete');
    for (const w of workers) expect(w.child.exitCode).toBeNull();
  }, 120_000);
});
