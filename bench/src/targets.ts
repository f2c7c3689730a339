/**
 * The performance targets of the issue, evaluated against measured figures. The bench REPORTS
 * them (stdout, latest.json, README); nothing asserts them, because absolute figures depend on
 * the machine. Pure: unit-tested in targets.spec.ts.
 */

export interface Figures {
  relay_p50_ms: number | null;
  relay_p99_ms: number | null;
  raw_redis_relay_p99_ms: number | null;
  peer_relay_p99_ms: number | null;
  first_event_p50_ms: number | null;
  first_event_p99_ms: number | null;
  runs_per_s: number | null;
  bullmq_noop_jobs_per_s: number | null;
  jobs_per_run: number | null;
  redis_clients_idle: number | null;
  redis_clients_with_streams: number | null;
  idle_streams: number | null;
  idle_stream_rss_kb: number | null;
}

export interface TargetResult {
  name: string;
  target: string;
  actual: string;
  /** null: not measured in this run (a phase skipped or failed). */
  met: boolean | null;
}

const known = (...values: (number | null)[]) => values.every((v) => v !== null && Number.isFinite(v));
const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} ms`);

export const RSS_TARGET_KB = 30;
export const IDLE_STREAMS_TARGET = 10_000;

export function evaluateTargets(f: Figures): TargetResult[] {
  const ceiling = known(f.bullmq_noop_jobs_per_s, f.jobs_per_run) ? f.bullmq_noop_jobs_per_s! / f.jobs_per_run! : null;
  return [
    check('relay p99 absolute', '≤ 10 ms', ms(f.relay_p99_ms), known(f.relay_p99_ms) ? f.relay_p99_ms! <= 10 : null),
    check(
      'relay p99 vs raw Redis XREAD',
      '≤ 3× raw p99',
      `${ms(f.relay_p99_ms)} vs ${ms(f.raw_redis_relay_p99_ms)}`,
      known(f.relay_p99_ms, f.raw_redis_relay_p99_ms) ? f.relay_p99_ms! <= 3 * f.raw_redis_relay_p99_ms! : null,
    ),
    check(
      'relay p99 vs resumable-stream',
      '≤ peer p99',
      `${ms(f.relay_p99_ms)} vs ${ms(f.peer_relay_p99_ms)}`,
      known(f.relay_p99_ms, f.peer_relay_p99_ms) ? f.relay_p99_ms! <= f.peer_relay_p99_ms! : null,
    ),
    check('POST → first event p50', '≤ 15 ms', ms(f.first_event_p50_ms), known(f.first_event_p50_ms) ? f.first_event_p50_ms! <= 15 : null),
    check('POST → first event p99', '≤ 50 ms', ms(f.first_event_p99_ms), known(f.first_event_p99_ms) ? f.first_event_p99_ms! <= 50 : null),
    check(
      'runs/s vs BullMQ ceiling',
      '≥ 0.8 × no-op jobs/s ÷ jobs/run',
      ceiling === null || !known(f.runs_per_s)
        ? '—'
        : `${f.runs_per_s!.toFixed(1)} vs ${ceiling.toFixed(1)} (${((f.runs_per_s! / ceiling) * 100).toFixed(0)}%)`,
      ceiling !== null && known(f.runs_per_s) ? f.runs_per_s! >= 0.8 * ceiling : null,
    ),
    check(
      'Redis clients constant',
      'with streams = idle',
      known(f.redis_clients_idle, f.redis_clients_with_streams)
        ? `${f.redis_clients_idle} idle, ${f.redis_clients_with_streams} with ${f.idle_streams} streams`
        : '—',
      known(f.redis_clients_idle, f.redis_clients_with_streams) ? f.redis_clients_idle === f.redis_clients_with_streams : null,
    ),
    check(
      'gateway RSS per idle stream',
      `≤ ${RSS_TARGET_KB} KB (${IDLE_STREAMS_TARGET.toLocaleString('en')} streams in --profile full)`,
      known(f.idle_stream_rss_kb) ? `${f.idle_stream_rss_kb!.toFixed(1)} KB × ${f.idle_streams} streams` : '—',
      known(f.idle_stream_rss_kb) ? f.idle_stream_rss_kb! <= RSS_TARGET_KB : null,
    ),
  ];
}

const check = (name: string, target: string, actual: string, met: boolean | null): TargetResult => ({ name, target, actual, met });
