import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { AGENT_JOB, JobName, keys, QueueName, type ChatRequestDto, type RouteMessagePayload, type StartEvent } from '@koda/contracts';
import { currentTraceparent, failRun, KEEP_JOBS, KODA_CONFIG, LOGGER, queuePrefix, REDIS, RunEventLog, runLogger, SpanKind, withSpan, type KodaConfig, type Logger } from '@koda/platform';
import { Admission } from '../admission/admission';
import { WorkerPresence } from '../health/worker-presence';
import { GatewayMetrics } from '../metrics/gateway-metrics';

export interface StartedRun {
  run: RouteMessagePayload;
  start: { id: string; json: string; event: StartEvent };
}

/** Opens a run: its `start` event in the run log, then the orchestrator's `route-message` job. */
@Injectable()
export class RunStarter implements OnApplicationShutdown {
  private readonly queue: Queue;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly log: RunEventLog,
    private readonly metrics: GatewayMetrics,
    private readonly admission: Admission,
    private readonly workers: WorkerPresence,
  ) {
    this.queue = new Queue(QueueName.Orchestrator, { connection: redis, prefix: queuePrefix(config) });
    // BullMQ re-emits the shared connection's errors here, and an 'error' nobody listens to
    // kills the process (a cluster connection closing while the gateway stops did); the
    // connection already logs its state changes (createRedis).
    this.queue.on('error', () => undefined);
  }

  /**
   * Opens a run for `user` (its session id names one of that user's sessions only); with
   * tracing on, the run's trace starts here and its context travels with the run.
   */
  start(request: ChatRequestDto, user: string): Promise<StartedRun> {
    return withSpan('POST /api/v1/chat/orchestrated', { service: 'gateway', kind: SpanKind.SERVER, attributes: { 'koda.mode': request.mode ?? 'auto' } }, async (span) => {
      const started = await this.open(request, user);
      span.setAttribute('koda.run_id', started.run.run_id);
      return started;
    });
  }

  private async open(request: ChatRequestDto, user: string): Promise<StartedRun> {
    const acceptedAt = Date.now();
    const traceparent = currentTraceparent();
    const run: RouteMessagePayload = {
      run_id: randomUUID(),
      session_id: request.session_id ?? randomUUID(),
      user_id: user,
      message: request.message,
      mode: request.mode ?? 'auto',
      accepted_at: acceptedAt,
      deadline_at: acceptedAt + this.config.KODA_RUN_TIMEOUT_MS,
      ...(traceparent ? { traceparent } : {}),
    };
    await this.admission.admit(user, run.run_id, run.deadline_at);
    // Both go out on one connection, `start` first, in a single round trip.
    const opening = this.log.open(
      run.run_id,
      { type: 'start', session_id: run.session_id, user_id: user, mode: run.mode, message: run.message, ...(traceparent ? { traceparent } : {}) },
      Math.ceil(this.config.KODA_RUN_TIMEOUT_MS / 1000),
    );
    const enqueueing = this.queue.add(JobName.RouteMessage, run, { jobId: run.run_id, attempts: 3, backoff: { type: 'exponential', delay: 200 }, ...KEEP_JOBS });
    const indexing = this.index(user, run);
    const [start] = await Promise.all([opening, enqueueing.catch((error) => this.abandon(run, error)), indexing]);
    await this.sayIfNobodyServes(run);
    this.metrics.runsStarted.inc({ mode: run.mode });
    runLogger(this.logger, run).info({ mode: run.mode, chars: run.message.length }, 'run accepted');
    return { run, start };
  }

  /**
   * A run whose mode no worker serves right now is still accepted (one may start), but its
   * stream says so at once instead of sitting silent until the deadline.
   */
  private async sayIfNobodyServes(run: RouteMessagePayload): Promise<void> {
    const needed = run.mode === 'auto' ? [QueueName.Orchestrator] : [QueueName.Orchestrator, AGENT_JOB[run.mode].queue];
    const missing = await this.workers.missing(needed).catch(() => []);
    if (missing.length === 0) return;
    const message = `No worker serves ${missing.join(' and ')} right now: the answer starts as soon as one is up, or the run ends at its deadline.`;
    await this.log.append(run.run_id, { type: 'error', code: 'no_worker', message, fatal: false });
    runLogger(this.logger, run).warn({ queues: missing }, 'run accepted with no worker to serve it');
  }

  /** Lists the run under its user's sessions, for discovery from another device. */
  private async index(user: string, run: RouteMessagePayload): Promise<void> {
    const prefix = this.config.KODA_PREFIX;
    await this.redis
      .multi()
      .zadd(keys.userSessions(prefix, user), run.accepted_at, run.session_id)
      .zadd(keys.sessionRuns(prefix, user, run.session_id), run.accepted_at, run.run_id)
      .exec();
  }

  /** A run whose job could not be enqueued ends at once, if its log could be opened at all. */
  private async abandon(run: RouteMessagePayload, error: unknown): Promise<never> {
    await failRun(this.log, run, { code: 'internal', message: 'The run could not be queued; please retry.' }).catch(() => undefined);
    throw error;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
