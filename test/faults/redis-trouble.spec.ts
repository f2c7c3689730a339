import Redis from 'ioredis';
import { keys, type CompleteEvent } from '@koda/contracts';
import { deleteKeys, expectIdsStrictlyIncreasing, expectWellFormedRun, startStack, streamRun, type KodaStack } from '../support';
import { RestartableRedis, sleep, spawnService, waitFor, waitForWorker, type ServiceName, type ServiceProcess } from './support/processes';
import { expectExactAnswerFromCurrentAttempt, readRunToEnd, terminals } from './support/run-checks';

const LONG = 'Écris un long paragraphe sur les phares de Bretagne';

/** Orchestrator and agents as child processes on the stack's Redis and prefix. */
function servicesOf(stack: KodaStack, processes: ServiceProcess[]) {
  return (name: ServiceName, env: Record<string, string | number> = {}) => {
    const service = spawnService(name, { REDIS_URL: stack.config.REDIS_URL, KODA_PREFIX: stack.config.KODA_PREFIX, KODA_OFFLINE_TOKEN_DELAY_MS: 25, ...env });
    processes.push(service);
    return service;
  };
}

describe('faults: Redis trouble seen by the workers', () => {
  const processes: ServiceProcess[] = [];
  afterEach(() => processes.splice(0).forEach((p) => p.kill('SIGKILL')));

  it('a route job that fails every attempt ends the run at once with a fatal error (not at the deadline)', async () => {
    const stack = await startStack('faults-route', { orchestrator: false, agents: [], config: { KODA_RUN_TIMEOUT_MS: 30_000 } });
    try {
      const start = servicesOf(stack, processes);
      start('orchestrator');
      start('plume');
      await waitForWorker(stack.baseUrl, 'orchestrator');
      // A session key of the wrong type: folding the session fails on every attempt.
      const sessionId = 'broken-session';
      await stack.redis.set(keys.sessionLog(stack.config.KODA_PREFIX, sessionId), 'not a stream');
      const startedAt = Date.now();
      const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume', session_id: sessionId });
      const elapsed = Date.now() - startedAt;
      expect(expectWellFormedRun(result)).toMatchObject({ type: 'error', fatal: true, code: 'internal', message: expect.stringMatching(/could not be routed: WRONGTYPE/) });
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      await stack.close();
    }
  });

  it('the run log deleted mid-run: no key is re-created without expiry, the worker stops, the run ends', async () => {
    const stack = await startStack('faults-deleted', { orchestrator: false, agents: [] });
    try {
      const start = servicesOf(stack, processes);
      start('orchestrator');
      const worker = start('plume');
      await waitForWorker(stack.baseUrl, 'agent-plume');
      let runId = '';
      await streamRun(stack.baseUrl, { message: LONG, mode: 'plume' }, (frame) => {
        if (frame.event?.type === 'token') {
          runId = frame.event.run_id;
          return true;
        }
        return false;
      });
      await stack.redis.del(keys.runEvents(stack.config.KODA_PREFIX, runId));
      await waitFor('the worker to stop its attempt', () => worker.logs.find((l) => l.msg === 'attempt stopped; writing nothing more' && l.run_id === runId), 10_000);
      await waitFor('the finalize job to end the run', () => worker.logs.length > 0 && stack.redis.exists(`${stack.config.KODA_PREFIX}:orchestrator:${runId}-finalize`).then((n) => n === 1));
      await sleep(500);
      expect(await stack.redis.exists(keys.runEvents(stack.config.KODA_PREFIX, runId))).toBe(0);
      const runKeys = await stack.redis.keys(`${stack.config.KODA_PREFIX}:run:{${runId}}:*`);
      for (const key of runKeys) expect(await stack.redis.pttl(key)).toBeGreaterThan(0);
      expect(worker.logs.find((l) => l.msg === 'attempt stopped; writing nothing more' && l.run_id === runId)).toMatchObject({ reason: 'missing' });
    } finally {
      await stack.close();
    }
  });

  it('Redis restarted mid-run (AOF, appendfsync always): the stream completes or resumes exactly', async () => {
    const redis = await RestartableRedis.start();
    const stack = await startStack('faults-restart', { orchestrator: false, agents: [], config: { REDIS_URL: redis.url } });
    const probe = new Redis(redis.url, { maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    try {
      const start = servicesOf(stack, processes);
      const workers = [start('orchestrator'), start('plume')];
      await waitForWorker(stack.baseUrl, 'agent-plume');
      let restarted: Promise<void> | null = null;
      let runId = '';
      const first = await streamRun(stack.baseUrl, { message: LONG, mode: 'plume' }, (frame) => {
        if (frame.event?.type === 'start') runId = frame.event.run_id;
        if (frame.event?.type === 'token' && !restarted) restarted = redis.stop().then(() => sleep(300)).then(() => redis.start());
        return false;
      }).catch(() => null);
      await restarted;
      const { events, ids } = await readRunToEnd(stack.baseUrl, first ?? { events: [], ids: [], done: false, frames: [], status: 0, headers: new Headers(), raw: '' }, runId);
      expectIdsStrictlyIncreasing(ids);
      const ends = terminals(events);
      expect(ends).toHaveLength(1);
      expect(ends[0].type).toBe('complete');
      expectExactAnswerFromCurrentAttempt(events, ends[0] as CompleteEvent);
      for (const w of workers) expect(w.logs.filter((l) => 'notJson' in l || 'stderr' in l)).toEqual([]);
    } finally {
      await deleteKeys(probe, stack.config.KODA_PREFIX).catch(() => undefined);
      probe.disconnect();
      await stack.close().catch(() => undefined);
      await redis.destroy();
    }
  });
});
