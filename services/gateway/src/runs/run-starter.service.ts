import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { JobName, QueueName, type ChatRequestDto, type RouteMessagePayload, type StartEvent } from '@koda/contracts';
import { currentTraceparent, failRun, KEEP_JOBS, KODA_CONFIG, LOGGER, REDIS, RunEventLog, runLogger, SpanKind, withSpan, type KodaConfig, type Logger } from '@koda/platform';
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
    @Inject(REDIS) redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly log: RunEventLog,
    private readonly metrics: GatewayMetrics,
  ) {
    this.queue = new Queue(QueueName.Orchestrator, { connection: redis, prefix: config.KODA_PREFIX });
  }

  /** Starts a run; with tracing on, its trace starts here and its context travels with the run. */
  start(request: ChatRequestDto): Promise<StartedRun> {
    return withSpan('POST /api/v1/chat/orchestrated', { service: 'gateway', kind: SpanKind.SERVER, attributes: { 'koda.mode': request.mode ?? 'auto' } }, async (span) => {
      const started = await this.open(request);
      span.setAttribute('koda.run_id', started.run.run_id);
      return started;
    });
  }

  private async open(request: ChatRequestDto): Promise<StartedRun> {
    const acceptedAt = Date.now();
    const traceparent = currentTraceparent();
    const run: RouteMessagePayload = {
      run_id: randomUUID(),
      session_id: request.session_id ?? randomUUID(),
      message: request.message,
      mode: request.mode ?? 'auto',
      accepted_at: acceptedAt,
      deadline_at: acceptedAt + this.config.KODA_RUN_TIMEOUT_MS,
      ...(traceparent ? { traceparent } : {}),
    };
    // Both go out on one connection, `start` first, in a single round trip.
    const opening = this.log.open(
      run.run_id,
      { type: 'start', session_id: run.session_id, mode: run.mode, message: run.message, ...(traceparent ? { traceparent } : {}) },
      Math.ceil(this.config.KODA_RUN_TIMEOUT_MS / 1000),
    );
    const enqueueing = this.queue.add(JobName.RouteMessage, run, { jobId: run.run_id, attempts: 3, backoff: { type: 'exponential', delay: 200 }, ...KEEP_JOBS });
    const [start] = await Promise.all([opening, enqueueing.catch((error) => this.abandon(run, error))]);
    this.metrics.runsStarted.inc({ mode: run.mode });
    runLogger(this.logger, run).info({ mode: run.mode, chars: run.message.length }, 'run accepted');
    return { run, start };
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
