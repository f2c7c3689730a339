import type Redis from 'ioredis';
import type { BenchOptions } from './args';
import { openSse, withLimit } from './http-sse';
import { collectGarbage } from './inspector';
import { countClients, rssKb } from './redis-probe';
import { sleep } from './processes';
import type { Stack } from './stack';

const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);
const CONCURRENCY = 50;
/** How long the stack gets to settle (streams released, runs ended, GC) before a reading. */
const SETTLE_MS = 3000;
const RSS_TOLERANCE = 0.05;

interface Reading {
  streamsOpen: number;
  heapUsedMb: number;
  rssMb: number;
  redisClients: number;
}

type Cycle = 'abort-at-once' | 'abort-after-events' | 'post-then-hang-up' | 'resume-to-end';

/**
 * `npm run bench -- --soak`: thousands of connect/disconnect cycles against a running stack (most
 * clients hang up within 0-5 ms, some after a few events, some right after a POST) plus resumes
 * of running runs read to their end. Every gauge of what a client leaves behind must be back to
 * its baseline afterwards: open streams, heap, RSS (within 5 %) and Redis connections.
 */
export async function soak(options: BenchOptions, stack: Stack, admin: Redis, prefix: string): Promise<boolean> {
  const running = await startRuns(stack, 20);
  // A warm-up first: the baseline is the process at its working size (V8's heap, buffers and
  // caches grown once), so what remains is growth per cycle, which is what a leak is.
  const warmUp = Math.min(options.soakCycles, 5000);
  await cycles(stack, warmUp, running);
  await sleep(SETTLE_MS);
  const before = await read(stack, admin, prefix);
  log(`baseline after ${warmUp} warm-up cycles: ${format(before)}`);
  const startedAt = Date.now();
  const outcomes = await cycles(stack, options.soakCycles, running);
  log(
    `${outcomes.cycles} cycles in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; ${outcomes.resumedToEnd} resumes read to their end, ${outcomes.errors} failed`,
  );
  await sleep(SETTLE_MS);
  const after = await read(stack, admin, prefix);
  log(`after:    ${format(after)}`);
  const verdicts = [
    ['open streams back to baseline', after.streamsOpen === before.streamsOpen],
    ['Redis clients back to baseline', after.redisClients === before.redisClients],
    [`RSS within ${RSS_TOLERANCE * 100} % of baseline`, after.rssMb <= before.rssMb * (1 + RSS_TOLERANCE)],
    ['heap (after a full GC) within 5 % of baseline', after.heapUsedMb <= before.heapUsedMb * (1 + RSS_TOLERANCE)],
    ['every resume read to its end', outcomes.errors === 0],
  ] as const;
  console.log(`\nKODA soak: ${outcomes.cycles} connect/disconnect cycles, ${CONCURRENCY} at a time\n`);
  console.log(`| gauge | before | after |\n|---|---|---|`);
  console.log(`| open SSE streams | ${before.streamsOpen} | ${after.streamsOpen} |`);
  console.log(`| gateway heap used | ${before.heapUsedMb.toFixed(1)} MB | ${after.heapUsedMb.toFixed(1)} MB |`);
  console.log(`| gateway RSS | ${before.rssMb.toFixed(1)} MB | ${after.rssMb.toFixed(1)} MB |`);
  console.log(`| Redis clients of the stack | ${before.redisClients} | ${after.redisClients} |\n`);
  for (const [what, met] of verdicts) console.log(`${met ? 'met   ' : 'MISSED'} ${what}`);
  return verdicts.every(([, met]) => met);
}

const KINDS: Cycle[] = ['abort-at-once', 'abort-at-once', 'abort-at-once', 'abort-after-events', 'post-then-hang-up', 'resume-to-end'];

async function cycles(stack: Stack, count: number, running: string[]): Promise<{ cycles: number; resumedToEnd: number; errors: number }> {
  const outcomes = { cycles: 0, resumedToEnd: 0, errors: 0 };
  await withLimit(
    Array.from({ length: count }, (_, i) => KINDS[i % KINDS.length]),
    CONCURRENCY,
    async (kind, i) => {
      // Keep a pool of runs in flight to join and resume.
      if (i % 200 === 0) running.push(...(await startRuns(stack, 5)));
      const ok = await cycle(stack, kind, running[i % running.length]).catch(() => false);
      outcomes.cycles += 1;
      if (kind === 'resume-to-end') outcomes[ok ? 'resumedToEnd' : 'errors'] += 1;
    },
  );
  return outcomes;
}

async function cycle(stack: Stack, kind: Cycle, runId: string): Promise<boolean> {
  const events = `${stack.baseUrl}/api/v1/runs/${runId}/events`;
  if (kind === 'resume-to-end') {
    let frames = 0;
    const sse = openSse({ url: events, agent: false, onFrame: () => void (frames += 1) });
    await sse.done;
    return frames > 0;
  }
  const post = kind === 'post-then-hang-up';
  let seen = 0;
  const sse = openSse({
    url: post ? `${stack.baseUrl}/api/v1/chat/orchestrated/stream` : events,
    method: post ? 'POST' : 'GET',
    body: post ? JSON.stringify({ message: 'Bonjour', mode: 'plume' }) : undefined,
    agent: false,
    onFrame: () => {
      if (kind === 'abort-after-events' && ++seen === 2) sse.close();
    },
  });
  sse.done.catch(() => undefined);
  if (kind !== 'abort-after-events') setTimeout(() => sse.close(), Math.random() * 5);
  await sse.done.catch(() => undefined);
  return true;
}

/** Starts runs long enough to be joined while they stream. */
async function startRuns(stack: Stack, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${stack.baseUrl}/api/v1/chat/orchestrated/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Écris un long paragraphe sur les phares de Bretagne, leur histoire et leurs gardiens.', mode: 'plume' }),
    });
    ids.push(res.headers.get('x-run-id') ?? '');
    await res.body?.cancel();
  }
  return ids.filter(Boolean);
}

/** One reading of the gateway at rest, its heap measured right after a full GC. */
async function read(stack: Stack, admin: Redis, prefix: string): Promise<Reading> {
  if (!stack.inspectorUrl) throw new Error('the gateway has no inspector URL (the soak starts it with --inspect)');
  await collectGarbage(stack.inspectorUrl);
  const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  return {
    streamsOpen: gauge('koda_sse_streams_open'),
    heapUsedMb: gauge('koda_gateway_nodejs_heap_size_used_bytes') / 1e6,
    rssMb: (await rssKb(stack.gateway.child.pid!)) / 1000,
    redisClients: await countClients(admin, prefix),
  };
}

const format = (r: Reading) => `streams ${r.streamsOpen}, heap ${r.heapUsedMb.toFixed(1)} MB, RSS ${r.rssMb.toFixed(1)} MB, Redis clients ${r.redisClients}`;
