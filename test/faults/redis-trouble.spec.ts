import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { agentJob, keys, LOCAL_USER, type CompleteEvent } from '@koda/contracts';
import { startPrivateRedis } from '@koda/platform';
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
      await stack.redis.set(keys.sessionLog(stack.config.KODA_PREFIX, LOCAL_USER, sessionId), 'not a stream');
      const startedAt = Date.now();
      // `auto`: the route job reads the session (for a mode that names its agent, the gateway does).
      const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'auto', session_id: sessionId });
      const elapsed = Date.now() - startedAt;
      expect(expectWellFormedRun(result)).toMatchObject({
        type: 'error',
        fatal: true,
        code: 'internal',
        message: expect.stringMatching(/could not be routed: WRONGTYPE/),
      });
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
      await waitFor(
        'the worker to stop its attempt',
        () => worker.logs.find((l) => l.msg === 'attempt stopped; writing nothing more' && l.run_id === runId),
        10_000,
      );
      await waitFor('the agent job to be done', () => worker.logs.some((l) => l.job === 'plume-answer' && l.run_id === runId && l.msg === 'job done'));
      expect(await stack.redis.exists(keys.runEvents(stack.config.KODA_PREFIX, runId))).toBe(0);
      // Every key of the run shares its hash tag: list them by it.
      const runKeys = await stack.redis.keys(keys.runEvents(stack.config.KODA_PREFIX, runId).replace(/:events$/, ':*'));
      expect(runKeys.length).toBeGreaterThan(0);
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
        if (frame.event?.type === 'token' && !restarted)
          restarted = redis
            .stop()
            .then(() => sleep(300))
            .then(() => redis.start());
        return false;
      }).catch(() => null);
      await (restarted as Promise<void> | null);
      const { events, ids } = await readRunToEnd(
        stack.baseUrl,
        first ?? { events: [], ids: [], done: false, frames: [], status: 0, headers: new Headers(), raw: '' },
        runId,
      );
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

  it('a worker on a Redis out of memory backs off and logs the failure once, then recovers and works', async () => {
    const redis = await startPrivateRedis();
    const admin = new Redis(redis.url);
    const prefix = 'faults-oom';
    const queueConnection = admin.duplicate();
    const queue = new Queue(agentJob('plume').queue, { connection: queueConnection, prefix });
    try {
      const now = Date.now();
      const run = { run_id: 'oom-run', session_id: 'oom-session', message: 'Bonjour', mode: 'plume', accepted_at: now, deadline_at: now + 60_000 };
      await admin
        .multi()
        .xadd(keys.runEvents(prefix, run.run_id), '*', 'e', JSON.stringify({ type: 'start', ...run, timestamp: new Date().toISOString() }))
        .expire(keys.runEvents(prefix, run.run_id), 600)
        .exec();
      await queue.add(
        agentJob('plume').job,
        { ...run, history: [], routing: { intent: 'restitution', confidence: 1, node: 'plume', classifier: 'test' } },
        { jobId: run.run_id },
      );
      await admin.config('SET', 'maxmemory', '1');
      const worker = spawnService('plume', { REDIS_URL: redis.url, KODA_PREFIX: prefix });
      processes.push(worker);
      await sleep(4000);
      const failing = worker.logs.filter((l) => l.level === 'error' || l.level === 'warn');
      expect(failing.length).toBeGreaterThanOrEqual(1);
      expect(failing.length).toBeLessThanOrEqual(3);
      await admin.config('SET', 'maxmemory', '0');
      await waitFor('the job to run once Redis has room again', () => worker.logs.some((l) => l.msg === 'job done' && l.run_id === run.run_id), 20_000);
      expect(worker.logs.some((l) => l.msg === 'worker recovered')).toBe(true);
      expect(worker.logs.filter((l) => 'notJson' in l || 'stderr' in l)).toEqual([]);
      const types = (await admin.xrange(keys.runEvents(prefix, run.run_id), '-', '+')).map(([, f]) => JSON.parse(f[1]).type);
      expect(types).toEqual(['start', 'processing', 'token', ...types.slice(3)]);
    } finally {
      await queue.close();
      queueConnection.disconnect();
      admin.disconnect();
      await redis.stop();
    }
  });

  it('a token write refused mid-answer (Redis full for a moment) fails that node cleanly: the process lives, the run ends right', async () => {
    const redis = await startPrivateRedis();
    const admin = new Redis(redis.url);
    const stack = await startStack('faults-full', { orchestrator: false, agents: [], config: { REDIS_URL: redis.url } });
    try {
      const start = servicesOf(stack, processes);
      start('orchestrator');
      const worker = start('plume');
      await waitForWorker(stack.baseUrl, 'agent-plume');
      let filled: Promise<unknown> | null = null;
      const result = await streamRun(stack.baseUrl, { message: LONG, mode: 'plume' }, (frame) => {
        if (frame.event?.type === 'token' && !filled) {
          filled = admin
            .config('SET', 'maxmemory', '1')
            .then(() => sleep(1500))
            .then(() => admin.config('SET', 'maxmemory', '0'));
        }
        return false;
      });
      await (filled as Promise<unknown> | null);
      const end = expectWellFormedRun(result);
      if (end.type === 'complete') expectExactAnswerFromCurrentAttempt(result.events, end);
      else expect(end).toMatchObject({ type: 'error', fatal: true });
      expect(worker.child.exitCode).toBeNull();
      expect(worker.logs.some((l) => l.msg === 'node failed; ending the run' || l.msg === 'job threw')).toBe(true);
      expect(worker.logs.filter((l) => 'notJson' in l || 'stderr' in l)).toEqual([]);
    } finally {
      await admin.config('SET', 'maxmemory', '0').catch(() => undefined);
      admin.disconnect();
      await stack.close().catch(() => undefined);
      await redis.stop();
    }
  });
});
