import { keys, LOCAL_USER, type CompleteEvent, type RunEvent } from '@koda/contracts';
import { expectWellFormedRun, startStack, streamRun, type KodaStack } from '@koda/testing';
import * as http from 'http';
import { ClusterAdmin, isCluster } from './support/cluster-admin';

const tokensText = (events: RunEvent[]) =>
  events
    .filter((e): e is Extract<RunEvent, { type: 'token' }> => e.type === 'token')
    .map((e) => e.delta)
    .join('');

/**
 * KODA on a real 3-master Redis Cluster (one replica each): runs whose keys and session live
 * on different masters, a failover and a slot reshard in the middle of a run, and the relay's
 * connection count with hundreds of open streams.
 */
describe('KODA on a Redis Cluster', () => {
  const admin = new ClusterAdmin(process.env.KODA_REDIS_CLUSTER_NODES!);
  let stack: KodaStack;
  beforeAll(async () => {
    // Slow tokens, so a run is still streaming while its slot moves.
    stack = await startStack('cluster', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 40 } });
  });
  afterAll(() => stack.close());

  it('runs in cluster mode: every service talks to the cluster', async () => {
    expect(isCluster(stack.redis)).toBe(true);
    const masters = (await admin.nodes()).filter((n) => n.master);
    expect(masters).toHaveLength(3);
  });

  it("keeps the gateway's Redis clients flat with 300 open streams", async () => {
    // The gateway's connections (command client and relay readers), on every node of the cluster.
    const name = `${stack.config.KODA_PREFIX}:gateway:`;
    const runIds = Array.from({ length: 30 }, (_, i) => `flat-${i}`);
    for (const runId of runIds) {
      const start = { type: 'start', run_id: runId, timestamp: new Date().toISOString(), session_id: 's', mode: 'plume', message: 'm' };
      await stack.redis.xadd(keys.runEvents(stack.config.KODA_PREFIX, runId), '*', 'e', JSON.stringify(start));
    }
    // Baseline: one stream per run (the runs' slots cover every master, and a cluster client
    // connects to a master on first use).
    const first = runIds.map((runId) => openStream(`${stack.baseUrl}/api/v1/runs/${runId}/events`));
    await Promise.all(first.map((s) => s.ready));
    await waitFor(() => first.every((s) => s.frames.length === 1));
    await new Promise((r) => setTimeout(r, 300));
    const before = await admin.clientsNamed(name);
    // Three cluster clients (commands, relay reads, wake subscriptions): at most one connection per node each.
    expect(before).toBeLessThanOrEqual(3 * (await admin.nodes()).length);
    const streams = runIds.flatMap((runId) => Array.from({ length: 10 }, () => openStream(`${stack.baseUrl}/api/v1/runs/${runId}/events`)));
    await Promise.all(streams.map((s) => s.ready));
    await waitFor(() => streams.every((s) => s.frames.length === 1));
    expect(await admin.clientsNamed(name)).toBe(before);
    for (const runId of runIds) {
      const end = { type: 'error', run_id: runId, timestamp: new Date().toISOString(), code: 'internal', message: 'x', fatal: true };
      await stack.redis.xadd(keys.runEvents(stack.config.KODA_PREFIX, runId), '*', 'e', JSON.stringify(end));
    }
    await waitFor(() => streams.every((s) => s.frames.length === 3));
    for (const s of streams) expect(s.frames[2]).toBe('[DONE]');
    expect(await admin.clientsNamed(name)).toBe(before);
    streams.forEach((s) => s.close());
    first.forEach((s) => s.close());
  });
  it('completes a run whose log lives on one master and its session on another, with the session appended once', async () => {
    let across = false;
    for (let i = 0; i < 12 && !across; i++) {
      const result = await streamRun(stack.baseUrl, { message: 'Rédige une phrase courte sur la mer', mode: 'plume' });
      const terminal = expectWellFormedRun(result) as CompleteEvent;
      const { run_id: runId, session_id: sessionId } = terminal.result;
      const runMaster = await admin.masterOf(keys.runEvents(stack.config.KODA_PREFIX, runId));
      const sessionMaster = await admin.masterOf(keys.sessionLog(stack.config.KODA_PREFIX, LOCAL_USER, sessionId));
      across = runMaster.id !== sessionMaster.id;
      const session = await (await fetch(`${stack.baseUrl}/api/v1/sessions/${sessionId}`)).json();
      expect(session.messages.map((m: { role: string; run_id: string }) => [m.role, m.run_id])).toEqual([
        ['user', runId],
        ['assistant', runId],
      ]);
      expect(await stack.redis.exists(keys.runSessionPending(stack.config.KODA_PREFIX, runId))).toBe(0);
    }
    expect(across).toBe(true);
  });

  /**
   * Streams a plume run and, at its first token, starts `operation` on the run log's key; checks
   * the operation finished while the run was still streaming, and that the stream is whole:
   * strictly increasing ids, one terminal event, and the tokens spelling the answer exactly.
   */
  async function streamThrough(message: string, operation: (runKey: string) => Promise<unknown>): Promise<CompleteEvent> {
    let running: Promise<unknown> | null = null;
    let seen = 0;
    let seenWhenDone = -1;
    const result = await streamRun(stack.baseUrl, { message, mode: 'plume' }, (frame) => {
      seen += 1;
      if (frame.event?.type === 'token' && !running)
        running = operation(keys.runEvents(stack.config.KODA_PREFIX, frame.event.run_id)).then(() => (seenWhenDone = seen));
      return false;
    });
    // Assigned in the callback above, which the compiler's narrowing does not see.
    await Promise.resolve(running);
    expect(seenWhenDone).toBeGreaterThan(0);
    expect(seenWhenDone).toBeLessThan(result.frames.length - 2);
    const terminal = expectWellFormedRun(result) as CompleteEvent;
    expect(terminal.type).toBe('complete');
    expect(tokensText(result.events)).toBe(terminal.result.response);
    // Read again afterwards, from wherever the run log lives now: the same events.
    const again = await (await fetch(`${stack.baseUrl}/api/v1/runs/${terminal.run_id}/events`)).text();
    expect(again.match(/^id: /gm)?.length).toBe(result.ids.length);
    return terminal;
  }

  it('loses and repeats no event when the master of a running run fails over to its replica', async () => {
    await streamThrough('Écris quelques phrases sur les marées et la lune', async (runKey) => admin.failOver(await admin.masterOf(runKey)));
  });

  it('loses and repeats no event when the slot of a running run moves to another master', async () => {
    await streamThrough('Écris quelques phrases sur les volcans et les îles', (runKey) => moveSlotOf(admin, runKey));
  });
});

/** Moves the slot of `key` from its master to another one, keys included (redis-cli's reshard, by hand). */
async function moveSlotOf(admin: ClusterAdmin, key: string): Promise<void> {
  const source = await admin.masterOf(key);
  const target = (await admin.nodes()).find((n) => n.master && n.id !== source.id)!;
  const slot = await admin.on(source.port, (r) => r.cluster('KEYSLOT', key));
  await admin.on(target.port, (r) => r.cluster('SETSLOT', slot, 'IMPORTING', source.id));
  await admin.on(source.port, (r) => r.cluster('SETSLOT', slot, 'MIGRATING', target.id));
  for (;;) {
    const keysInSlot = await admin.on(source.port, (r) => r.cluster('GETKEYSINSLOT', slot, 100));
    if (keysInSlot.length === 0) break;
    await admin.on(source.port, (r) => r.migrate('127.0.0.1', target.port, '', 0, 5000, 'KEYS', ...keysInSlot));
  }
  for (const node of (await admin.nodes()).filter((n) => n.master)) await admin.on(node.port, (r) => r.cluster('SETSLOT', slot, 'NODE', target.id));
}

function openStream(url: string): { frames: string[]; close(): void; ready: Promise<void> } {
  const frames: string[] = [];
  let req!: http.ClientRequest;
  let buffered = '';
  const ready = new Promise<void>((resolve, reject) => {
    req = http.get(url, { agent: false }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        const blocks = buffered.split('\n\n');
        buffered = blocks.pop() ?? '';
        for (const block of blocks) {
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) frames.push(data.slice(6));
        }
      });
      resolve();
    });
    req.on('error', reject);
  });
  return { frames, ready, close: () => req.destroy() };
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
