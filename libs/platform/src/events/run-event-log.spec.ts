import net from 'node:net';
import Redis from 'ioredis';
import { keys, LOCAL_USER, streamEntryJson } from '@koda/contracts';
import { specOutcome, specRedis, specRun } from '../../testing/run-log-fixtures';
import { RunEventLog } from './run-event-log';
import { completeRun, failRun } from './run-finisher';
import { readSession } from './session-log';

const { prefix, redis, close } = specRedis('eventlog');
const log = new RunEventLog(redis, prefix, 60);
const run = specRun;
const outcome = specOutcome;

afterAll(close);

const types = async (runId: string) => (await redis.xrange(keys.runEvents(prefix, runId), '-', '+')).map(([, f]) => JSON.parse(streamEntryJson(f)!).type);

describe('the run event log', () => {
  it("adds a completed run's cost to its user's spend of the day, once, even when finishers race", async () => {
    const r = { ...run('spend'), user_id: 'ivy' };
    await log.open(r.run_id, { type: 'start', session_id: r.session_id, user_id: 'ivy', mode: 'plume', message: r.message }, 10);
    await Promise.all([completeRun(log, r, { ...outcome, cost_eur: 0.25 }), completeRun(log, r, { ...outcome, cost_eur: 0.25 })]);
    expect(Number(await redis.get(keys.userSpend(prefix, 'ivy', new Date().toISOString().slice(0, 10))))).toBeCloseTo(0.25);
    expect(await readSession(redis, prefix, 'ivy', r.session_id)).toHaveLength(2);
  });

  it('ends a run exactly once, even when finishers race or retry', async () => {
    const r = run('once');
    await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
    const results = await Promise.all([completeRun(log, r, outcome), completeRun(log, r, outcome), failRun(log, r, { code: 'timeout', message: 'late' })]);
    expect(results.filter((x) => x.finished)).toHaveLength(1);
    expect(await types(r.run_id)).toEqual(['start', 'complete']);
    expect(await readSession(redis, prefix, undefined, r.session_id)).toHaveLength(2);
  });

  it('appends the session in a second, idempotent step, which a later finisher or reader completes when the first one died', async () => {
    const r = run('split');
    await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
    await redis.zadd(keys.sessionRuns(prefix, LOCAL_USER, r.session_id), Date.now(), r.run_id);
    await completeRun(log, r, outcome);
    const sessionKey = keys.sessionLog(prefix, LOCAL_USER, r.session_id);
    const messages = (await redis.xrange(sessionKey, '-', '+')).map(([, f]) => streamEntryJson(f)!);
    expect(messages).toHaveLength(2);
    expect(await redis.exists(keys.runSessionPending(prefix, r.run_id))).toBe(0);
    // As if the finisher had died after the terminal event: the pending record only.
    const pending = JSON.stringify({ user_id: LOCAL_USER, session_id: r.session_id, messages });
    await redis.del(sessionKey, keys.sessionAppended(prefix, LOCAL_USER, r.session_id));
    await redis.set(keys.runSessionPending(prefix, r.run_id), pending);
    expect((await failRun(log, r, { code: 'cancelled', message: 'late cancel' })).finished).toBe(false);
    expect(await redis.xlen(sessionKey)).toBe(2);
    await redis.set(keys.runSessionPending(prefix, r.run_id), pending); // settled again: no second append
    expect((await readSession(redis, prefix, undefined, r.session_id)).map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(await redis.xlen(sessionKey)).toBe(2);
  });

  it('refuses events after the end, so a zombie worker cannot write', async () => {
    const r = run('zombie');
    await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
    await failRun(log, r, { code: 'cancelled', message: 'stop', node: 'plume', partial: 'half an ans' });
    expect(await log.append(r.run_id, { type: 'token', node: 'plume', delta: 'late' })).toBeNull();
    expect(await types(r.run_id)).toEqual(['start', 'error']);
    const session = await readSession(redis, prefix, undefined, r.session_id);
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

  it('fences a node: an older attempt is refused once a newer one started, atomically', async () => {
    const r = run('fence');
    await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
    const attempts = keys.runAttempts(prefix, r.run_id, 'plume');
    await redis.set(attempts, '1');
    const first = { node: 'plume', attempt: 1 };
    expect(await log.write(r.run_id, { type: 'token', node: 'plume', delta: 'a', attempt: 1 }, first)).toMatchObject({ ok: true });
    await redis.set(attempts, '2');
    expect(await log.write(r.run_id, { type: 'token', node: 'plume', delta: 'b', attempt: 1 }, first)).toEqual({ ok: false, refused: 'superseded' });
    expect((await failRun(log, r, { code: 'agent_failed', message: 'old attempt', fence: first })).finished).toBe(false);
    expect(await log.write(r.run_id, { type: 'token', node: 'plume', delta: 'c', attempt: 2 }, { node: 'plume', attempt: 2 })).toMatchObject({ ok: true });
    expect((await log.events(r.run_id)).map((e) => (e.type === 'token' ? e.delta : e.type))).toEqual(['start', 'a', 'c']);
  });

  it('never re-creates a deleted or expired run log (it would have no expiry), nor finishes it', async () => {
    const r = run('gone');
    await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
    await redis.del(keys.runEvents(prefix, r.run_id));
    expect(await log.write(r.run_id, { type: 'token', node: 'plume', delta: 'late' })).toEqual({ ok: false, refused: 'missing' });
    expect((await completeRun(log, r, outcome)).finished).toBe(false);
    expect(await redis.exists(keys.runEvents(prefix, r.run_id), keys.runFinal(prefix, r.run_id), keys.sessionLog(prefix, 'local', r.session_id))).toBe(0);
  });

  it('finishes exactly once whatever the TTL: a late finisher after the log expired writes nothing', async () => {
    const shortLived = new RunEventLog(redis, prefix, 1);
    const r = run('late');
    await shortLived.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 0);
    expect((await completeRun(shortLived, r, outcome)).finished).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await failRun(shortLived, r, { code: 'timeout', message: 'late' })).finished).toBe(false);
    expect(await redis.exists(keys.runEvents(prefix, r.run_id))).toBe(0);
    expect(await readSession(redis, prefix, undefined, r.session_id)).toHaveLength(2);
  });

  it('writes an event once when its reply is lost and ioredis sends it again on a new connection', async () => {
    const proxy = await replyLosingProxy('the-lost-reply');
    const client = new Redis(proxy.url, { retryStrategy: () => 10 });
    const writer = new RunEventLog(client, prefix, 60);
    const r = run('resent');
    const subscriber = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const bells: string[] = [];
    subscriber.on('smessage', (_channel: string, message: string) => bells.push(message));
    await subscriber.ssubscribe(keys.runWake(prefix, r.run_id));
    try {
      await writer.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
      await writer.append(r.run_id, { type: 'token', node: 'plume', delta: 'before ' });
      const resentId = await writer.append(r.run_id, { type: 'token', node: 'plume', delta: 'the-lost-reply' });
      await writer.append(r.run_id, { type: 'token', node: 'plume', delta: ' after' });
      expect(proxy.cuts).toBe(1);
      const events = await log.events(r.run_id);
      expect(events.map((e) => (e.type === 'token' ? e.delta : e.type))).toEqual(['start', 'before ', 'the-lost-reply', ' after']);
      expect((await redis.xrange(keys.runEvents(prefix, r.run_id), '-', '+'))[2][0]).toBe(resentId);
      expect(await redis.pttl(keys.runWrites(prefix, r.run_id))).toBeGreaterThan(0);
      expect((await completeRun(writer, r, outcome)).finished).toBe(true);
      expect(await redis.ttl(keys.runWrites(prefix, r.run_id))).toBeLessThanOrEqual(60);
      // The resent write was answered from the writes hash: one doorbell per entry, not one more.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(bells).toHaveLength(await redis.xlen(keys.runEvents(prefix, r.run_id)));
    } finally {
      subscriber.disconnect();
      client.disconnect();
      proxy.close();
    }
  });

  it('opens a run once when the reply to its open is lost and ioredis sends it again', async () => {
    const r = run('reopened');
    const proxy = await replyLosingProxy(r.run_id);
    const client = new Redis(proxy.url, { retryStrategy: () => 10 });
    const writer = new RunEventLog(client, prefix, 60);
    try {
      const opened = await writer.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
      expect(proxy.cuts).toBe(1);
      const entries = await redis.xrange(keys.runEvents(prefix, r.run_id), '-', '+');
      expect(entries.map(([id]) => id)).toEqual([opened.id]);
    } finally {
      client.disconnect();
      proxy.close();
    }
  });

  it("rings the run's doorbell with every write, chained by the previous id; refused and resent writes ring nothing", async () => {
    const r = run('doorbell');
    const subscriber = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const bells: string[] = [];
    subscriber.on('smessage', (_channel: string, message: string) => bells.push(message));
    try {
      await subscriber.ssubscribe(keys.runWake(prefix, r.run_id));
      const start = await log.open(r.run_id, { type: 'start', session_id: r.session_id, mode: 'plume', message: r.message }, 10);
      const token = await log.append(r.run_id, { type: 'token', node: 'plume', delta: 'hi' });
      expect((await completeRun(log, r, outcome)).finished).toBe(true);
      expect(await log.append(r.run_id, { type: 'token', node: 'plume', delta: 'late' })).toBeNull();
      const entries = await redis.xrange(keys.runEvents(prefix, r.run_id), '-', '+');
      const expected = entries.map(([id, fields], i) => `${i === 0 ? '0-0' : entries[i - 1][0]} ${id} ${streamEntryJson(fields)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(bells).toEqual(expected);
      expect(entries.map(([id]) => id).slice(0, 2)).toEqual([start.id, token]);
    } finally {
      subscriber.disconnect();
    }
  });

  it('rejects terminal events through append()', async () => {
    await expect(log.append('x', { type: 'error', code: 'internal', message: 'x', fatal: true })).rejects.toThrow(/finish/);
  });
});

/**
 * A TCP proxy in front of the test Redis that lets the first command carrying `marker` run,
 * then cuts the client's connection instead of passing on the reply: the reply is lost after
 * Redis did the work, as when a connection or Redis itself goes down at that moment.
 */
async function replyLosingProxy(marker: string): Promise<{ url: string; cuts: number; close(): void }> {
  const target = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const state = { cuts: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    sockets.add(client).add(upstream);
    let armed = false;
    client.on('data', (chunk) => {
      if (state.cuts === 0 && chunk.includes(marker)) armed = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!armed) return void client.write(chunk);
      armed = false;
      state.cuts += 1;
      client.destroy();
      upstream.destroy();
    });
    for (const socket of [client, upstream]) socket.on('error', () => undefined).on('close', () => (client.destroy(), upstream.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    get cuts() {
      return state.cuts;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
