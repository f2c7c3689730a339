import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one place KODA's Prometheus series are declared (names `koda_*`). Series of the shared
 * platform code (jobs, runs, LLM calls, queues) live on one process-wide registry, because the
 * transport, the run finisher and the providers run in whichever service loaded them; a
 * service's own series (the gateway's) live on a registry of its own, and a scrape merges them.
 *
 * Labels stay bounded: queue, job, mode, outcome, code, agent, model, state, never a run,
 * session or user id.
 */
export const platformRegistry = new Registry();

const registers = [platformRegistry];

/** Latency buckets (seconds) from a token to a long discussion. */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export const JOB_OUTCOMES = ['completed', 'failed', 'handed_back', 'delayed'] as const;
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export const platformMetrics = {
  jobs: new Counter({
    name: 'koda_jobs_total',
    help: 'Jobs run by this worker, by queue, job name and outcome',
    labelNames: ['queue', 'job', 'outcome'],
    registers,
  }),
  jobDuration: new Histogram({
    name: 'koda_job_duration_seconds',
    help: 'Time a job spent in its handler',
    labelNames: ['queue', 'job', 'outcome'],
    buckets: SECONDS_BUCKETS,
    registers,
  }),
  runsFinished: new Counter({
    name: 'koda_runs_finished_total',
    help: 'Runs ended by this service (it wrote the terminal event), by mode, outcome and error code (`none` when completed)',
    labelNames: ['mode', 'outcome', 'code'],
    registers,
  }),
  runDuration: new Histogram({
    name: 'koda_run_duration_seconds',
    help: 'From acceptance to the terminal event',
    labelNames: ['mode', 'outcome'],
    buckets: SECONDS_BUCKETS,
    registers,
  }),
  timeToFirstToken: new Histogram({
    name: 'koda_time_to_first_token_seconds',
    help: 'From acceptance to the first token event of an agent node',
    labelNames: ['mode', 'agent'],
    buckets: SECONDS_BUCKETS,
    registers,
  }),
  nodeRetries: new Counter({
    name: 'koda_node_start_overs_total',
    help: 'Agent node attempts started over (LLM failure after output began, lost worker)',
    labelNames: ['agent', 'code'],
    registers,
  }),
  llmRequests: new Counter({
    name: 'koda_llm_requests_total',
    help: 'LLM completions, by model, agent and status (`ok` or an error code)',
    labelNames: ['model', 'agent', 'status'],
    registers,
  }),
  llmDuration: new Histogram({
    name: 'koda_llm_request_duration_seconds',
    help: 'Duration of one LLM completion (retries included)',
    labelNames: ['model', 'agent'],
    buckets: SECONDS_BUCKETS,
    registers,
  }),
  llmTokens: new Counter({
    name: 'koda_llm_tokens_total',
    help: 'Tokens billed, by model, agent and direction (input, output)',
    labelNames: ['model', 'agent', 'direction'],
    registers,
  }),
  llmRetries: new Counter({
    name: 'koda_llm_retries_total',
    help: 'LLM requests sent again inside one completion (429, 529, 5xx, connection errors, before the answer began)',
    labelNames: ['model', 'agent'],
    registers,
  }),
  llmCost: new Counter({
    name: 'koda_llm_cost_eur_total',
    help: 'Cost of LLM completions in EUR, by model and agent',
    labelNames: ['model', 'agent'],
    registers,
  }),
  queueDepth: new Gauge({
    name: 'koda_queue_jobs',
    help: 'Jobs in a queue by state, sampled from BullMQ at scrape time',
    labelNames: ['queue', 'state'],
    registers,
    collect: setQueueDepth,
  }),
  queueWorkers: new Gauge({
    name: 'koda_queue_workers',
    help: 'Workers connected to a queue, sampled from BullMQ at scrape time',
    labelNames: ['queue'],
    registers,
    collect: setQueueWorkers,
  }),
};

/** What a queue sampler reports for one queue. */
export interface QueueSample {
  queue: string;
  counts: Partial<Record<(typeof QUEUE_STATES)[number], number>>;
  workers: number;
}

export type QueueSampler = () => Promise<QueueSample[]>;

const samplers = new Set<QueueSampler>();

/** A service that owns queues registers how to sample them; returns the unregistering function. */
export function addQueueSampler(sampler: QueueSampler): () => void {
  samplers.add(sampler);
  return () => samplers.delete(sampler);
}

/** One sampling serves both queue gauges of a scrape (they are collected concurrently). */
let sampling: Promise<QueueSample[]> | null = null;

function sampleQueues(): Promise<QueueSample[]> {
  sampling ??= Promise.allSettled([...samplers].map((sample) => sample()))
    // Redis away: the series go missing rather than lie.
    .then((results) => results.flatMap((result) => (result.status === 'fulfilled' ? result.value : [])))
    .finally(() => setImmediate(() => (sampling = null)));
  return sampling;
}

async function setQueueDepth(this: Gauge): Promise<void> {
  const samples = await sampleQueues();
  this.reset();
  for (const { queue, counts } of samples) for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state] ?? 0);
}

async function setQueueWorkers(this: Gauge): Promise<void> {
  const samples = await sampleQueues();
  this.reset();
  for (const { queue, workers } of samples) this.set({ queue }, workers);
}

/** A service's own registry, with Node's process metrics prefixed `koda_<service>_`. */
export function createServiceRegistry(service: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: `koda_${service.replace(/[^a-zA-Z0-9_]/g, '_')}_` });
  return registry;
}

/** The exposition text of a service's registry merged with the platform series. */
export async function scrapeMetrics(...registries: Registry[]): Promise<string> {
  return Registry.merge([...registries, platformRegistry]).metrics();
}
