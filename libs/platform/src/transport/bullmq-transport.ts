import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { DelayedError, Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { lastValueFrom } from 'rxjs';
import { jobPayloadSchema } from '@koda/contracts';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { addQueueSampler, createServiceRegistry, JOB_OUTCOMES, platformMetrics, type QueueSample } from '../metrics/koda-metrics';
import { startMetricsServer, type MetricsServer, type Readiness } from '../metrics/metrics-server';
import { Backoff, sleepFor } from '../redis/backoff';
import { currentTraceparent, SpanKind, traceIdOf, withSpan } from '../tracing/tracing';
import { createRedis } from '../redis/create-redis';
import type { RedisTarget } from '../redis/redis-target';
import { BullMqContext } from './bullmq-context';
import { dropConnectionErrors } from './connection-errors';
import { assertHandlersComplete } from './handler-registry';

/** What every job carries, read before the payload is validated (logs, spans). */
type JobData = { run_id?: string; session_id?: string };

export interface BullMqTransportOptions {
  /** A Redis URL, or a target that may be a cluster (see `redisTarget`). */
  redisUrl: string | RedisTarget;
  /** Names the connections; also the queues' prefix unless `queuePrefix` is given. */
  prefix: string;
  /** BullMQ prefix of the queues (hash-tagged on a cluster, see `queuePrefix`). */
  queuePrefix?: string;
  /** The orchestrator's queue, or an agent's (`agentJob(node).queue`). */
  queues: string[];
  concurrency: number;
  /** Lock on an active job; a dead worker's jobs are taken over once it lapses. */
  lockMs: number;
  logger: Logger;
  /**
   * On close, how long in-flight jobs may run before they are handed back to the queue
   * (default 10 s); handing back takes at most `HAND_BACK_MS` more.
   */
  shutdownGraceMs?: number;
  /** When set (>0), serves `/metrics` and `/health/*` on this port (see `startMetricsServer`). */
  metricsPort?: number;
  /** Names the process metrics (`koda_<service>_…`) of that port. */
  service?: string;
  /**
   * A job refused before any handler saw it (its payload is invalid): the service ends the run
   * it belonged to, since no later job will (a run's last job ends it). Never throws.
   */
  onRefused?: (data: unknown, reason: string) => Promise<void>;
}

/** How long readiness waits for Redis to say how the queues are. */
const READINESS_TIMEOUT_MS = 1000;

/** Once the grace is over, how long handlers get to stop and jobs to be moved back. */
export const HAND_BACK_MS = 2000;

/** BullMQ's errors for a job whose lock another worker holds now. */
const LOST_LOCK = /could not renew lock|Missing lock for job|Lock mismatch for job/;

/** A worker resumed after a backoff pause that sees no error for this long has recovered. */
const QUIET_AFTER_RESUME_MS = 1000;

/** The abort reasons a job's signal carries (see `BullMqContext.getSignal`). */
export const JOB_STOP = { lockLost: 'lock_lost', shutdown: 'shutdown' } as const;

/**
 * A NestJS microservice transport over BullMQ: each job name is a `@MessagePattern`, so adding
 * a job means adding a handler method. The server refuses to start when a job of its queues
 * has no handler or two. Job data is validated before a handler sees it.
 */
export class BullMqTransport extends Server implements CustomTransportStrategy {
  private readonly workers: Worker[] = [];
  /** BullMQ never closes a connection it was handed, so the transport closes its own. */
  private readonly connections: Redis[] = [];
  private readonly handlerCounts = new Map<string, number>();
  private readonly queues: Queue[] = [];
  private stopSampling: () => void = () => undefined;
  private metricsServer: MetricsServer | null = null;
  private stopping = false;
  private inFlight = 0;

  constructor(private readonly options: BullMqTransportOptions) {
    super();
  }

  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    const name = this.normalizePattern(pattern as string);
    this.handlerCounts.set(name, (this.handlerCounts.get(name) ?? 0) + 1);
    super.addHandler(pattern, callback, isEventHandler, extras);
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      assertHandlersComplete(this.options.queues, this.handlerCounts);
      for (const queue of this.options.queues) this.workers.push(this.startWorker(queue));
      this.stopSampling = addQueueSampler(() => this.sampleQueues());
    } catch (error) {
      return callback(error);
    }
    if (!this.options.metricsPort) return callback();
    startMetricsServer({
      port: this.options.metricsPort,
      registry: createServiceRegistry(this.options.service ?? 'worker'),
      readiness: () => this.readiness(),
      logger: this.options.logger,
    }).then((server) => {
      this.metricsServer = server;
      callback();
    }, callback);
  }

  /** The port `/metrics` is served on, or null when it is off. */
  get metricsPort(): number | null {
    return this.metricsServer?.port ?? null;
  }

  /** Ready while Redis answers and every queue of this transport has a worker connected. */
  async readiness(): Promise<Readiness> {
    if (this.stopping) return { ready: false, reason: 'stopping' };
    const settled = new AbortController();
    const timeout = sleepFor(READINESS_TIMEOUT_MS, settled.signal).then(() => null);
    const samples = await Promise.race([this.sampleQueues().catch(() => null), timeout]).finally(() => settled.abort());
    if (!samples) return { ready: false, redis: 'unavailable' };
    const queues = Object.fromEntries(samples.map(({ queue, counts, workers }) => [queue, { workers, ...counts }]));
    return { ready: samples.every((sample) => sample.workers > 0), redis: 'up', queues };
  }

  /**
   * Stops fetching jobs at once, lets in-flight jobs finish within the grace, then aborts the
   * rest with reason `shutdown`: their handlers stop and the jobs go back to the queue, where
   * another worker starts them over. Returns within grace + `HAND_BACK_MS` whatever handlers do.
   */
  async close(): Promise<void> {
    const graceMs = this.options.shutdownGraceMs ?? 10_000;
    this.stopping = true;
    this.stopSampling();
    const closing = Promise.allSettled(this.workers.map((worker) => worker.close()));
    // The timers are cancelled once closing is done, so they never hold the process open.
    const closed = new AbortController();
    void closing.then(() => closed.abort());
    const finished = await Promise.race([closing.then(() => true), sleepFor(graceMs, closed.signal).then(() => false)]);
    if (!finished) {
      this.options.logger.warn({ grace_ms: graceMs, active: this.inFlight }, 'shutdown grace over; handing in-flight jobs back to the queue');
      this.workers.forEach((worker) => worker.cancelAllJobs(JOB_STOP.shutdown));
      await Promise.race([closing, sleepFor(HAND_BACK_MS, closed.signal)]);
    }
    await Promise.allSettled(this.queues.map((queue) => queue.close()));
    await Promise.all(this.connections.map((redis) => redis.quit().catch(() => redis.disconnect())));
    this.queues.length = 0;
    this.workers.length = 0;
    // Last: readiness says `stopping` to the load balancer for as long as the drain lasts.
    await this.metricsServer?.close();
    this.metricsServer = null;
    this.connections.length = 0;
  }

  on(): never {
    throw new Error('BullMqTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.workers as T;
  }

  /**
   * Depth (waiting, active, delayed, failed) and worker count of this transport's queues, for
   * the metrics scrape and readiness. Fails when Redis does not answer.
   */
  async sampleQueues(): Promise<QueueSample[]> {
    return Promise.all(
      this.queues.map(async (queue) => {
        const [counts, workers] = await Promise.all([queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), queue.getWorkersCount()]);
        return { queue: queue.name, counts, workers };
      }),
    );
  }

  private startWorker(queue: string): Worker {
    const { redisUrl, concurrency, lockMs, logger } = this.options;
    const prefix = this.options.queuePrefix ?? this.options.prefix;
    const connection = createRedis(redisUrl, `${this.options.prefix}:worker:${queue}`, { logger });
    this.connections.push(connection);
    this.queues.push(dropConnectionErrors(new Queue(queue, { connection, prefix })));
    const worker = new Worker(queue, (job, token, signal) => this.process(job, token, signal), {
      connection,
      prefix,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
    });
    worker.on('failed', (job, error) => {
      if (isPutBack(error)) return;
      logger.error({ queue, job: job?.name, job_id: job?.id, run_id: (job?.data as JobData | undefined)?.run_id, err: error }, 'job failed');
    });
    worker.on('lockRenewalFailed', (jobIds) => {
      for (const id of jobIds) {
        logger.warn({ queue, job_id: id }, 'lost the lock of a job (another worker may have it); stopping it here');
        worker.cancelJob(id, JOB_STOP.lockLost);
      }
    });
    this.backOffOnErrors(queue, worker);
    return worker;
  }

  /**
   * A worker whose Redis calls fail (out of memory, read-only replica, scripts refused…) would
   * otherwise retry at once, forever, logging each failure. It pauses fetching with exponential
   * backoff instead, and logs once when it starts failing and once when it recovers (a job
   * fetched, or a backoff pause followed by a quiet second). A lost job lock is not a Redis
   * failure: it is logged per job and the job is stopped (see `lockRenewalFailed`).
   */
  private backOffOnErrors(queue: string, worker: Worker): void {
    const { logger } = this.options;
    const backoff = new Backoff({ initialMs: 200, maxMs: 10_000 });
    let pausedForBackoff = false;
    const recovered = () => {
      if (backoff.succeed()) logger.info({ queue }, 'worker recovered');
    };
    worker.on('error', (error) => {
      if (LOST_LOCK.test(error?.message ?? '')) return void logger.warn({ queue, err: error }, 'a job was lost to another worker');
      const delayMs = backoff.fail();
      if (backoff.failures === 1) logger.error({ queue, err: error }, 'worker failing; backing off');
      if (pausedForBackoff) return;
      pausedForBackoff = true;
      void worker
        .pause(true)
        .then(() => sleepFor(delayMs))
        .then(() => {
          pausedForBackoff = false;
          if (this.stopping) return;
          void worker.resume();
          const failuresAtResume = backoff.failures;
          setTimeout(() => backoff.failures === failuresAtResume && recovered(), QUIET_AFTER_RESUME_MS).unref();
        })
        .catch(() => (pausedForBackoff = false));
    });
    worker.on('active', recovered);
    worker.on('locksRenewed', recovered);
  }

  private async process(job: Job, token?: string, signal?: AbortSignal): Promise<unknown> {
    const handler = this.getHandlerByPattern(job.name);
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}"`);
    const parsed = jobPayloadSchema(job.name)?.safeParse(job.data);
    if (!parsed?.success) {
      const issue = parsed?.error.issues[0];
      const reason = `invalid ${job.name} payload: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown job'}`;
      await this.options.onRefused?.(job.data, reason).catch(() => undefined);
      throw new UnrecoverableError(reason);
    }
    // Every job's payload is an object with the run's ids (each schema is an object schema).
    const data = parsed.data as JobData & { traceparent?: string };
    const attributes = { 'koda.queue': job.queueName, 'koda.job': job.name, 'koda.attempt': job.attemptsMade + 1, 'koda.run_id': String(data.run_id) };
    const span = { service: this.options.service ?? 'worker', parent: data.traceparent, kind: SpanKind.CONSUMER, attributes };
    // Jobs this one queues carry its span's context: the run's trace nests service by service.
    return withSpan(`job ${job.name}`, span, () =>
      this.run(job, handler, { ...data, ...(data.traceparent ? { traceparent: currentTraceparent() } : {}) }, token, signal),
    );
  }

  private async run(job: Job, handler: MessageHandler, data: { traceparent?: string }, token?: string, signal?: AbortSignal): Promise<unknown> {
    const trace = data.traceparent ? { trace_id: traceIdOf(data.traceparent) } : {};
    const { run_id, session_id } = job.data as JobData;
    const log = this.options.logger.child({ run_id, session_id, ...trace, job: job.name, attempt: job.attemptsMade + 1 });
    const startedAt = Date.now();
    const measured = (outcome: (typeof JOB_OUTCOMES)[number]) => {
      const labels = { queue: job.queueName, job: job.name, outcome };
      platformMetrics.jobs.inc(labels);
      platformMetrics.jobDuration.observe(labels, (Date.now() - startedAt) / 1000);
    };
    log.debug('job started');
    this.inFlight += 1;
    try {
      const result: unknown = await lastValueFrom(this.transformToObservable(await handler(data, new BullMqContext([job, token, signal]))), {
        defaultValue: undefined,
      });
      log.info({ duration_ms: Date.now() - startedAt }, 'job done');
      measured('completed');
      return result;
    } catch (error) {
      if (signal?.aborted && signal.reason === JOB_STOP.shutdown) {
        measured('handed_back');
        return this.handBack(job, token, log);
      }
      // A job that put itself back (delayed: it waits for its turn) did not fail.
      if (isPutBack(error)) {
        log.debug({ reason: (error as Error).message }, 'job put back to wait');
        measured(isDelayed(error) ? 'delayed' : 'handed_back');
        throw error;
      }
      log.warn({ duration_ms: Date.now() - startedAt, err: error }, 'job threw');
      measured('failed');
      throw error;
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Puts a job stopped by shutdown back in the queue (not a failed attempt): another worker takes it. */
  private async handBack(job: Job, token: string | undefined, log: Logger): Promise<never> {
    await job.moveToWait(token);
    log.warn('job handed back to the queue');
    throw new WaitingError();
  }
}

/** BullMQ's errors for a job moved back to the wait list or the delayed set by its handler: not a failure. */
function isPutBack(error: unknown): boolean {
  return error instanceof WaitingError || (error as Error | undefined)?.name === 'WaitingError' || isDelayed(error);
}

/** A job that put itself in the delayed set to look again later (a queued run waiting for its session's turn). */
function isDelayed(error: unknown): boolean {
  return error instanceof DelayedError || (error as Error | undefined)?.name === 'DelayedError';
}
