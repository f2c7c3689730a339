import Redis from 'ioredis';
import { keys, type RunContext } from '@koda/contracts';
import { RunEventLog } from './run-event-log';
import { completeRun, failRun } from './run-finisher';
import { readSession } from './session-log';
import { SessionTurns } from './session-turns';

const prefix = `test-turns-${process.pid}-${Date.now()}`;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const log = new RunEventLog(redis, prefix, 60, 10_000);
const turns = new SessionTurns(redis, prefix, 10_000);
const outcome = (response: string) => ({
  response,
  agent_used: 'plume' as const,
  tokens_used: 3,
  input_tokens: 1,
  output_tokens: 2,
  cost_eur: 0,
  metadata: {},
});

afterAll(async () => {
  await log.webhooks.close();
  const found = await redis.keys(`${prefix}:*`);
  if (found.length) await redis.del(...found);
  await redis.quit();
});

let n = 0;
const session = () => ({ user_id: 'u', session_id: `s${++n}` });
const run = (s: { session_id: string }, id: string, seq: number): RunContext => ({
  run_id: id,
  session_id: s.session_id,
  user_id: 'u',
  message: `question ${id}`,
  mode: 'plume',
  accepted_at: Date.now(),
  deadline_at: Date.now() + 10_000,
  seq,
});
const open = (r: RunContext) =>
  log.open(r.run_id, { type: 'start', session_id: r.session_id, user_id: r.user_id, mode: 'plume', message: r.message, seq: r.seq }, 60);

describe('SessionTurns', () => {
  it('gives a free session to the first run; reject refuses the next, enqueue queues it in order', async () => {
    const s = session();
    expect(await turns.claim(s, 'a', 'reject')).toEqual({ verdict: 'started', seq: 1 });
    expect(await turns.claim(s, 'b', 'reject')).toEqual({ verdict: 'busy', holder: 'a' });
    expect(await turns.claim(s, 'c', 'enqueue')).toEqual({ verdict: 'queued', holder: 'a', seq: 2, position: 1, running: true });
    expect(await turns.claim(s, 'd', 'interrupt')).toEqual({ verdict: 'queued', holder: 'a', seq: 3, position: 2, running: true });
    expect(await turns.waitsFor(s, 'a')).toBeNull();
    expect(await turns.waitsFor(s, 'c')).toBe('a');
    expect(await turns.release(s, 'a')).toBe('c');
    expect(await turns.release(s, 'a')).toBeNull(); // idempotent
    expect(await turns.waitsFor(s, 'c')).toBeNull();
    expect(await turns.waitsFor(s, 'd')).toBe('c');
    await turns.release(s, 'd'); // a queued run that ends (cancelled) leaves the queue
    expect(await turns.release(s, 'c')).toBeNull();
    expect(await turns.claim(s, 'e', 'reject')).toEqual({ verdict: 'started', seq: 4 });
  });

  it('rollback marks the running holder removed from the session', async () => {
    const s = session();
    await turns.claim(s, 'a', 'reject');
    await turns.claim(s, 'b', 'rollback');
    expect(await redis.smembers(keys.sessionRolledBack(prefix, 'u', s.session_id))).toEqual(['a']);
  });

  it('a holder whose run ended without handing the turn on is released by whoever finds it', async () => {
    const s = session();
    const a = run(s, `stale-${n}`, 1);
    await turns.claim(s, a.run_id, 'reject');
    await open(a);
    expect(await turns.releaseIfEnded(s, a.run_id)).toBe(false);
    await log.finish(a, { type: 'error', code: 'internal', message: 'x', fatal: true }, []); // ended, turn not released
    expect(await turns.claim(s, 'b', 'reject')).toMatchObject({ verdict: 'busy' });
    expect(await turns.releaseIfEnded(s, a.run_id)).toBe(true);
    expect(await turns.claim(s, 'b', 'reject')).toMatchObject({ verdict: 'started' });
  });

  it('every finisher hands the turn on (complete and failure alike)', async () => {
    const s = session();
    const [a, b] = [run(s, `fin-a-${n}`, 1), run(s, `fin-b-${n}`, 2)];
    await turns.claim(s, a.run_id, 'reject');
    await turns.claim(s, b.run_id, 'enqueue');
    await Promise.all([open(a), open(b)]);
    await failRun(log, a, { code: 'interrupted', message: 'stopped', partial: 'à moi' });
    expect(await turns.waitsFor(s, b.run_id)).toBeNull();
    await completeRun(log, b, outcome('fini'));
    expect(await redis.exists(keys.sessionActive(prefix, 'u', s.session_id))).toBe(0);
  });
});

describe('the session log', () => {
  it('keeps acceptance order when the later run finishes first', async () => {
    const s = session();
    const [early, late] = [run(s, `early-${n}`, 1), run(s, `late-${n}`, 2)];
    await Promise.all([open(early), open(late)]);
    await completeRun(log, late, outcome('réponse tardive'));
    await completeRun(log, early, outcome('réponse précoce'));
    const messages = await readSession(redis, prefix, 'u', s.session_id);
    expect(messages.map((m) => [m.run_id, m.role])).toEqual([
      [early.run_id, 'user'],
      [early.run_id, 'assistant'],
      [late.run_id, 'user'],
      [late.run_id, 'assistant'],
    ]);
  });

  it('marks an interrupted partial answer so, and leaves rolled-back runs out', async () => {
    const s = session();
    const [a, b] = [run(s, `int-${n}`, 1), run(s, `rb-${n}`, 2)];
    await Promise.all([open(a), open(b)]);
    await failRun(log, a, { code: 'interrupted', message: 'stopped', partial: 'début de répon' });
    await failRun(log, b, { code: 'interrupted', message: 'stopped', partial: 'autre' });
    await redis.sadd(keys.sessionRolledBack(prefix, 'u', s.session_id), b.run_id);
    const messages = await readSession(redis, prefix, 'u', s.session_id);
    expect(messages.map((m) => [m.run_id, m.role, m.status])).toEqual([
      [a.run_id, 'user', undefined],
      [a.run_id, 'assistant', 'interrupted'],
    ]);
  });
});
