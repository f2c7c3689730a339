import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { perSecond } from '../stats';

export interface BullmqResult {
  jobsPerS: number;
  jobs: number;
  producers: number;
  workerConcurrency: number;
}

/** The same retention KODA's jobs use (libs/platform job-retention), since trimming costs Redis work. */
const KEEP_JOBS = { removeOnComplete: { age: 3600, count: 2000 }, removeOnFail: { age: 86_400, count: 5000 } };

/**
 * The job-system limit: BullMQ no-op jobs, `producers` closed-loop producers (each adds a job
 * and waits for it to complete, as a client waits for its run) and one worker at KODA's worker
 * concurrency. A run is `jobs_per_run` such jobs in a row, so runs/s cannot beat jobs/s ÷ that.
 */
export async function measureBullmqNoop(opts: {
  redisUrl: string;
  prefix: string;
  connectionName: string;
  producers: number;
  workerConcurrency: number;
  durationMs: number;
}): Promise<BullmqResult> {
  const connection = () => new Redis(opts.redisUrl, { maxRetriesPerRequest: null, connectionName: opts.connectionName });
  const queueConnection = connection();
  const queue = new Queue('noop', { connection: queueConnection, prefix: opts.prefix });
  const waiting = new Map<string, () => void>();
  const workerConnection = connection();
  const worker = new Worker('noop', async () => undefined, { connection: workerConnection, prefix: opts.prefix, concurrency: opts.workerConcurrency });
  worker.on('completed', (job) => {
    waiting.get(job.id!)?.();
    waiting.delete(job.id!);
  });
  await worker.waitUntilReady();

  let counting = false;
  let stop = false;
  let completed = 0;
  let seq = 0;
  const producer = async () => {
    while (!stop) {
      const id = `j${seq++}`;
      const done = new Promise<void>((resolve) => waiting.set(id, resolve));
      await queue.add('noop', { n: seq }, { jobId: id, ...KEEP_JOBS });
      await done;
      if (counting) completed++;
    }
  };
  const producers = Array.from({ length: opts.producers }, producer);
  // Warm-up (JIT, Lua script loading), then the measured window.
  await sleep(Math.min(1000, opts.durationMs / 4));
  counting = true;
  const startedAt = performance.now();
  await sleep(opts.durationMs);
  const jobs = completed;
  const elapsed = performance.now() - startedAt;
  stop = true;
  await Promise.all(producers);
  await worker.close();
  await queue.close();
  // Connections handed to BullMQ are the caller's to close.
  for (const c of [queueConnection, workerConnection]) await c.quit().catch(() => c.disconnect());
  return { jobsPerS: perSecond(jobs, elapsed), jobs, producers: opts.producers, workerConcurrency: opts.workerConcurrency };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
