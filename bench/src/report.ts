import { cpus } from 'os';
import type { BenchOptions } from './args';
import type { BullmqResult } from './baselines/bullmq-noop';
import type { E2eResult } from './e2e-load';
import { formatRatio, formatStatus, formatValue, renderTable } from './format';
import type { IdleResult } from './idle-streams';
import type { OpenStreamsResult } from './langgraph-peer';
import type { PeerSide } from './peer-compare';
import type { RelayResult } from './relay/relay-harness';
import type { Window } from './profile-summary';
import { round } from './stats';
import { comparePeer, type PeerFigure } from './peer-compare';
import { evaluateTargets, type Figures, type RelayRepeats, type TargetResult } from './targets';
import { verdictOf, type OverheadFigure } from './tracing-overhead';
import type { TracingRound } from './phases';

export interface SweepPoint {
  streams: number;
  koda?: RelayResult;
  raw?: RelayResult;
  peer?: RelayResult;
}

/** Everything one bench run measured; phases that did not run leave their field undefined. */
export interface Measurements {
  options: BenchOptions;
  prefix: string;
  redisVersion: string;
  sweep: SweepPoint[];
  relayWithIdle?: RelayResult;
  bullmq?: BullmqResult & { commandsPerJob: number };
  e2e?: E2eResult;
  /** The same runs, one client at a time: latency without queueing. */
  e2eSingle?: E2eResult;
  jobsPerRun?: number;
  commandsPerRun?: number;
  commandsPerRunTop?: Record<string, number>;
  idle?: IdleResult;
  skipped: string[];
  /** CPU ms per process (gateway, orchestrator, agents, redis, driver…) per run / per 1,000 relayed events / per no-op job. */
  cpuPerRun?: Record<string, number | null>;
  /** Every p99 measured at the headline point, per system (the median one is reported). */
  headlineP99s: Partial<Record<'koda' | 'raw' | 'peer', number[]>>;
  cpuPerThousandRelayEvents: Partial<Record<'koda' | 'raw' | 'peer', Record<string, number | null>>>;
  cpuPerNoopJob?: Record<string, number | null>;
  /** Every p50 measured at the headline point, per system, in the order of headlineP99s. */
  headlineP50s: Partial<Record<'koda' | 'raw' | 'peer', number[]>>;
  /** `--peer langgraph`: KODA and the LangGraph JS server driven by the same clients in one phase. */
  langgraph?: {
    koda: PeerSide;
    langgraph: PeerSide;
    chunksPerRun: number;
    workers: number;
    runs: { koda: E2eResult; langgraph: E2eResult; kodaSingle: E2eResult; langgraphSingle: E2eResult };
    openStreams: { koda: OpenStreamsResult; langgraph: OpenStreamsResult };
    cpuMsPerRunByProcess: { koda: Record<string, number | null>; langgraph: Record<string, number | null> };
  };
  /** When each phase ran, to cut CPU profiles to it. */
  windows: Window[];
  /** Tracing off vs on (a second stack exporting to a local OTLP receiver), same run. */
  tracing?: {
    rounds: number;
    runsPerRound: number;
    spansExported: number;
    exports: number;
    runsPerS: OverheadFigure;
    cpuMsPerRun: OverheadFigure;
    firstEventP50: OverheadFigure;
    relayP50: OverheadFigure;
    relayP99: OverheadFigure;
    samples: { off: TracingRound[]; on: TracingRound[] };
  };
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Runs a phase and records its time window. */
export async function timed<T>(m: Measurements, name: string, phase: () => Promise<T>): Promise<T> {
  const fromUs = nowUs();
  try {
    return await phase();
  } finally {
    m.windows.push({ name, fromUs, toUs: nowUs() });
  }
}

const orNull = (v: number | undefined) => (v === undefined ? null : round(v));

export function headline(m: Measurements): SweepPoint | undefined {
  return m.sweep.find((p) => p.streams === m.options.concurrency);
}

export function figuresOf(m: Measurements): Figures & Record<string, unknown> {
  const h = headline(m);
  const ceiling = m.bullmq && m.jobsPerRun ? m.bullmq.jobsPerS / m.jobsPerRun : undefined;
  const peer = peerFiguresOf(m) ?? [];
  return {
    clients: m.options.concurrency,
    relay_streams: m.options.concurrency,
    relay_p50_ms: orNull(h?.koda?.latency.p50),
    relay_p99_ms: orNull(h?.koda?.latency.p99),
    raw_redis_relay_p50_ms: orNull(h?.raw?.latency.p50),
    raw_redis_relay_p99_ms: orNull(h?.raw?.latency.p99),
    peer_relay_p50_ms: orNull(h?.peer?.latency.p50),
    peer_relay_p99_ms: orNull(h?.peer?.latency.p99),
    relay_with_idle_streams_p50_ms: orNull(m.relayWithIdle?.latency.p50),
    relay_with_idle_streams_p99_ms: orNull(m.relayWithIdle?.latency.p99),
    first_event_p50_ms: orNull(m.e2e?.firstEvent.p50),
    first_event_p99_ms: orNull(m.e2e?.firstEvent.p99),
    first_event_1_client_p50_ms: orNull(m.e2eSingle?.firstEvent.p50),
    first_event_1_client_p99_ms: orNull(m.e2eSingle?.firstEvent.p99),
    run_1_client_p50_ms: orNull(m.e2eSingle?.run.p50),
    first_token_p50_ms: orNull(m.e2e?.firstToken.p50),
    first_token_p99_ms: orNull(m.e2e?.firstToken.p99),
    run_p50_ms: orNull(m.e2e?.run.p50),
    run_p99_ms: orNull(m.e2e?.run.p99),
    event_timestamp_latency_p99_ms: orNull(m.e2e?.eventLatency.p99),
    runs_per_s: orNull(m.e2e?.runsPerS),
    events_per_s: orNull(m.e2e?.eventsPerS),
    events_per_run: orNull(m.e2e?.eventsPerRun),
    failed_runs: m.e2e?.failed ?? null,
    bullmq_noop_jobs_per_s: orNull(m.bullmq?.jobsPerS),
    jobs_per_run: orNull(m.jobsPerRun),
    runs_per_s_ceiling: orNull(ceiling),
    redis_commands_per_run: orNull(m.commandsPerRun),
    redis_commands_per_noop_job: orNull(m.bullmq?.commandsPerJob),
    redis_clients_idle: m.idle?.redisClientsIdle ?? null,
    redis_clients_with_streams: m.idle?.redisClientsWithStreams ?? null,
    gateway_redis_clients_idle: m.idle?.gatewayClientsIdle ?? null,
    gateway_redis_clients_with_streams: m.idle?.gatewayClientsWithStreams ?? null,
    idle_streams: m.idle?.streams ?? null,
    idle_stream_rss_kb: orNull(m.idle?.perStreamKb),
    idle_stream_marginal_rss_kb: orNull(m.idle?.marginalPerStreamKb),
    idle_stream_rss_after_gc_kb: orNull(m.idle?.afterGc?.perStreamKb),
    idle_stream_heap_after_gc_kb: orNull(m.idle?.afterGc?.heapPerStreamKb),
    tracing_runs_per_s_ratio: orNull(m.tracing?.runsPerS.ratio),
    tracing_cpu_ms_per_run_ratio: orNull(m.tracing?.cpuMsPerRun.ratio),
    tracing_first_event_p50_ratio: orNull(m.tracing?.firstEventP50.ratio),
    tracing_relay_p50_ratio: orNull(m.tracing?.relayP50.ratio),
    tracing_relay_p99_ratio: orNull(m.tracing?.relayP99.ratio),
    tracing_within_noise: m.tracing ? m.tracing.runsPerS.withinNoise && m.tracing.relayP99.withinNoise : null,
    // `--peer langgraph`: each item-1 figure of the LangGraph server, and KODA ÷ LangGraph.
    ...Object.fromEntries(
      peer.flatMap((p) => [
        [`langgraph_${p.key}`, orNull(p.peer ?? undefined)],
        [`koda_vs_langgraph_${p.key}_ratio`, orNull(p.ratio ?? undefined)],
      ]),
    ),
  };
}

/** Each repeat of the headline relay point, KODA beside resumable-stream (null if the relay phase did not run). */
export function relayRepeatsOf(m: Measurements): RelayRepeats | null {
  const { koda: kodaP50 = [], peer: peerP50 = [] } = m.headlineP50s;
  const { koda: kodaP99 = [], peer: peerP99 = [] } = m.headlineP99s;
  if (kodaP99.length === 0 || peerP99.length === 0) return null;
  return { koda: { p50: kodaP50, p99: kodaP99 }, peer: { p50: peerP50, p99: peerP99 } };
}

export function peerFiguresOf(m: Measurements): PeerFigure[] | null {
  return m.langgraph ? comparePeer(m.langgraph.koda, m.langgraph.langgraph, m.options.concurrency) : null;
}

export function targetsOf(m: Measurements): TargetResult[] {
  return evaluateTargets(figuresOf(m), relayRepeatsOf(m), peerFiguresOf(m));
}

/** The stdout table: each KODA figure beside its baseline, the ratio, and its target. */
export function tableOf(m: Measurements, targets: TargetResult[]): string {
  const f = figuresOf(m);
  const n = m.options.concurrency;
  const status = (name: string) => formatStatus(targets.find((t) => t.name === name)?.met ?? null);
  const ms = (v: unknown) => formatValue(v as number | null, 'ms');
  const num = (v: unknown, unit = '') => formatValue(v as number | null, unit);
  const r = (a: unknown, b: unknown) => formatRatio(a as number | null, b as number | null);
  const commandsFloor = m.bullmq && m.jobsPerRun && m.e2e ? m.bullmq.commandsPerJob * m.jobsPerRun + m.e2e.eventsPerRun : null;
  const rows = [
    ['figure', 'KODA', 'baseline', 'baseline value', 'ratio', 'target', 'status'],
    [`relay p50, ${n} streams`, ms(f.relay_p50_ms), 'raw XADD→XREAD', ms(f.raw_redis_relay_p50_ms), r(f.relay_p50_ms, f.raw_redis_relay_p50_ms), '', ''],
    [
      `relay p99, ${n} streams`,
      ms(f.relay_p99_ms),
      'raw XADD→XREAD',
      ms(f.raw_redis_relay_p99_ms),
      r(f.relay_p99_ms, f.raw_redis_relay_p99_ms),
      '≤ 3× raw (info)',
      status(`relay p99 vs raw Redis XREAD, ${n} streams`),
    ],
    [
      `relay p50, ${n} streams`,
      ms(f.relay_p50_ms),
      'resumable-stream',
      ms(f.peer_relay_p50_ms),
      r(f.relay_p50_ms, f.peer_relay_p50_ms),
      '≤ 1× every repeat',
      status('relay p50 and p99 vs resumable-stream'),
    ],
    [
      `relay p99, ${n} streams`,
      ms(f.relay_p99_ms),
      'resumable-stream',
      ms(f.peer_relay_p99_ms),
      r(f.relay_p99_ms, f.peer_relay_p99_ms),
      '≤ 1× every repeat',
      status('relay p50 and p99 vs resumable-stream'),
    ],
    [
      `relay p99, ${n} + ${f.idle_streams ?? 0} idle`,
      ms(f.relay_with_idle_streams_p99_ms),
      'raw XADD→XREAD',
      ms(f.raw_redis_relay_p99_ms),
      r(f.relay_with_idle_streams_p99_ms, f.raw_redis_relay_p99_ms),
      '(info)',
      '',
    ],
    ['POST → first event p50', ms(f.first_event_p50_ms), '', '', '', '(info)', ''],
    [
      'POST → first event p99',
      ms(f.first_event_p99_ms),
      'target',
      '50 ms',
      r(f.first_event_p99_ms, 50),
      '≤ 50 ms',
      status(`POST → first event p99, ${n} clients`),
    ],
    [
      'POST → first event, 1 client p50/p99',
      `${ms(f.first_event_1_client_p50_ms)} / ${ms(f.first_event_1_client_p99_ms)}`,
      `${n} clients p50`,
      ms(f.first_event_p50_ms),
      r(f.first_event_1_client_p50_ms, f.first_event_p50_ms),
      '(info)',
      '',
    ],
    [
      'POST → first token p50/p99',
      `${ms(f.first_token_p50_ms)} / ${ms(f.first_token_p99_ms)}`,
      'first event p50',
      ms(f.first_event_p50_ms),
      r(f.first_token_p50_ms, f.first_event_p50_ms),
      'p50 ≤ 2×',
      status('first token p50 vs first event p50'),
    ],
    [
      `runs/s, ${n} clients`,
      num(f.runs_per_s, '/s'),
      'BullMQ no-op jobs/s',
      num(f.bullmq_noop_jobs_per_s, '/s'),
      r(f.runs_per_s, f.bullmq_noop_jobs_per_s),
      '≥ 0.50×',
      status(`runs/s vs BullMQ no-op jobs/s, ${n} clients`),
    ],
    ['BullMQ no-op jobs/s; jobs/run', `${num(f.bullmq_noop_jobs_per_s, '/s')}; ${num(f.jobs_per_run)}`, '', '', '', '(baseline)', ''],
    [
      'events/s delivered',
      num(f.events_per_s, '/s'),
      'ceiling × events/run',
      num(f.runs_per_s_ceiling !== null && f.events_per_run !== null ? (f.runs_per_s_ceiling as number) * (f.events_per_run as number) : null, '/s'),
      r(f.events_per_s, f.runs_per_s_ceiling !== null && f.events_per_run !== null ? (f.runs_per_s_ceiling as number) * (f.events_per_run as number) : null),
      '(info)',
      '',
    ],
    [
      'Redis commands per run',
      num(f.redis_commands_per_run),
      'no-op jobs + 1 XADD/event',
      num(commandsFloor),
      r(f.redis_commands_per_run, commandsFloor),
      '≤ 100',
      status('Redis commands per run'),
    ],
    [
      'Redis clients: idle → with streams',
      `${f.redis_clients_idle ?? '—'} → ${f.redis_clients_with_streams ?? '—'}`,
      'idle',
      `${f.redis_clients_idle ?? '—'}`,
      r(f.redis_clients_with_streams, f.redis_clients_idle),
      'constant',
      status('Redis clients flat with open streams'),
    ],
    [
      `gateway RSS per idle stream (${f.idle_streams ?? 0}), after GC`,
      `${num(f.idle_stream_rss_after_gc_kb, 'KB')} (${num(f.idle_stream_rss_kb, 'KB')} without)`,
      'target',
      '30 KB',
      r(f.idle_stream_rss_after_gc_kb ?? f.idle_stream_rss_kb, 30),
      '≤ 30 KB',
      status('gateway RSS per idle stream'),
    ],
    ...tracingRows(m),
  ];
  return renderTable(rows);
}

/** Tracing on beside tracing off, each the median of its rounds, with the verdict against the noise. */
function tracingRows(m: Measurements): string[][] {
  const t = m.tracing;
  if (!t) return [];
  const row = (name: string, figure: OverheadFigure, unit: string) => [
    `${name}, tracing on`,
    formatValue(figure.on, unit),
    'tracing off',
    formatValue(figure.off, unit),
    formatRatio(figure.on, figure.off),
    'within noise',
    verdictOf(figure).split(': ')[1],
  ];
  return [
    row('runs/s', t.runsPerS, '/s'),
    row('CPU per run (5 services)', t.cpuMsPerRun, 'ms'),
    row('POST → first event p50', t.firstEventP50, 'ms'),
    row('relay p50', t.relayP50, 'ms'),
    row('relay p99', t.relayP99, 'ms'),
  ];
}

export function sweepTable(m: Measurements): string {
  const cell = (r?: RelayResult) => (r ? `${r.latency.p50.toFixed(2)} / ${r.latency.p99.toFixed(2)}` : '—');
  const rows = [['streams', 'events/s offered', 'KODA p50/p99 ms', 'raw p50/p99 ms', 'peer p50/p99 ms', 'KODA p99 ÷ raw', 'KODA p99 ÷ peer']];
  for (const p of m.sweep) {
    const offered = (p.streams * 1000) / m.options.eventIntervalMs;
    rows.push([
      String(p.streams),
      offered.toFixed(0),
      cell(p.koda),
      cell(p.raw),
      cell(p.peer),
      formatRatio(p.koda?.latency.p99, p.raw?.latency.p99),
      formatRatio(p.koda?.latency.p99, p.peer?.latency.p99),
    ]);
  }
  return renderTable(rows);
}

/** Where the CPU goes: ms per run / per no-op job / per 1,000 relayed events, per process. */
export function cpuTable(m: Measurements): string {
  const columns: [string, Record<string, number | null> | undefined][] = [
    ['per run', m.cpuPerRun],
    ['per no-op job', m.cpuPerNoopJob],
    ['per 1k events KODA', m.cpuPerThousandRelayEvents.koda],
    ['raw', m.cpuPerThousandRelayEvents.raw],
    ['peer', m.cpuPerThousandRelayEvents.peer],
  ];
  const names = [...new Set(columns.flatMap(([, c]) => Object.keys(c ?? {})))];
  const rows = [['CPU ms', ...columns.map(([label]) => label)]];
  for (const name of names) rows.push([name, ...columns.map(([, c]) => formatValue(c?.[name] ?? null, ''))]);
  const sum = (c?: Record<string, number | null>) => (c ? Object.values(c).reduce<number>((a, b) => a + (b ?? 0), 0) : null);
  rows.push(['total', ...columns.map(([, c]) => formatValue(sum(c), ''))]);
  return renderTable(rows);
}

export function latestJson(m: Measurements): Record<string, unknown> {
  const figures = figuresOf(m);
  return {
    generated_at: new Date().toISOString(),
    profile: m.options.profile,
    options: { ...m.options, only: m.options.only ? [...m.options.only] : undefined },
    machine: { cpus: cpus().length, node: process.version, redis: m.redisVersion },
    ...figures,
    redis_commands_per_run_top: m.commandsPerRunTop ?? null,
    cpu_ms_per_run: m.cpuPerRun ?? null,
    cpu_ms_per_noop_job: m.cpuPerNoopJob ?? null,
    cpu_ms_per_1000_relay_events: m.cpuPerThousandRelayEvents,
    targets: targetsOf(m),
    langgraph: m.langgraph ? { figures: peerFiguresOf(m), ...m.langgraph } : null,
    relay_headline_p50s_ms: m.headlineP50s,
    relay_headline_p99s_ms: m.headlineP99s,
    relay_sweep: m.sweep.map((p) => ({ streams: p.streams, koda: p.koda?.latency ?? null, raw: p.raw?.latency ?? null, peer: p.peer?.latency ?? null })),
    relay_with_idle_streams: m.relayWithIdle?.latency ?? null,
    e2e: m.e2e ?? null,
    e2e_single_client: m.e2eSingle ?? null,
    idle: m.idle ?? null,
    bullmq: m.bullmq ?? null,
    tracing: m.tracing ?? null,
    skipped: m.skipped,
  };
}
