/**
 * The performance targets of issue #15, evaluated against figures measured in one run. The
 * bench REPORTS them (stdout, latest.json, README); nothing asserts them, because absolute
 * figures depend on the machine. Pure: unit-tested in targets.spec.ts.
 */
import { aheadText, peerVerdict, type PeerFigure } from './peer-compare';

export interface Figures {
  relay_p99_ms: number | null;
  raw_redis_relay_p99_ms: number | null;
  first_event_p50_ms: number | null;
  first_event_p99_ms: number | null;
  first_token_p50_ms: number | null;
  runs_per_s: number | null;
  bullmq_noop_jobs_per_s: number | null;
  redis_commands_per_run: number | null;
  redis_clients_idle: number | null;
  redis_clients_with_streams: number | null;
  idle_streams: number | null;
  idle_stream_rss_kb: number | null;
  /** The same delta, each RSS read right after a full GC of the gateway: what the streams retain. */
  idle_stream_rss_after_gc_kb?: number | null;
  /** Headline concurrency (clients, streams). */
  clients: number;
}

/** Each repeat of the headline relay point, KODA and resumable-stream measured in turn. */
export interface RelayRepeats {
  koda: { p50: number[]; p99: number[] };
  peer: { p50: number[]; p99: number[] };
}

export interface TargetResult {
  /** The issue's letter for it, or `info`. */
  id: string;
  name: string;
  /** The threshold, in words. */
  target: string;
  /** The measured figure(s). */
  actual: string;
  /** Figure ÷ threshold (or what the target compares), in words. */
  ratio: string;
  /** null: not measured in this run (a phase skipped, failed or not asked for). */
  met: boolean | null;
  /** Shown instead of the verdict when `met` is null (e.g. "not run"). */
  note?: string;
  /** Reported beside the targets, not one of them. */
  info?: boolean;
}

const known = (...values: (number | null | undefined)[]) => values.every((v) => v !== null && v !== undefined && Number.isFinite(v));
const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} ms`);
const times = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(2)}×`);

export const RSS_TARGET_KB = 30;
export const COMMANDS_PER_RUN_TARGET = 100;
export const FIRST_EVENT_P99_TARGET_MS = 50;
export const RUNS_PER_NOOP_JOB_TARGET = 0.5;

export function evaluateTargets(f: Figures, relay: RelayRepeats | null, peer: PeerFigure[] | null): TargetResult[] {
  return [
    runsVsNoop(f),
    commandsPerRun(f),
    check(
      'c',
      `POST → first event p99, ${f.clients} clients`,
      `≤ ${FIRST_EVENT_P99_TARGET_MS} ms`,
      ms(f.first_event_p99_ms),
      known(f.first_event_p99_ms) ? times(f.first_event_p99_ms! / FIRST_EVENT_P99_TARGET_MS) : 'n/a',
      known(f.first_event_p99_ms) ? f.first_event_p99_ms! <= FIRST_EVENT_P99_TARGET_MS : null,
    ),
    check(
      'd',
      'first token p50 vs first event p50',
      '≤ 2 × first event p50',
      `${ms(f.first_token_p50_ms)} vs ${ms(f.first_event_p50_ms)}`,
      known(f.first_token_p50_ms, f.first_event_p50_ms) ? times(f.first_token_p50_ms! / f.first_event_p50_ms!) : 'n/a',
      known(f.first_token_p50_ms, f.first_event_p50_ms) ? f.first_token_p50_ms! <= 2 * f.first_event_p50_ms! : null,
    ),
    relayVsPeer(relay),
    langGraph(peer),
    check(
      'g',
      'Redis clients flat with open streams',
      'with streams = idle',
      known(f.redis_clients_idle, f.redis_clients_with_streams)
        ? `${f.redis_clients_idle} idle → ${f.redis_clients_with_streams} with ${f.idle_streams} streams`
        : '—',
      known(f.redis_clients_idle, f.redis_clients_with_streams) ? times(f.redis_clients_with_streams! / f.redis_clients_idle!) : 'n/a',
      known(f.redis_clients_idle, f.redis_clients_with_streams) ? f.redis_clients_idle === f.redis_clients_with_streams : null,
    ),
    idleRss(f),
    {
      ...check(
        'info',
        `relay p99 vs raw Redis XREAD, ${f.clients} streams`,
        '≤ 3× raw p99',
        `${ms(f.relay_p99_ms)} vs ${ms(f.raw_redis_relay_p99_ms)}`,
        known(f.relay_p99_ms, f.raw_redis_relay_p99_ms) ? times(f.relay_p99_ms! / f.raw_redis_relay_p99_ms!) : 'n/a',
        known(f.relay_p99_ms, f.raw_redis_relay_p99_ms) ? f.relay_p99_ms! <= 3 * f.raw_redis_relay_p99_ms! : null,
      ),
      info: true,
    },
  ];
}

/**
 * (g) RSS per idle stream, judged on the delta read after a full GC of the gateway when there is
 * one: without it, the delta counts the garbage left by opening the streams, which V8 had not
 * collected yet (≈ half of it, measured) and which is no cost of a stream being open. Both are
 * shown. A delta of zero or less means a collection shrank the heap meanwhile: not measured.
 */
function idleRss(f: Figures): TargetResult {
  const name = 'gateway RSS per idle stream';
  const target = `≤ ${RSS_TARGET_KB} KB`;
  const afterGc = known(f.idle_stream_rss_after_gc_kb) && f.idle_stream_rss_after_gc_kb! > 0 ? f.idle_stream_rss_after_gc_kb! : null;
  const kb = afterGc ?? f.idle_stream_rss_kb;
  if (!known(kb)) return check('g', name, target, '—', 'n/a', null);
  const raw = known(f.idle_stream_rss_kb) ? f.idle_stream_rss_kb!.toFixed(1) : '—';
  const actual =
    afterGc === null ? `${kb!.toFixed(1)} KB × ${f.idle_streams} streams` : `${afterGc.toFixed(1)} KB after GC (${raw} without) × ${f.idle_streams} streams`;
  if (kb! <= 0) return { ...check('g', name, target, actual, 'n/a', null), note: 'n/a (a GC shrank RSS meanwhile)' };
  return check('g', name, target, actual, times(kb! / RSS_TARGET_KB), kb! <= RSS_TARGET_KB);
}

/** (a) A run may cost at most two no-op jobs: runs/s against no-op jobs/s itself, not ÷ jobs per run. */
function runsVsNoop(f: Figures): TargetResult {
  const ratio = known(f.runs_per_s, f.bullmq_noop_jobs_per_s) ? f.runs_per_s! / f.bullmq_noop_jobs_per_s! : null;
  return check(
    'a',
    `runs/s vs BullMQ no-op jobs/s, ${f.clients} clients`,
    `≥ ${RUNS_PER_NOOP_JOB_TARGET} × no-op jobs/s`,
    known(f.runs_per_s, f.bullmq_noop_jobs_per_s) ? `${f.runs_per_s!.toFixed(1)} runs/s vs ${f.bullmq_noop_jobs_per_s!.toFixed(0)} jobs/s` : '—',
    times(ratio),
    ratio === null ? null : ratio >= RUNS_PER_NOOP_JOB_TARGET,
  );
}

function commandsPerRun(f: Figures): TargetResult {
  return check(
    'b',
    'Redis commands per run',
    `≤ ${COMMANDS_PER_RUN_TARGET}`,
    known(f.redis_commands_per_run) ? f.redis_commands_per_run!.toFixed(0) : '—',
    known(f.redis_commands_per_run) ? times(f.redis_commands_per_run! / COMMANDS_PER_RUN_TARGET) : 'n/a',
    known(f.redis_commands_per_run) ? f.redis_commands_per_run! <= COMMANDS_PER_RUN_TARGET : null,
  );
}

/** (e) In every repeat of the headline relay point, KODA's p50 and p99 are both ≤ resumable-stream's of the same repeat. */
export function relayVsPeer(relay: RelayRepeats | null): TargetResult {
  const n = relay ? Math.min(relay.koda.p50.length, relay.koda.p99.length, relay.peer.p50.length, relay.peer.p99.length) : 0;
  const name = 'relay p50 and p99 vs resumable-stream';
  if (!relay || n === 0) return check('e', name, '≤ peer in every repeat', '—', 'n/a', null);
  let won = 0;
  let p50Won = 0;
  let p99Won = 0;
  for (let i = 0; i < n; i++) {
    if (relay.koda.p50[i] <= relay.peer.p50[i]) p50Won++;
    if (relay.koda.p99[i] <= relay.peer.p99[i]) p99Won++;
    if (relay.koda.p50[i] <= relay.peer.p50[i] && relay.koda.p99[i] <= relay.peer.p99[i]) won++;
  }
  const actual = `both in ${won} of ${n} repeats (p50 in ${p50Won}, p99 in ${p99Won})`;
  return check('e', name, `≤ peer in ${n} of ${n} repeats`, actual, `${won}/${n}`, won === n);
}

/** (f) Ahead of the LangGraph JS server on every figure of item 1 by its margin; "not run" without `--peer langgraph`. */
function langGraph(peer: PeerFigure[] | null): TargetResult {
  const name = 'ahead of the LangGraph JS server';
  const target = 'first event ≥ 10×, runs/s ≥ 3×, the rest ahead';
  if (!peer) return { ...check('f', name, target, '—', 'n/a', null), note: 'not run (--peer langgraph)' };
  const { met, missed } = peerVerdict(peer);
  const least = peer.filter((p) => p.aheadBy !== null).sort((a, b) => a.aheadBy! / a.margin - b.aheadBy! / b.margin)[0];
  const actual = met === null ? '—' : met ? `all ${peer.length} figures` : `${peer.length - missed.length} of ${peer.length} figures (table below)`;
  return check('f', name, target, actual, least ? `least: ${aheadText(least.aheadBy)} (needs ${least.margin}×)` : 'n/a', met);
}

const check = (id: string, name: string, target: string, actual: string, ratio: string, met: boolean | null): TargetResult => ({
  id,
  name,
  target,
  actual,
  ratio,
  met,
});
