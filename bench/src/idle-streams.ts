import type Redis from 'ioredis';
import { openSse, withLimit, type OpenSse } from './http-sse';
import { sleep } from './processes';
import { collectGarbage } from './inspector';
import { countClients, rssKb } from './redis-probe';
import { createRunLogs } from './relay/koda-relay';
import { deferred, uid, withTimeout } from './relay/relay-harness';
import { health, type Stack } from './stack';

export interface IdleResult {
  streams: number;
  openMs: number;
  rssBeforeKb: number;
  rssHalfKb: number;
  rssAfterKb: number;
  /** (RSS with n streams − RSS with none) ÷ n. */
  perStreamKb: number;
  /** Between n/2 and n streams: the marginal cost, without one-off allocations. */
  marginalPerStreamKb: number;
  /**
   * The same readings taken right after a full GC of the gateway (asked through its inspector):
   * what the streams retain, without the garbage V8 had not collected yet. Null without an inspector.
   */
  afterGc: { rssBeforeKb: number; rssAfterKb: number; perStreamKb: number; heapPerStreamKb: number } | null;
  redisClientsIdle: number;
  redisClientsWithStreams: number;
  gatewayClientsIdle: number;
  gatewayClientsWithStreams: number;
  streamsOpenReported: number;
  /** Every stream was released on the gateway once its client went away. */
  released: boolean;
}

/**
 * Opens `n` SSE streams on runs that never end (a `start` event and nothing else) and measures
 * what they cost the gateway: RSS per stream, and Redis connections (which must not grow).
 * `whileOpen` runs with all of them open (the relay latency measured under that load).
 */
export async function measureIdleStreams(stack: Stack, redis: Redis, prefix: string, n: number, whileOpen: () => Promise<void>): Promise<IdleResult> {
  // The last settle is long enough for the gateway to park idle runs on its idle reader
  // (2 s without an event + a 1 s sweep), so the relay measured next sees the steady state.
  const settle = (ms = 1500) => sleep(ms);
  // Right after the end-to-end runs the gateway's heap is still shrinking: a collection during
  // the measurement reads as a negative cost (seen: −0.0 KB per stream after 1 s).
  await settle(3000);
  const gatewayPid = stack.gateway.child.pid!;
  const redisClientsIdle = await countClients(redis, `${prefix}:`);
  const gatewayClientsIdle = await countClients(redis, `${prefix}:gateway`);
  const rssBeforeKb = await rssKb(gatewayPid);
  const collectedBefore = await afterFullGc(stack);

  const runIds = Array.from({ length: n }, (_, i) => `bench-idle-${i}-${uid()}`);
  await createRunLogs(redis, prefix, runIds);
  const streams: OpenSse[] = [];
  const startedAt = performance.now();
  const half = Math.floor(n / 2);
  await openAll(stack.baseUrl, runIds.slice(0, half), streams);
  await settle();
  const rssHalfKb = await rssKb(gatewayPid);
  await openAll(stack.baseUrl, runIds.slice(half), streams);
  const openMs = performance.now() - startedAt;
  await settle(3500);
  const rssAfterKb = await rssKb(gatewayPid);
  const collectedAfter = await afterFullGc(stack);
  const redisClientsWithStreams = await countClients(redis, `${prefix}:`);
  const gatewayClientsWithStreams = await countClients(redis, `${prefix}:gateway`);
  const streamsOpenReported = (await health(stack)).streams_open;

  await whileOpen();

  streams.forEach((s) => s.close());
  const released = await waitForStreamsReleased(stack);
  return {
    streams: n,
    openMs,
    rssBeforeKb,
    rssHalfKb,
    rssAfterKb,
    perStreamKb: (rssAfterKb - rssBeforeKb) / n,
    marginalPerStreamKb: (rssAfterKb - rssHalfKb) / Math.max(1, n - half),
    afterGc:
      collectedBefore && collectedAfter
        ? {
            rssBeforeKb: collectedBefore.rssKb,
            rssAfterKb: collectedAfter.rssKb,
            perStreamKb: (collectedAfter.rssKb - collectedBefore.rssKb) / n,
            heapPerStreamKb: (collectedAfter.heapUsedKb - collectedBefore.heapUsedKb) / n,
          }
        : null,
    redisClientsIdle,
    redisClientsWithStreams,
    gatewayClientsIdle,
    gatewayClientsWithStreams,
    streamsOpenReported,
    released,
  };
}

/**
 * The gateway's RSS and used heap right after a full GC. Read after the plain RSS reading, which
 * it must not disturb; the collection may return memory to the system or not (V8 keeps pages).
 */
async function afterFullGc(stack: Stack): Promise<{ rssKb: number; heapUsedKb: number } | null> {
  if (!stack.inspectorUrl) return null;
  await collectGarbage(stack.inspectorUrl);
  const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
  const heapUsed = Number(/^koda_gateway_nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1] ?? NaN);
  return { rssKb: await rssKb(stack.gateway.child.pid!), heapUsedKb: heapUsed / 1024 };
}

async function openAll(baseUrl: string, runIds: string[], streams: OpenSse[]): Promise<void> {
  await withTimeout(
    withLimit(runIds, 256, async (runId) => {
      const ready = deferred();
      const stream = openSse({ url: `${baseUrl}/api/v1/runs/${runId}/events`, agent: false, onFrame: () => ready.resolve() });
      // A stream failing while idle shows up as a missing `streams_open`, not as a crash here.
      stream.done.catch(() => undefined);
      streams.push(stream);
      await ready.promise;
    }),
    120_000,
    `opening ${runIds.length} idle streams`,
  );
}

async function waitForStreamsReleased(stack: Stack, timeoutMs = 30_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const open = await health(stack)
      .then((h) => h.streams_open)
      .catch(() => -1);
    if (open === 0) return true;
    await sleep(250);
  }
  return false;
}
