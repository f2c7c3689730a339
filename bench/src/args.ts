import { CHAT_MODES, type ChatMode } from '@koda/contracts';
/** Command-line options of `npm run bench`, resolved over a profile's defaults. */

export type ProfileName = 'quick' | 'full';

export interface BenchOptions {
  profile: ProfileName;
  redisUrl: string;
  /** Concurrent clients of the headline figures: end-to-end runs, BullMQ producers, relay streams. */
  concurrency: number;
  /** Relay latency is also measured at these stream counts, for the chart. */
  relaySweep: number[];
  relayDurationMs: number;
  /** Measurements of the headline relay point (median p99 kept). */
  headlineRepeats: number;
  /** Each relayed stream gets one event this often (20 ms = 50 events/s per stream). */
  eventIntervalMs: number;
  runs: number;
  warmupRuns: number;
  idleStreams: number;
  bullmqDurationMs: number;
  mode: ChatMode;
  workerConcurrency: number;
  relayReaders: number;
  tokenEventsPerS?: number;
  cpuProf: boolean;
  only?: Set<string>;
  /** `--soak`: the leak check (connect/disconnect cycles and resumes) instead of the phases. */
  soak: boolean;
  soakCycles: number;
  /** `--cluster`: end-to-end runs/s and relay latency on a local 3-master Redis Cluster next to the single Redis, in one run. */
  cluster: boolean;
  /** Pace of the offline model's tokens in the stack (0: as fast as possible). */
  offlineTokenDelayMs: number;
  /** `--peer langgraph`: the full-pipeline comparison with the LangGraph JS server (installed on demand). */
  peer?: 'langgraph';
  /** Streams held open on each system to measure RSS per open stream in the peer phase. */
  peerOpenStreams: number;
  /** Runs the LangGraph server executes at once (`langgraph dev --n-jobs-per-worker`, default 10 as there). */
  peerWorkers: number;
}

const PROFILES: Record<
  ProfileName,
  Omit<
    BenchOptions,
    | 'profile'
    | 'redisUrl'
    | 'mode'
    | 'workerConcurrency'
    | 'relayReaders'
    | 'cpuProf'
    | 'soak'
    | 'soakCycles'
    | 'cluster'
    | 'offlineTokenDelayMs'
    | 'peer'
    | 'peerOpenStreams'
    | 'peerWorkers'
  >
> = {
  quick: {
    concurrency: 32,
    relaySweep: [1, 8, 32, 64],
    relayDurationMs: 2000,
    headlineRepeats: 4,
    eventIntervalMs: 20,
    runs: 600,
    warmupRuns: 40,
    idleStreams: 2000,
    bullmqDurationMs: 3000,
  },
  full: {
    concurrency: 64,
    relaySweep: [1, 8, 32, 64, 128, 256],
    relayDurationMs: 6000,
    headlineRepeats: 5,
    eventIntervalMs: 20,
    runs: 3000,
    warmupRuns: 100,
    idleStreams: 10_000,
    bullmqDurationMs: 8000,
  },
};

export const USAGE = `usage: npm run bench -- [options]
  --profile quick|full     defaults below (quick: < 2 min on 2 cores)
  --concurrency N          concurrent clients for the headline figures
  --runs N                 end-to-end runs measured (after warm-up)
  --idle-streams N         idle SSE streams opened on the gateway
  --relay-sweep 1,8,32     stream counts of the relay latency chart
  --relay-duration-ms N    length of each relay measurement
  --event-interval-ms N    per-stream interval between relayed events
  --repeats N              measurements of the headline relay point (median p99 kept)
  --mode plume|mimir|discussion|auto   mode of the end-to-end runs (default plume)
  --worker-concurrency N   KODA_WORKER_CONCURRENCY of the stack (and of the BullMQ baseline)
  --relay-readers N        KODA_RELAY_READERS of the gateway
  --token-events-per-s N   KODA_TOKEN_EVENTS_PER_S of the agents
  --only relay,bullmq,e2e,idle,tracing   run only these phases (tracing: a second stack
                           exporting spans to a local OTLP receiver, against the first)
  --peer langgraph         also drive the LangGraph JS Agent Server (installed on demand in
                           bench/peers/langgraph) with the same clients: first event/token,
                           runs/s, CPU per run, RSS per open stream, KODA ÷ peer
  --peer-open-streams N    streams held open on each side for RSS per open stream (default 2000)
  --peer-workers N         runs the LangGraph server executes at once (default 10, as
                           \`langgraph dev --n-jobs-per-worker\`)
  --cpu-prof               run the stack with --cpu-prof into bench/results/profiles/
  --soak                   the leak check instead: connect/disconnect cycles (many aborted within
                           0-5 ms) and resumes against running runs; open streams, heap, RSS and
                           Redis clients before and after
  --soak-cycles N          cycles of the soak (default 10000)
  --cluster                instead of the phases: end-to-end runs/s and relay latency on a
                           throwaway local 3-master Redis Cluster, next to the single Redis`;

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const flags = toFlagMap(argv);
  const profile = (flags.get('profile') ?? 'quick') as ProfileName;
  if (!(profile in PROFILES)) throw new Error(`unknown profile "${profile}"\n${USAGE}`);
  const base = PROFILES[profile];
  const num = (name: string, fallback: number) => toPositiveInt(name, flags.get(name), fallback);
  const concurrency = num('concurrency', base.concurrency);
  const sweep = flags.has('relay-sweep')
    ? String(flags.get('relay-sweep'))
        .split(',')
        .map((s) => toPositiveInt('relay-sweep', s, 1))
    : base.relaySweep;
  return {
    profile,
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    concurrency,
    // The headline concurrency is always part of the sweep, so its point is on the chart.
    relaySweep: [...new Set([...sweep, concurrency])].sort((a, b) => a - b),
    relayDurationMs: num('relay-duration-ms', base.relayDurationMs),
    headlineRepeats: num('repeats', base.headlineRepeats),
    eventIntervalMs: num('event-interval-ms', base.eventIntervalMs),
    runs: num('runs', base.runs),
    warmupRuns: num('warmup-runs', base.warmupRuns),
    idleStreams: num('idle-streams', base.idleStreams),
    bullmqDurationMs: num('bullmq-duration-ms', base.bullmqDurationMs),
    mode: toMode(flags.get('mode')),
    workerConcurrency: num('worker-concurrency', Number(env.KODA_WORKER_CONCURRENCY) || 64),
    relayReaders: num('relay-readers', Number(env.KODA_RELAY_READERS) || 1),
    tokenEventsPerS: flags.has('token-events-per-s') ? num('token-events-per-s', 20) : undefined,
    cpuProf: flags.has('cpu-prof') || env.BENCH_CPU_PROF === '1',
    only: flags.has('only') ? new Set(String(flags.get('only')).split(',')) : undefined,
    soak: flags.has('soak'),
    soakCycles: num('soak-cycles', 10_000),
    cluster: flags.has('cluster'),
    // Soak runs last long enough to be joined and resumed while they stream.
    offlineTokenDelayMs: flags.has('soak') ? 5 : 0,
    peer: toPeer(flags.get('peer')),
    peerOpenStreams: num('peer-open-streams', 2000),
    peerWorkers: num('peer-workers', 10),
  };
}

function toFlagMap(argv: string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') throw new Error(USAGE);
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(name, inline);
    else if (next !== undefined && !next.startsWith('--')) flags.set(name, argv[++i]);
    else flags.set(name, true);
  }
  return flags;
}

function toPositiveInt(name: string, value: string | true | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${String(value)}"`);
  return n;
}

function toPeer(value: string | true | undefined): BenchOptions['peer'] {
  if (value === undefined) return undefined;
  if (value !== 'langgraph') throw new Error(`--peer must be "langgraph", got "${String(value)}"`);
  return value;
}

function toMode(value: string | true | undefined): BenchOptions['mode'] {
  const mode = value === undefined ? 'plume' : String(value);
  if (!CHAT_MODES.includes(mode as ChatMode)) throw new Error(`--mode must be one of ${CHAT_MODES.join(', ')}`);
  return mode as BenchOptions['mode'];
}
