import type Redis from 'ioredis';
import { allQueues } from '@koda/contracts';
import type { BenchOptions } from './args';
import { measureBullmqNoop } from './baselines/bullmq-noop';
import { cpuPer, snapshotCpu } from './cpu';
import { promises as fs, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { kodaTarget, recordTokens, runClients, runE2e, type E2eResult, type E2eTarget } from './e2e-load';
import { openSse } from './http-sse';
import { ensureLangGraphInstalled, langGraphTarget, openHeldLangGraphStream, rssPerOpenStream, startLangGraph, stopLangGraph } from './langgraph-peer';
import type { PeerSide } from './peer-compare';
import { createRunLogs } from './relay/koda-relay';
import { deferred, uid } from './relay/relay-harness';
import { measureIdleStreams } from './idle-streams';
import { sleep } from './processes';
import { commandDelta, commandStats, countClients, scaleCalls, total } from './redis-probe';
import { KodaRelayHarness } from './relay/koda-relay';
import type { PeerRelayHarness } from './relay/peer-relay';
import { RawRelayHarness } from './relay/raw-relay';
import { measureRelay, type RelayHarness, type RelayResult, type RelaySystem } from './relay/relay-harness';
import { timed, type Measurements } from './report';
import { planFor } from './schedule';
import { startStack, waitForWorkers, type Stack } from './stack';
import { startOtlpReceiver } from './otlp-receiver';
import { compareTracing, verdictOf } from './tracing-overhead';

/** What every phase needs: the options, the stack, the bench's own Redis connections. */
export interface PhaseContext {
  options: BenchOptions;
  prefix: string;
  stack: Stack;
  peer: PeerRelayHarness;
  admin: Redis;
  publisher: Redis;
  log: (line: string) => void;
  /** Processes whose CPU time is accounted per phase: the stack, the peer, Redis, this driver. */
  pids: Record<string, number | undefined>;
}

/** Runs `phase` and returns, beside its result, the CPU ms each process spent per `unit` of it. */
async function withCpu<T>(
  ctx: PhaseContext,
  phase: () => Promise<T>,
  units: (result: T) => number,
  pids: Record<string, number | undefined> = ctx.pids,
): Promise<[T, Record<string, number | null>]> {
  const before = await snapshotCpu(pids);
  const result = await phase();
  return [result, cpuPer(before, await snapshotCpu(pids), units(result))];
}

/** Few streams give few samples: a p99 needs a few hundred, so low points run longer. */
const MIN_RELAY_EVENTS = 300;

const KODA_QUEUES: string[] = allQueues();

function harness(ctx: PhaseContext, system: RelaySystem, label = 'relay'): RelayHarness {
  if (system === 'koda') return new KodaRelayHarness(ctx.publisher, ctx.prefix, ctx.stack.baseUrl, label);
  if (system === 'raw') return new RawRelayHarness(ctx.publisher, ctx.options.redisUrl, `${ctx.prefix}-raw`, `${ctx.prefix}-bench:raw-reader`);
  return ctx.peer;
}

/** Relay latency of KODA, raw Redis and the peer at each stream count, same schedule for all. */
export async function relaySweep(ctx: PhaseContext, m: Measurements): Promise<void> {
  const { options } = ctx;
  const systems: RelaySystem[] = ['koda', 'raw', 'peer'];
  // Warm-up: JIT and connection pools of all three paths, not recorded.
  for (const system of systems) await measureRelay(system, planFor(options.concurrency, 800, options.eventIntervalMs), harness(ctx, system));
  for (const streams of options.relaySweep) {
    const point: Measurements['sweep'][number] = { streams };
    // The headline point is measured several times, systems interleaved, and the run with the
    // median p99 kept: on a shared 2-core box one noisy second otherwise decides the verdict.
    const repeats = streams === options.concurrency ? options.headlineRepeats : 1;
    const runs: Record<RelaySystem, RelayResult[]> = { koda: [], raw: [], peer: [] };
    for (let i = 0; i < repeats; i++) {
      for (const system of systems) runs[system].push(await measureOnce(ctx, m, system, streams));
    }
    for (const system of systems) {
      point[system] = medianByP99(runs[system]);
      if (streams === options.concurrency) {
        m.headlineP99s[system] = runs[system].map((r) => Math.round(r.latency.p99 * 1000) / 1000);
        m.headlineP50s[system] = runs[system].map((r) => Math.round(r.latency.p50 * 1000) / 1000);
      }
    }
    m.sweep.push(point);
  }
}

async function measureOnce(ctx: PhaseContext, m: Measurements, system: RelaySystem, streams: number): Promise<RelayResult> {
  const { options } = ctx;
  const plan = planFor(streams, Math.max(options.relayDurationMs, (MIN_RELAY_EVENTS * options.eventIntervalMs) / streams), options.eventIntervalMs);
  const measure = () => timed(m, `relay ${system} ${streams}`, () => measureRelay(system, plan, harness(ctx, system)));
  const [result, cpu] = await withCpu(ctx, measure, (r) => r.received / 1000);
  if (streams === options.concurrency) m.cpuPerThousandRelayEvents[system] = cpu;
  const l = result.latency;
  ctx.log(
    `relay ${system.padEnd(4)} ${String(streams).padStart(4)} streams: p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, max ${l.max.toFixed(1)} ms (${result.received}/${result.expected} events)`,
  );
  return result;
}

function medianByP99(results: RelayResult[]): RelayResult {
  const sorted = [...results].sort((a, b) => a.latency.p99 - b.latency.p99);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** BullMQ no-op jobs at the headline concurrency, and the Redis commands one such job costs. */
export async function bullmqBaseline(ctx: PhaseContext, m: Measurements, background: Map<string, number>, backgroundMs: number): Promise<void> {
  const before = await commandStats(ctx.admin);
  const startedAt = performance.now();
  const [result, cpu] = await withCpu(
    ctx,
    () =>
      timed(m, 'bullmq', () =>
        measureBullmqNoop({
          redisUrl: ctx.options.redisUrl,
          prefix: `${ctx.prefix}-bq`,
          connectionName: `${ctx.prefix}-bench:bullmq`,
          producers: ctx.options.concurrency,
          workerConcurrency: ctx.options.workerConcurrency,
          durationMs: ctx.options.bullmqDurationMs,
        }),
      ),
    (r) => r.jobs,
  );
  m.cpuPerNoopJob = cpu;
  const elapsed = performance.now() - startedAt;
  const calls = commandDelta(before, await commandStats(ctx.admin), scaleCalls(background, backgroundMs, elapsed));
  // Commands were counted over warm-up + window + drain; jobs over the window only: scale by all jobs added.
  const allJobs = result.jobs * (elapsed / ctx.options.bullmqDurationMs);
  m.bullmq = { ...result, commandsPerJob: total(calls) / allJobs };
  ctx.log(
    `bullmq no-op: ${result.jobsPerS.toFixed(0)} jobs/s (${ctx.options.concurrency} producers, worker concurrency ${ctx.options.workerConcurrency}), ~${m.bullmq.commandsPerJob.toFixed(1)} Redis commands/job`,
  );
}

/** Redis commands the idle stack issues by itself (BullMQ workers' blocking polls…), to subtract. */
export async function backgroundCommands(ctx: PhaseContext, ms = 2000): Promise<Map<string, number>> {
  const before = await commandStats(ctx.admin);
  await sleep(ms);
  return commandDelta(before, await commandStats(ctx.admin));
}

/** Runs through the whole stack: warm-up (which also measures jobs per run), then the measured runs. */
export async function endToEnd(ctx: PhaseContext, m: Measurements, background: Map<string, number>, backgroundMs: number): Promise<void> {
  const { options } = ctx;
  const warm = await runE2e(ctx.stack.baseUrl, { concurrency: options.concurrency, runs: options.warmupRuns, mode: options.mode });
  if (warm.failed > 0) ctx.log(`warm-up: ${warm.failed}/${warm.runs} runs failed: ${warm.failures.join('; ')}`);
  await sleep(500);
  m.jobsPerRun = (await finishedJobs(ctx)) / warm.runs;
  // One client, one run at a time: the path's own latency, without queueing behind other runs.
  m.e2eSingle = await timed(m, 'e2e single client', () => runE2e(ctx.stack.baseUrl, { concurrency: 1, runs: Math.min(100, options.runs), mode: options.mode }));
  ctx.log(
    `e2e, 1 client: first event p50 ${m.e2eSingle.firstEvent.p50.toFixed(2)} ms p99 ${m.e2eSingle.firstEvent.p99.toFixed(2)} ms, first token p50 ${m.e2eSingle.firstToken.p50.toFixed(2)} ms, run p50 ${m.e2eSingle.run.p50.toFixed(2)} ms`,
  );

  const before = await commandStats(ctx.admin);
  const [e2e, cpu] = await withCpu(
    ctx,
    () => timed(m, 'e2e', () => runE2e(ctx.stack.baseUrl, { concurrency: options.concurrency, runs: options.runs, mode: options.mode })),
    (r) => r.runs,
  );
  m.cpuPerRun = cpu;
  const calls = commandDelta(before, await commandStats(ctx.admin), scaleCalls(background, backgroundMs, e2e.durationMs));
  m.e2e = e2e;
  m.commandsPerRun = total(calls) / e2e.runs;
  m.commandsPerRunTop = Object.fromEntries(
    [...calls]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([cmd, n]) => [cmd, Math.round((n / e2e.runs) * 10) / 10]),
  );
  ctx.log(
    `e2e: ${e2e.runs} runs (${e2e.failed} failed) at ${options.concurrency} clients: ${e2e.runsPerS.toFixed(1)} runs/s, ${e2e.eventsPerS.toFixed(0)} events/s, first event p50 ${e2e.firstEvent.p50.toFixed(2)} ms p99 ${e2e.firstEvent.p99.toFixed(2)} ms`,
  );
  if (e2e.failed > 0) ctx.log(`e2e failures: ${e2e.failures.join('; ')}`);
}

/** Jobs the stack's queues ran (completed or failed sets; KODA keeps the last 2,000 of each). */
async function finishedJobs(ctx: PhaseContext): Promise<number> {
  const pipeline = ctx.admin.pipeline();
  for (const queue of KODA_QUEUES) pipeline.zcard(`${ctx.prefix}:${queue}:completed`).zcard(`${ctx.prefix}:${queue}:failed`);
  const replies = (await pipeline.exec()) ?? [];
  return replies.reduce((sum, [, n]) => sum + Number(n), 0);
}

/** Idle streams on the gateway, and the relay latency measured while they are open. */
export async function idleStreams(ctx: PhaseContext, m: Measurements): Promise<void> {
  const { options } = ctx;
  m.idle = await measureIdleStreams(ctx.stack, ctx.admin, ctx.prefix, options.idleStreams, async () => {
    const plan = planFor(options.concurrency, options.relayDurationMs, options.eventIntervalMs);
    m.relayWithIdle = await timed(m, 'relay koda with idle streams', () => measureRelay('koda', plan, harness(ctx, 'koda', 'relay-idle')));
    const during = await countClients(ctx.admin, `${ctx.prefix}:`);
    ctx.log(
      `relay koda ${options.concurrency} streams with ${options.idleStreams} idle open: p50 ${m.relayWithIdle.latency.p50.toFixed(2)} ms, p99 ${m.relayWithIdle.latency.p99.toFixed(2)} ms (${during} KODA Redis clients)`,
    );
  });
  const i = m.idle;
  ctx.log(
    `idle: ${i.streams} streams opened in ${(i.openMs / 1000).toFixed(1)} s; gateway RSS ${i.rssBeforeKb} → ${i.rssAfterKb} KB (${i.perStreamKb.toFixed(1)} KB/stream, marginal ${i.marginalPerStreamKb.toFixed(1)}); Redis clients ${i.redisClientsIdle} → ${i.redisClientsWithStreams}; released: ${i.released}`,
  );
  if (i.afterGc)
    ctx.log(
      `idle, after a full GC of the gateway: RSS ${i.afterGc.rssBeforeKb} → ${i.afterGc.rssAfterKb} KB (${i.afterGc.perStreamKb.toFixed(1)} KB/stream), heap used ${i.afterGc.heapPerStreamKb.toFixed(1)} KB/stream`,
    );
}

/** Repeats of each configuration in the tracing phase: the spread of same-configuration repeats is the noise. */
const TRACING_ROUNDS = 3;

/**
 * What tracing costs: a second stack exporting every span to a local OTLP/HTTP JSON receiver,
 * measured against the untraced one in rounds (off, on, off, on…) at the headline concurrency:
 * runs/s, POST → first event and relay latency. Each figure is the median of its rounds; the
 * verdict compares the on ÷ off change with how much repeating one configuration moves it.
 */
export async function tracingOverhead(ctx: PhaseContext, m: Measurements): Promise<void> {
  const { options } = ctx;
  const receiver = await startOtlpReceiver();
  try {
    const traced = await startStack(options, `${ctx.prefix}-otel`, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    const missing = await waitForWorkers(traced);
    if (missing.length > 0) return void m.skipped.push(`tracing: the traced stack has no worker on ${missing.join(', ')}`);
    const stacks = { off: ctx.stack, on: traced };
    const runs = Math.max(100, Math.round(options.runs / 2));
    // Warm-up of both, not recorded, as long as a round: the span processor and exporter need it
    // (with the usual 40 runs, the first traced round cost twice the CPU of the third).
    for (const stack of Object.values(stacks)) await runE2e(stack.baseUrl, { concurrency: options.concurrency, runs, mode: options.mode });
    const samples = { off: [] as TracingRound[], on: [] as TracingRound[] };
    for (let round = 0; round < TRACING_ROUNDS; round++) {
      // Alternate which goes first, so neither always follows the other's leftovers.
      const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const config of order) samples[config].push(await tracingRound(ctx, m, stacks[config], config, runs));
    }
    const figure = (pick: (r: TracingRound) => number) => compareTracing(samples.off.map(pick), samples.on.map(pick));
    m.tracing = {
      rounds: TRACING_ROUNDS,
      runsPerRound: runs,
      spansExported: receiver.spans(),
      exports: receiver.exports(),
      runsPerS: figure((r) => r.runsPerS),
      cpuMsPerRun: figure((r) => r.cpuMsPerRun),
      firstEventP50: figure((r) => r.firstEventP50),
      relayP50: figure((r) => r.relayP50),
      relayP99: figure((r) => r.relayP99),
      samples,
    };
    const t = m.tracing;
    ctx.log(
      `tracing on ÷ off: runs/s ${verdictOf(t.runsPerS)}; CPU per run ${verdictOf(t.cpuMsPerRun)}; first event p50 ${verdictOf(t.firstEventP50)}; relay p50 ${verdictOf(t.relayP50)}; relay p99 ${verdictOf(t.relayP99)}; ${t.spansExported} spans exported in ${t.exports} requests`,
    );
  } finally {
    await receiver.close();
  }
}

export interface TracingRound {
  runsPerS: number;
  /** CPU time of the stack's five processes per run (Redis and the driver are shared, so left out). */
  cpuMsPerRun: number;
  firstEventP50: number;
  relayP50: number;
  relayP99: number;
}

async function tracingRound(ctx: PhaseContext, m: Measurements, stack: Stack, config: 'off' | 'on', runs: number): Promise<TracingRound> {
  const { options } = ctx;
  const pids = Object.fromEntries(stack.processes.map((p) => [p.name, p.child.pid]));
  const before = await snapshotCpu(pids);
  const e2e = await timed(m, `tracing ${config} e2e`, () => runE2e(stack.baseUrl, { concurrency: options.concurrency, runs, mode: options.mode }));
  const cpuMsPerRun = Object.values(cpuPer(before, await snapshotCpu(pids), e2e.runs)).reduce<number>((sum, ms) => sum + (ms ?? 0), 0);
  if (e2e.failed > 0) ctx.log(`tracing ${config}: ${e2e.failed}/${e2e.runs} runs failed: ${e2e.failures.join('; ')}`);
  const plan = planFor(options.concurrency, options.relayDurationMs, options.eventIntervalMs);
  const relay = await timed(m, `tracing ${config} relay`, () =>
    measureRelay('koda', plan, new KodaRelayHarness(ctx.publisher, config === 'on' ? `${ctx.prefix}-otel` : ctx.prefix, stack.baseUrl, `tracing-${config}`)),
  );
  ctx.log(
    `tracing ${config.padEnd(3)}: ${e2e.runsPerS.toFixed(1)} runs/s, ${cpuMsPerRun.toFixed(2)} CPU ms/run, first event p50 ${e2e.firstEvent.p50.toFixed(2)} ms; relay p50 ${relay.latency.p50.toFixed(2)} ms, p99 ${relay.latency.p99.toFixed(2)} ms`,
  );
  return { runsPerS: e2e.runsPerS, cpuMsPerRun, firstEventP50: e2e.firstEvent.p50, relayP50: relay.latency.p50, relayP99: relay.latency.p99 };
}

/**
 * `--peer langgraph`: KODA and the LangGraph JS server driven by the same closed-loop clients,
 * interleaved (KODA, peer, KODA, peer) so a noisy second hits both: first event and first token
 * with 1 and N clients, runs/s, CPU per run of the server side, RSS per open stream. The peer
 * streams the chunks KODA's offline Plume streamed for each message, recorded here from KODA.
 */
export async function langgraphPeer(ctx: PhaseContext, m: Measurements): Promise<void> {
  const { options } = ctx;
  await ensureLangGraphInstalled(ctx.log);
  const koda = kodaTarget(ctx.stack.baseUrl, options.mode);
  const chunks = await recordTokens(koda);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'koda-bench-langgraph-'));
  // A Ctrl-C ends the bench with process.exit, past the `finally` below.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  try {
    const chunksFile = path.join(dir, 'chunks.json');
    await fs.writeFile(chunksFile, JSON.stringify(chunks));
    const server = await startLangGraph(options, chunksFile, dir);
    try {
      ctx.log(`LangGraph peer up at ${server.url} (pid ${server.process.child.pid}, ${options.peerWorkers} workers)`);
      const peer = langGraphTarget(server.url);
      const kodaPids = Object.fromEntries(Object.entries(ctx.pids).filter(([name]) => name !== 'bench' && name !== 'peer'));
      const peerPids = { langgraph: server.process.child.pid };
      for (const target of [koda, peer]) await runClients(target, { concurrency: options.concurrency, runs: options.warmupRuns });
      const single = (target: E2eTarget, name: string) =>
        timed(m, `peer ${name} single client`, () => runClients(target, { concurrency: 1, runs: Math.min(100, options.runs) }));
      const kodaSingle = await single(koda, 'koda');
      const langgraphSingle = await single(peer, 'langgraph');
      const loaded = async (target: E2eTarget, name: string, pids: Record<string, number | undefined>) =>
        withCpu(
          ctx,
          () => timed(m, `peer ${name}`, () => runClients(target, { concurrency: options.concurrency, runs: options.runs })),
          (r) => r.runs,
          pids,
        );
      const [kodaRuns, kodaCpu] = await loaded(koda, 'koda', kodaPids);
      const [langgraphRuns, langgraphCpu] = await loaded(peer, 'langgraph', peerPids);
      for (const [name, r] of [
        ['koda', kodaRuns],
        ['langgraph', langgraphRuns],
        ['koda 1 client', kodaSingle],
        ['langgraph 1 client', langgraphSingle],
      ] as const) {
        ctx.log(
          `peer phase, ${name}: ${r.runsPerS.toFixed(1)} runs/s (${r.failed}/${r.runs} failed), first event p50 ${r.firstEvent.p50.toFixed(2)} ms p99 ${r.firstEvent.p99.toFixed(2)} ms, first token p50 ${r.firstToken.p50.toFixed(2)} ms, ${r.tokensPerRun.toFixed(1)} tokens/run`,
        );
        if (r.failed > 0) ctx.log(`peer phase, ${name} failures: ${r.failures.join('; ')}`);
      }
      const n = options.peerOpenStreams;
      const runIds = Array.from({ length: n }, (_, i) => `bench-peer-open-${i}-${uid()}`);
      await createRunLogs(ctx.admin, ctx.prefix, runIds);
      const kodaOpen = await rssPerOpenStream(ctx.stack.gateway.child.pid!, n, (i) => openKodaStream(ctx.stack.baseUrl, runIds[i]));
      const langgraphOpen = await rssPerOpenStream(server.process.child.pid!, n, () => openHeldLangGraphStream(server.url));
      ctx.log(
        `peer phase, RSS per open stream (${n}): KODA gateway ${kodaOpen.perStreamKb.toFixed(1)} KB, LangGraph ${langgraphOpen.perStreamKb.toFixed(1)} KB`,
      );
      const sum = (cpu: Record<string, number | null>) => Object.values(cpu).reduce<number>((a, b) => a + (b ?? 0), 0);
      m.langgraph = {
        koda: sideOf(kodaSingle, kodaRuns, sum(kodaCpu), kodaOpen.perStreamKb),
        langgraph: sideOf(langgraphSingle, langgraphRuns, sum(langgraphCpu), langgraphOpen.perStreamKb),
        chunksPerRun: Object.values(chunks).reduce((a, c) => a + c.length, 0) / Object.keys(chunks).length,
        workers: options.peerWorkers,
        runs: { koda: kodaRuns, langgraph: langgraphRuns, kodaSingle, langgraphSingle },
        openStreams: { koda: kodaOpen, langgraph: langgraphOpen },
        cpuMsPerRunByProcess: { koda: kodaCpu, langgraph: langgraphCpu },
      };
    } finally {
      await stopLangGraph(server.process);
    }
  } finally {
    process.off('exit', removeDir);
    removeDir();
  }
}

function sideOf(single: E2eResult, loaded: E2eResult, cpuMsPerRun: number, rssKbPerOpenStream: number): PeerSide {
  const pick = (s: E2eResult['firstEvent']) => ({ p50: s.p50, p99: s.p99 });
  return {
    firstEvent1: pick(single.firstEvent),
    firstToken1: pick(single.firstToken),
    firstEventN: pick(loaded.firstEvent),
    firstTokenN: pick(loaded.firstToken),
    runsPerS: loaded.runsPerS,
    cpuMsPerRun,
    rssKbPerOpenStream,
  };
}

/** A KODA stream that stays open: a run log holding only its `start` event, as the idle phase opens. */
function openKodaStream(baseUrl: string, runId: string) {
  const first = deferred();
  const stream = openSse({ url: `${baseUrl}/api/v1/runs/${runId}/events`, agent: false, onFrame: () => first.resolve() });
  return { stream, ready: first.promise };
}
