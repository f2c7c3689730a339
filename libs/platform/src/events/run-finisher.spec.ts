import { keys, streamEntryJson, type RoutingDecision, type RunContext } from '@koda/contracts';
import { specOutcome, specRedis, specRun } from '../../testing/run-log-fixtures';
import { RunEventLog } from './run-event-log';
import { completeRun, failRun, routedOutcome } from './run-finisher';
import { readSession } from './session-log';

const { prefix, redis, close } = specRedis('finisher');
const log = new RunEventLog(redis, prefix, 60);
const run = specRun;
const outcome = { ...specOutcome, cost_eur: 0.001 };

afterAll(close);

const terminals = async (runId: string) =>
  (await redis.xrange(keys.runEvents(prefix, runId), '-', '+'))
    .map(([, f]) => JSON.parse(streamEntryJson(f)!))
    .filter((e) => e.type === 'complete' || e.type === 'error');

async function open(r: RunContext): Promise<void> {
  await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
}

describe('the agent ends its run through the fenced finish', () => {
  it('a superseded attempt cannot complete the run; the newer attempt does, once', async () => {
    const r = run('superseded');
    await open(r);
    await redis.set(keys.runAttempts(prefix, r.run_id, 'plume'), '2');
    const stale = await completeRun(log, r, { ...outcome, response: 'stale' }, { node: 'plume', attempt: 1 });
    expect(stale.finished).toBe(false);
    const [current, retried] = await Promise.all([
      completeRun(log, r, outcome, { node: 'plume', attempt: 2 }),
      completeRun(log, r, outcome, { node: 'plume', attempt: 2 }),
    ]);
    expect([current.finished, retried.finished].sort()).toEqual([false, true]);
    const ends = await terminals(r.run_id);
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ type: 'complete', result: { response: 'answer' } });
    expect(await readSession(redis, prefix, undefined, r.session_id)).toHaveLength(2);
  });

  it('an agent finish racing a cancel: exactly one terminal event, whichever wins', async () => {
    const r = run('race');
    await open(r);
    await redis.set(keys.runAttempts(prefix, r.run_id, 'plume'), '1');
    const results = await Promise.all([
      completeRun(log, r, outcome, { node: 'plume', attempt: 1 }),
      failRun(log, r, { code: 'cancelled', message: 'The run was cancelled.' }),
    ]);
    expect(results.filter((x) => x.finished)).toHaveLength(1);
    expect(await terminals(r.run_id)).toHaveLength(1);
  });

  it("adds the routing classification's tokens and cost to the result, and says how it was routed", () => {
    const routing: RoutingDecision = {
      node: 'plume',
      intent: 'restitution',
      confidence: 0.9,
      classifier: 'model',
      usage: { model: 'claude-haiku', input_tokens: 10, output_tokens: 1, cost_eur: 0.0002 },
    };
    expect(routedOutcome(outcome, routing)).toMatchObject({
      input_tokens: 11,
      output_tokens: 3,
      tokens_used: 14,
      cost_eur: 0.0012,
      metadata: { intent: 'restitution', confidence: 0.9, classifier: 'model' },
    });
    const { usage: _usage, ...keyword } = routing;
    expect(routedOutcome(outcome, keyword as RoutingDecision)).toMatchObject({ tokens_used: 3, cost_eur: 0.001, metadata: { intent: 'restitution' } });
  });
});
