import Redis from 'ioredis';
import { keys, streamEntryJson, type RunContext } from '@koda/contracts';
import { RunEventLog } from './run-event-log';
import { completeRun, failRun } from './run-finisher';
import { readSession } from './session-log';

const prefix = `test-eventlog-${process.pid}-${Date.now()}`;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const log = new RunEventLog(redis, prefix, 60);
const run = (id: string): RunContext => ({ run_id: id, session_id: `s-${id}`, message: 'question', mode: 'plume', accepted_at: Date.now(), deadline_at: Date.now() + 10_000 });
const outcome = { response: 'answer', agent_used: 'plume' as const, tokens_used: 3, input_tokens: 1, output_tokens: 2, cost_eur: 0, metadata: {} };

afterAll(async () => {
  const found = await redis.keys(`${prefix}:*`);
  if (found.length) await redis.del(...found);
  await redis.quit();
});

const types = async (runId: string) => (await redis.xrange(keys.runEvents(prefix, runId), '-', '+')).map(([, f]) => JSON.parse(streamEntryJson(f)!).type);

describe('the run event log', () => {
  it('ends a run exactly once, even when finishers race or retry', async () => {
    const r = run('once');
    await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
    const results = await Promise.all([completeRun(log, r, outcome), completeRun(log, r, outcome), failRun(log, r, { code: 'timeout', message: 'late' })]);
    expect(results.filter((x) => x.finished)).toHaveLength(1);
    expect(await types(r.run_id)).toEqual(['start', 'complete']);
    expect(await readSession(redis, prefix, r.session_id)).toHaveLength(2);
  });

  it('refuses events after the end, so a zombie worker cannot write', async () => {
    const r = run('zombie');
    await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
    await failRun(log, r, { code: 'cancelled', message: 'stop', node: 'plume', partial: 'half an ans' });
    expect(await log.append(r.run_id, { type: 'token', node: 'plume', delta: 'late' })).toBeNull();
    expect(await types(r.run_id)).toEqual(['start', 'error']);
    const session = await readSession(redis, prefix, r.session_id);
    expect(session[1]).toMatchObject({ role: 'assistant', content: 'half an ans', status: 'cancelled' });
  });

  it('sets the run TTL when the run ends', async () => {
    const r = run('ttl');
    await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 1000);
    await completeRun(log, r, outcome);
    const ttl = await redis.ttl(keys.runEvents(prefix, r.run_id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('rejects terminal events through append()', async () => {
    await expect(log.append('x', { type: 'error', code: 'internal', message: 'x', fatal: true })).rejects.toThrow(/finish/);
  });
});
