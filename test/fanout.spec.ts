import { keys, STREAM_FIELD } from '@koda/contracts';
import { startStack, type KodaStack } from '@koda/testing';
import { createParser } from 'eventsource-parser';
import * as http from 'http';

/** Connections of this stack, by the names every KODA connection carries. */
async function clientsOf(stack: KodaStack): Promise<number> {
  const list = (await stack.redis.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(`name=${stack.config.KODA_PREFIX}:`)).length;
}

/** A raw SSE reader (node:http, no pooling limit) that counts data frames. */
function openStream(url: string): { frames: string[]; close(): void; ready: Promise<void> } {
  const frames: string[] = [];
  const parser = createParser({ onEvent: (e) => frames.push(e.data) });
  let req!: http.ClientRequest;
  const ready = new Promise<void>((resolve, reject) => {
    req = http.get(url, { agent: false }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      resolve();
    });
    req.on('error', reject);
  });
  return { frames, ready, close: () => req.destroy() };
}

describe('one gateway relays hundreds of streams over a fixed set of Redis connections', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('fanout', { agents: [], orchestrator: false });
  });
  afterAll(() => stack.close());

  it('keeps the Redis client count flat with 300 open streams, and fans out to all of them', async () => {
    const prefix = stack.config.KODA_PREFIX;
    const runIds = Array.from({ length: 30 }, (_, i) => `fan-${i}`);
    for (const runId of runIds) {
      const start = { type: 'start', run_id: runId, timestamp: new Date().toISOString(), session_id: 's', mode: 'plume', message: 'm' };
      await stack.redis.xadd(keys.runEvents(prefix, runId), '*', STREAM_FIELD, JSON.stringify(start));
    }
    await new Promise((r) => setTimeout(r, 200));
    const before = await clientsOf(stack);

    const streams = runIds.flatMap((runId) => Array.from({ length: 10 }, () => openStream(`${stack.baseUrl}/api/v1/runs/${runId}/events`)));
    await Promise.all(streams.map((s) => s.ready));
    await waitFor(() => streams.every((s) => s.frames.length === 1));
    expect(await clientsOf(stack)).toBe(before);

    for (const runId of runIds) {
      const token = { type: 'token', run_id: runId, timestamp: new Date().toISOString(), node: 'plume', delta: 'hé' };
      const done = { type: 'error', run_id: runId, timestamp: new Date().toISOString(), code: 'internal', message: 'end', fatal: true };
      await stack.redis.xadd(keys.runEvents(prefix, runId), '*', STREAM_FIELD, JSON.stringify(token));
      await stack.redis.xadd(keys.runEvents(prefix, runId), '*', STREAM_FIELD, JSON.stringify(done));
    }
    await waitFor(() => streams.every((s) => s.frames.length === 4));
    for (const s of streams) expect(s.frames[3]).toBe('[DONE]');
    expect(await clientsOf(stack)).toBe(before);
    streams.forEach((s) => s.close());
  });

  it('skips a malformed entry without breaking the stream', async () => {
    const prefix = stack.config.KODA_PREFIX;
    const key = keys.runEvents(prefix, 'bad-entry');
    await stack.redis.xadd(
      key,
      '*',
      STREAM_FIELD,
      JSON.stringify({ type: 'start', run_id: 'bad-entry', timestamp: new Date().toISOString(), session_id: 's', mode: 'plume', message: 'm' }),
    );
    const stream = openStream(`${stack.baseUrl}/api/v1/runs/bad-entry/events`);
    await stream.ready;
    await stack.redis.xadd(key, '*', STREAM_FIELD, '{not json');
    await stack.redis.xadd(key, '*', STREAM_FIELD, JSON.stringify({ type: 'token', run_id: 'bad-entry' }));
    await stack.redis.xadd(
      key,
      '*',
      STREAM_FIELD,
      JSON.stringify({ type: 'error', run_id: 'bad-entry', timestamp: new Date().toISOString(), code: 'internal', message: 'x', fatal: true }),
    );
    await waitFor(() => stream.frames.length === 3);
    expect(JSON.parse(stream.frames[1]).type).toBe('error');
    expect(stream.frames[2]).toBe('[DONE]');
    stream.close();
  });

  it('releases the reader when a client disconnects', async () => {
    const prefix = stack.config.KODA_PREFIX;
    await stack.redis.xadd(
      keys.runEvents(prefix, 'gone'),
      '*',
      STREAM_FIELD,
      JSON.stringify({ type: 'start', run_id: 'gone', timestamp: new Date().toISOString(), session_id: 's', mode: 'plume', message: 'm' }),
    );
    const stream = openStream(`${stack.baseUrl}/api/v1/runs/gone/events`);
    await stream.ready;
    await waitFor(() => stream.frames.length === 1);
    const health = async () => (await (await fetch(`${stack.baseUrl}/health`)).json()).streams_open as number;
    expect(await health()).toBe(1);
    stream.close();
    await waitFor(async () => (await health()) === 0);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
