import { keys, STREAM_FIELD, type RunEventDraft } from '@koda/contracts';
import { RunEventLog } from '@koda/platform';
import { startStack, type KodaStack } from '@koda/testing';
import { RunStreamRelay } from '@koda/gateway';
import { createParser } from 'eventsource-parser';
import * as http from 'http';
import { Cluster } from 'ioredis';

/**
 * The doorbell relay (KODA_RELAY=doorbell) with doorbells dropped for real: entries written with
 * a raw XADD ring nothing, exactly as if their doorbell had been lost, and the subscriber's
 * connection is killed mid-run. Every client must still get every event, in order, exactly once.
 * In the first stack the safety read is effectively off (10 minutes), so only gap repair and
 * reconnection repair can deliver what rang nothing: removing either fails these tests.
 */

interface Frame {
  id?: string;
  data: string;
}

/** An SSE client (node:http, no pooling) recording frames as they come. */
function openStream(url: string, lastEventId?: string): { frames: Frame[]; close(): void; ready: Promise<void> } {
  const frames: Frame[] = [];
  const parser = createParser({ onEvent: (e) => frames.push({ id: e.id, data: e.data }) });
  let req!: http.ClientRequest;
  const ready = new Promise<void>((resolve, reject) => {
    req = http.get(url, { agent: false, headers: lastEventId ? { 'Last-Event-ID': lastEventId } : {} }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.feed(chunk));
      resolve();
    });
    req.on('error', reject);
  });
  return { frames, ready, close: () => req.destroy() };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const token = (delta: string): RunEventDraft => ({ type: 'token', node: 'plume', delta });
const end: RunEventDraft = { type: 'error', code: 'internal', message: 'end of test run', fatal: true };
const labels = (frames: Frame[]) => frames.map((f) => (f.data === '[DONE]' ? '[DONE]' : labelOf(JSON.parse(f.data))));
const labelOf = (event: { type: string; delta?: string }) => (event.type === 'token' ? event.delta! : event.type);

/**
 * Kills the gateway's doorbell subscriber connections, on every master of a cluster (there the
 * sharded subscribers are one per master and ioredis names them `ioredis-cluster(ssubscriber):<name>`).
 */
async function killDoorbellSubscribers(stack: KodaStack): Promise<number> {
  const servers = stack.redis instanceof Cluster ? (stack.redis as unknown as Cluster).nodes('master') : [stack.redis];
  let killed = 0;
  for (const server of servers) {
    const list = (await server.client('LIST')) as string;
    const subscribers = list.split('\n').filter((line) => line.includes(`${stack.config.KODA_PREFIX}:gateway:doorbell`) && /\bssub=[1-9]/.test(line));
    for (const line of subscribers) killed += Number(await server.client('KILL', 'ID', /\bid=(\d+)/.exec(line)![1]));
  }
  return killed;
}

/** A run log written through the one write script (rings) or with a raw XADD (a dropped doorbell). */
function runLog(stack: KodaStack, runId: string) {
  const prefix = stack.config.KODA_PREFIX;
  const log = new RunEventLog(stack.redis, prefix, 60);
  const key = keys.runEvents(prefix, runId);
  return {
    open: async () => (await log.open(runId, { type: 'start', session_id: `s-${runId}`, mode: 'plume', message: 'q' }, 60)).id,
    ring: async (draft: RunEventDraft) => (await log.append(runId, draft))!,
    finish: async () => (await log.finish({ run_id: runId, session_id: `s-${runId}` }, end, []))!,
    /** Appended without its doorbell. */
    silent: async (draft: RunEventDraft) =>
      (await stack.redis.xadd(key, '*', STREAM_FIELD, JSON.stringify({ ...draft, run_id: runId, timestamp: new Date().toISOString() })))!,
    ids: async () => (await stack.redis.xrange(key, '-', '+')).map(([id]) => id),
    doorbell: keys.runWake(prefix, runId),
  };
}

/** Every frame of a complete stream: the run's entries after `after`, in log order, once each, then [DONE]. */
async function expectExactlyOnce(stream: { frames: Frame[] }, ids: string[], expected: string[]): Promise<void> {
  await waitFor(() => stream.frames.some((f) => f.data === '[DONE]'), 'the end of the stream');
  expect(labels(stream.frames)).toEqual([...expected, '[DONE]']);
  expect(stream.frames.filter((f) => f.id).map((f) => f.id)).toEqual(ids.slice(ids.length - expected.length));
}

describe('the doorbell relay repairs what a lost doorbell would lose', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('doorbell', { agents: [], orchestrator: false, config: { KODA_RELAY: 'doorbell', KODA_RELAY_SAFETY_POLL_MS: 600_000 } });
  });
  afterAll(() => stack.close());
  const url = (runId: string) => `${stack.baseUrl}/api/v1/runs/${runId}/events`;

  it('repairs a gap in the middle when the next doorbell reveals it: every event, in order, once', async () => {
    const run = runLog(stack, 'gap-middle');
    await run.open();
    const client = openStream(url('gap-middle'));
    await waitFor(() => client.frames.length === 1, 'the start event');
    await run.ring(token('a'));
    await waitFor(() => client.frames.length === 2, 'a rung event');
    await run.silent(token('b'));
    await run.silent(token('c'));
    await run.ring(token('d'));
    await run.finish();
    await expectExactlyOnce(client, await run.ids(), ['start', 'a', 'b', 'c', 'd', 'error']);
    client.close();
  });

  it('drops duplicate doorbells (a doorbell rung again, or for an entry a repair already read)', async () => {
    const run = runLog(stack, 'duplicates');
    const startId = await run.open();
    const client = openStream(url('duplicates'));
    await waitFor(() => client.frames.length === 1, 'the start event');
    const a = await run.ring(token('a'));
    await waitFor(() => client.frames.length === 2, 'a rung event');
    const json = (await stack.redis.xrange(keys.runEvents(stack.config.KODA_PREFIX, 'duplicates'), a, a))[0][1][1];
    await stack.redis.spublish(run.doorbell, `${startId} ${a} ${json}`);
    await stack.redis.spublish(run.doorbell, `0-0 ${startId} {"type":"start"}`);
    await run.ring(token('b'));
    await stack.redis.spublish(run.doorbell, `${startId} ${a} ${json}`);
    await run.finish();
    await expectExactlyOnce(client, await run.ids(), ['start', 'a', 'b', 'error']);
    client.close();
  });

  it('repairs every channel when its subscriber connection comes back (pub/sub loses what was rung meanwhile)', async () => {
    const run = runLog(stack, 'reconnect');
    await run.open();
    const client = openStream(url('reconnect'));
    await waitFor(() => client.frames.length === 1, 'the start event');
    // No later doorbell reveals these: only the repair on reconnection can deliver them.
    await run.silent(token('lost-1'));
    await run.silent(token('lost-2'));
    expect(await killDoorbellSubscribers(stack)).toBeGreaterThan(0);
    await waitFor(() => client.frames.length === 3, 'the events written before the reconnection');
    // Subscribed again: rung events are live again.
    await run.ring(token('after'));
    await run.finish();
    await expectExactlyOnce(client, await run.ids(), ['start', 'lost-1', 'lost-2', 'after', 'error']);
    client.close();
  });

  it('resumes a client with Last-Event-ID while the run is live, next to a client already live', async () => {
    const run = runLog(stack, 'resume-live');
    await run.open();
    const first = openStream(url('resume-live'));
    await waitFor(() => first.frames.length === 1, 'the start event');
    const a = await run.ring(token('a'));
    await run.ring(token('b'));
    await waitFor(() => first.frames.length === 3, 'rung events');
    const resumed = openStream(url('resume-live'), a);
    await resumed.ready;
    await run.silent(token('c'));
    await run.ring(token('d'));
    await run.finish();
    const ids = await run.ids();
    await expectExactlyOnce(first, ids, ['start', 'a', 'b', 'c', 'd', 'error']);
    await expectExactlyOnce(resumed, ids, ['b', 'c', 'd', 'error']);
    first.close();
    resumed.close();
  });

  it('serves two subscribers of one run joining at different times, across gaps', async () => {
    const run = runLog(stack, 'two-subscribers');
    await run.open();
    const early = openStream(url('two-subscribers'));
    await waitFor(() => early.frames.length === 1, 'the start event');
    await run.ring(token('a'));
    await run.silent(token('b'));
    const late = openStream(url('two-subscribers'));
    await late.ready;
    await run.ring(token('c'));
    await run.silent(token('d'));
    await run.ring(token('e'));
    await run.finish();
    const ids = await run.ids();
    await expectExactlyOnce(early, ids, ['start', 'a', 'b', 'c', 'd', 'e', 'error']);
    await expectExactlyOnce(late, ids, ['start', 'a', 'b', 'c', 'd', 'e', 'error']);
    early.close();
    late.close();
  });

  it('leaves no channel nor subscription behind', async () => {
    const relay = stack.gateway.get(RunStreamRelay);
    await waitFor(() => relay.openSubscriptions === 0 && relay.openChannels === 0, 'every channel closed');
  });
});

describe('the doorbell relay bounds the delay of a lost last doorbell', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('doorbell-safety', { agents: [], orchestrator: false, config: { KODA_RELAY: 'doorbell', KODA_RELAY_SAFETY_POLL_MS: 200 } });
  });
  afterAll(() => stack.close());

  it('delivers events whose doorbell was lost and that no later doorbell reveals, by the safety read', async () => {
    const run = runLog(stack, 'lost-last');
    await run.open();
    const client = openStream(`${stack.baseUrl}/api/v1/runs/lost-last/events`);
    await waitFor(() => client.frames.length === 1, 'the start event');
    await run.ring(token('a'));
    await run.silent(token('b'));
    const startedAt = Date.now();
    await stack.redis.xadd(
      keys.runEvents(stack.config.KODA_PREFIX, 'lost-last'),
      '*',
      STREAM_FIELD,
      JSON.stringify({ ...end, run_id: 'lost-last', timestamp: new Date().toISOString() }),
    );
    await expectExactlyOnce(client, await run.ids(), ['start', 'a', 'b', 'error']);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    client.close();
  });
});
