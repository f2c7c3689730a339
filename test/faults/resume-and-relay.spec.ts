import * as http from 'http';
import { randomUUID } from 'crypto';
import { createParser } from 'eventsource-parser';
import { keys } from '@koda/contracts';
import { RunStreamRelay } from '@koda/gateway';
import { RunEventLog } from '@koda/platform';
import { expectWellFormedRun, readSse, startStack, streamRun, type KodaStack } from '@koda/testing';
import { endDraft, startDraft, tokenDraft, waitFor, writeEvents } from './support/run-log';

/** A raw SSE reader that records frames and `retry:` lines, and whether the server closed it. */
function openStream(url: string, headers: Record<string, string> = {}) {
  const frames: { id?: string; data: string }[] = [];
  const state = { status: 0, closed: false, raw: '' };
  const parser = createParser({ onEvent: (e) => frames.push({ id: e.id, data: e.data }) });
  const req = http.get(url, { agent: false, headers }, (res) => {
    state.status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      state.raw += chunk;
      parser.feed(chunk);
    });
    res.on('close', () => (state.closed = true));
  });
  req.on('error', () => (state.closed = true));
  return { frames, state, close: () => req.destroy() };
}

describe('resume semantics: every Last-Event-ID has one documented answer', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('resume', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 1 } });
  });
  afterAll(() => stack.close());

  const eventsUrl = (runId: string) => `${stack.baseUrl}/api/v1/runs/${runId}/events`;

  it('400 for ids Redis would refuse (past uint64), for repeated or bracketed query ids, and for bad run ids', async () => {
    const run = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
    const runId = run.events[0].run_id;
    for (const bad of ['99999999999999999999-0', '18446744073709551616-0', '1-18446744073709551616', 'garbage', '1-2-3']) {
      const res = await fetch(eventsUrl(runId), { headers: { 'Last-Event-ID': bad } });
      expect(res.status).toBe(400);
      expect((await res.json()).fields[0].field).toBe('Last-Event-ID');
    }
    const repeated = await fetch(`${eventsUrl(runId)}?last_event_id=1-0&last_event_id=2-0`);
    expect(repeated.status).toBe(400);
    expect((await repeated.json()).fields[0].field).toBe('last_event_id');
    const bracketed = await fetch(`${eventsUrl(runId)}?last_event_id[]=1-0`);
    expect(bracketed.status).toBe(400);
    expect((await bracketed.json()).fields[0].field).toBe('last_event_id[]');
    const badRun = await fetch(`${stack.baseUrl}/api/v1/runs/${encodeURIComponent('x{y}')}/events`);
    expect(badRun.status).toBe(400);
    expect((await badRun.json()).fields[0].field).toBe('run_id');
  });

  it('204 at or past the end of a finished run, so an EventSource stops reconnecting', async () => {
    const run = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
    expectWellFormedRun(run);
    const runId = run.events[0].run_id;
    const terminalId = run.ids[run.ids.length - 1];
    expect((await fetch(eventsUrl(runId), { headers: { 'Last-Event-ID': terminalId } })).status).toBe(204);
    expect((await fetch(eventsUrl(runId), { headers: { 'Last-Event-ID': '18446744073709551615-0' } })).status).toBe(204);
    // One before the end still gets the terminal event and [DONE].
    const tail = await readSse(eventsUrl(runId), { headers: { 'Last-Event-ID': run.ids[run.ids.length - 2] } });
    expect(tail.ids).toEqual([terminalId]);
    expect(tail.done).toBe(true);
  });

  it('a reset, then the whole run, for an id that is not an entry of this run', async () => {
    const [first, second] = [
      await streamRun(stack.baseUrl, { message: 'Un', mode: 'plume' }),
      await streamRun(stack.baseUrl, { message: 'Deux', mode: 'plume' }),
    ];
    const runId = second.events[0].run_id;
    const foreignId = first.ids[2];
    const replay = await readSse(eventsUrl(runId), { headers: { 'Last-Event-ID': foreignId } });
    expect(replay.status).toBe(200);
    expect(replay.frames[0].id).toBe('0-0');
    expect(replay.events[0]).toMatchObject({ type: 'reset', run_id: runId, last_event_id: foreignId, reason: expect.stringMatching(/another run/) });
    expect(replay.ids.slice(1)).toEqual(second.ids);
    expect(replay.done).toBe(true);
  });

  it('404 with a code for an unknown run', async () => {
    const res = await fetch(eventsUrl(randomUUID()));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'run_not_found' });
  });
});

describe('the relay isolates failures and never skips', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('relay-isolation', { agents: [], orchestrator: false });
  });
  afterAll(() => stack.close());
  const prefix = () => stack.config.KODA_PREFIX;
  const eventsUrl = (runId: string) => `${stack.baseUrl}/api/v1/runs/${runId}/events`;

  it('a run log Redis refuses to read closes its own streams only; other runs keep flowing within a second', async () => {
    const [healthy, poisoned] = ['healthy', 'poisoned'].map((name) => `${name}-${randomUUID()}`);
    // The healthy run is written as agents write (the write script rings its doorbell), so its
    // delay measures the relay, not the safety read that finds raw XADDs within 2 × 500 ms.
    const log = new RunEventLog(stack.redis, prefix(), 60);
    await log.open(healthy, startDraft(), 60);
    await writeEvents(stack.redis, prefix(), poisoned, [startDraft()]);
    const good = openStream(eventsUrl(healthy));
    const bad = openStream(eventsUrl(poisoned));
    await waitFor(() => good.frames.length === 1 && bad.frames.length === 1, 5000, 'both streams open');
    // The poisoned run's key becomes a string: every XREAD naming it is refused (WRONGTYPE).
    await stack.redis.del(keys.runEvents(prefix(), poisoned));
    await stack.redis.set(keys.runEvents(prefix(), poisoned), 'not a stream');
    await log.append(healthy, tokenDraft('a'));
    await waitFor(() => bad.state.closed, 5000, 'the poisoned stream to close');
    expect(bad.frames.some((f) => f.data === '[DONE]')).toBe(false);
    expect(bad.state.raw).toMatch(/retry: \d+/);
    const sentAt = Date.now();
    await log.append(healthy, tokenDraft('b'));
    await log.finish({ run_id: healthy, session_id: 's-faults' }, endDraft(), []);
    await waitFor(() => good.frames.some((f) => f.data === '[DONE]'), 1000, 'the healthy stream to end within 1 s');
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(good.frames.map((f) => (f.data === '[DONE]' ? 'DONE' : JSON.parse(f.data).type))).toEqual(['start', 'token', 'token', 'error', 'DONE']);
    good.close();
    bad.close();
  });

  it('a run log deleted mid-run ends its open streams with a fatal error, not pings forever', async () => {
    const runId = `deleted-${randomUUID()}`;
    await writeEvents(stack.redis, prefix(), runId, [startDraft(), tokenDraft('a')]);
    const stream = openStream(eventsUrl(runId));
    await waitFor(() => stream.frames.length === 2, 5000, 'the stream to open');
    await stack.redis.del(keys.runEvents(prefix(), runId));
    await waitFor(() => stream.frames.some((f) => f.data === '[DONE]'), 12_000, 'the stream to end');
    const last = JSON.parse(stream.frames[stream.frames.length - 2].data);
    expect(last).toMatchObject({ type: 'error', fatal: true, code: 'internal', message: expect.stringMatching(/log is gone/) });
    stream.close();
  });

  it('a subscriber that re-joins a run from an earlier id gets every event in between (no batch meant for another cursor)', async () => {
    const relay = stack.gateway.get(RunStreamRelay);
    for (let round = 0; round < 20; round++) {
      const runId = `rejoin-${round}-${randomUUID()}`;
      const ids = await writeEvents(stack.redis, prefix(), runId, [startDraft(), tokenDraft('1'), tokenDraft('2'), tokenDraft('3')]);
      const noop = { onEntry: () => undefined, onEnd: () => undefined, onAbort: () => undefined };
      // Joins late; its blocking read (from ids[3]) is in flight when it leaves...
      const leave = relay.subscribe(runId, ids[3], noop);
      await new Promise((r) => setTimeout(r, 30));
      leave();
      // ...and another subscriber joins from the start just as a new event lands: the read
      // issued for ids[3] returns that event, which must not reach the newcomer's channel.
      const seen: string[] = [];
      const release = relay.subscribe(runId, undefined, { ...noop, onEntry: (entry) => void seen.push(entry.id) });
      await writeEvents(stack.redis, prefix(), runId, [tokenDraft('4'), endDraft()]);
      await waitFor(() => seen.length === 6, 3000, `all six events (round ${round}, saw ${seen.length})`);
      expect(seen.slice(0, 4)).toEqual(ids);
      release();
    }
  });
});
