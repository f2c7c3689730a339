import { keys, LOCAL_USER, streamEntryJson, type RunContext } from '@koda/contracts';
import { completeRun, createRedis, failRun, readSession, RunEventLog } from '@koda/platform';
import { deleteKeys, uniquePrefix } from '@koda/testing';
import { ClusterAdmin } from './support/cluster-admin';

/**
 * Finishing a run on a Redis Cluster: the terminal event lives in the run's slot, the session
 * log in the session's, on another master here. Exactly one terminal event and one session
 * append, whoever finishes and however often, and a finisher that dies between the two steps
 * leaves nothing lost.
 */
describe('finishing a run whose session lives on another master', () => {
  const seeds = process.env.KODA_REDIS_CLUSTER_NODES!;
  const admin = new ClusterAdmin(seeds);
  const prefix = uniquePrefix('finish');
  const redis = createRedis({ url: '', clusterNodes: seeds.split(',') }, `${prefix}:test`);
  const log = new RunEventLog(redis, prefix, 60);
  const outcome = { response: 'answer', agent_used: 'plume' as const, tokens_used: 3, input_tokens: 1, output_tokens: 2, cost_eur: 0, metadata: {} };
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  /** A run and a session id whose keys are served by two different masters. */
  async function runAcrossMasters(name: string): Promise<RunContext> {
    const runId = `${name}-run`;
    const runMaster = await admin.masterOf(keys.runEvents(prefix, runId));
    for (let i = 0; ; i++) {
      const sessionId = `${name}-session-${i}`;
      if ((await admin.masterOf(keys.sessionLog(prefix, LOCAL_USER, sessionId))).id !== runMaster.id) {
        return { run_id: runId, session_id: sessionId, message: 'question', mode: 'plume', accepted_at: Date.now(), deadline_at: Date.now() + 10_000 };
      }
    }
  }

  const types = async (runId: string) => (await redis.xrange(keys.runEvents(prefix, runId), '-', '+')).map(([, f]) => JSON.parse(streamEntryJson(f)!).type);
  const sessionEntries = async (run: RunContext) => redis.xlen(keys.sessionLog(prefix, LOCAL_USER, run.session_id));

  it('ends once and appends once under retried finalisations and a racing cancel', async () => {
    const run = await runAcrossMasters('race');
    await log.open(run.run_id, { type: 'start', session_id: run.session_id, mode: 'plume', message: run.message }, 10);
    const results = await Promise.all([
      completeRun(log, run, outcome),
      completeRun(log, run, outcome), // the finalize job, retried
      failRun(log, run, { code: 'cancelled', message: 'The run was cancelled.' }), // a racing cancel
      completeRun(new RunEventLog(redis, prefix, 60), run, outcome), // another process
    ]);
    expect(results.filter((r) => r.finished)).toHaveLength(1);
    const events = await types(run.run_id);
    expect(events.filter((t) => t === 'complete' || t === 'error')).toHaveLength(1);
    expect(await sessionEntries(run)).toBe(events.includes('complete') ? 2 : 1);
    expect(await redis.exists(keys.runSessionPending(prefix, run.run_id))).toBe(0);
  });

  it('recovers the session append of a finisher that died after the terminal event', async () => {
    const run = await runAcrossMasters('died');
    await log.open(run.run_id, { type: 'start', session_id: run.session_id, mode: 'plume', message: run.message }, 10);
    await redis.zadd(keys.sessionRuns(prefix, LOCAL_USER, run.session_id), Date.now(), run.run_id);
    // The finisher's state had it died between its two steps: terminal event and pending record only.
    const pendingKey = keys.runSessionPending(prefix, run.run_id);
    await completeRun(log, run, outcome);
    const pending = JSON.stringify({
      user_id: LOCAL_USER,
      session_id: run.session_id,
      messages: (await redis.xrange(keys.sessionLog(prefix, LOCAL_USER, run.session_id), '-', '+')).map(([, f]) => streamEntryJson(f)!),
    });
    await redis.unlink(keys.sessionLog(prefix, LOCAL_USER, run.session_id));
    await redis.unlink(keys.sessionAppended(prefix, LOCAL_USER, run.session_id));
    await redis.set(pendingKey, pending, 'EX', 60);

    // The next reader of the session settles it…
    const messages = await readSession(redis, prefix, undefined, run.session_id);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(await redis.exists(pendingKey)).toBe(0);
    // …and a retried finaliser afterwards neither ends the run again nor appends again.
    expect((await completeRun(log, run, outcome)).finished).toBe(false);
    expect(await sessionEntries(run)).toBe(2);
  });

  it('a retried finaliser settles what a dead finisher left pending, once', async () => {
    const run = await runAcrossMasters('retried');
    await log.open(run.run_id, { type: 'start', session_id: run.session_id, mode: 'plume', message: run.message }, 10);
    await completeRun(log, run, outcome);
    const pendingKey = keys.runSessionPending(prefix, run.run_id);
    const messages = (await redis.xrange(keys.sessionLog(prefix, LOCAL_USER, run.session_id), '-', '+')).map(([, f]) => streamEntryJson(f)!);
    await redis.unlink(keys.sessionLog(prefix, LOCAL_USER, run.session_id));
    await redis.unlink(keys.sessionAppended(prefix, LOCAL_USER, run.session_id));
    await redis.set(pendingKey, JSON.stringify({ user_id: LOCAL_USER, session_id: run.session_id, messages }), 'EX', 60);

    await Promise.all([completeRun(log, run, outcome), failRun(log, run, { code: 'cancelled', message: 'x' })]);
    expect(await sessionEntries(run)).toBe(2);
    expect(await types(run.run_id)).toEqual(['start', 'complete']);
  });

  it('folds a session once per run even if an append was repeated', async () => {
    const run = await runAcrossMasters('fold');
    await log.open(run.run_id, { type: 'start', session_id: run.session_id, mode: 'plume', message: run.message }, 10);
    await completeRun(log, run, outcome);
    const key = keys.sessionLog(prefix, LOCAL_USER, run.session_id);
    for (const [, fields] of await redis.xrange(key, '-', '+')) await redis.xadd(key, '*', ...fields);
    expect(await redis.xlen(key)).toBe(4);
    expect((await readSession(redis, prefix, undefined, run.session_id)).map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});
