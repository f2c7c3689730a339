import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { lastValueFrom } from 'rxjs';
import { JOB_PAYLOAD_SCHEMAS, type JobName, type QueueName } from '@koda/contracts';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { createRedis } from '../redis/create-redis';
import { BullMqContext } from './bullmq-context';
import { assertHandlersComplete } from './handler-registry';

export interface BullMqTransportOptions {
  redisUrl: string;
  prefix: string;
  queues: QueueName[];
  concurrency: number;
  /** Lock on an active job; a dead worker's jobs are taken over once it lapses. */
  lockMs: number;
  logger: Logger;
}

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
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await Promise.all(this.connections.map((redis) => redis.quit().catch(() => redis.disconnect())));
    this.workers.length = 0;
    this.connections.length = 0;
  }

  on(): never {
    throw new Error('BullMqTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.workers as T;
  }

  private startWorker(queue: QueueName): Worker {
    const { redisUrl, prefix, concurrency, lockMs, logger } = this.options;
    const connection = createRedis(redisUrl, `${prefix}:worker:${queue}`);
    this.connections.push(connection);
    const worker = new Worker(queue, (job, token) => this.process(job, token), {
      connection,
      prefix,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
    });
    worker.on('failed', (job, error) =>
      logger.error({ queue, job: job?.name, job_id: job?.id, run_id: job?.data?.run_id, err: error }, 'job failed'),
    );
    worker.on('error', (error) => logger.error({ queue, err: error }, 'worker error'));
    return worker;
  }

  private async process(job: Job, token?: string): Promise<unknown> {
    const handler = this.getHandlerByPattern(job.name);
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}"`);
    const parsed = JOB_PAYLOAD_SCHEMAS[job.name as JobName]?.safeParse(job.data);
    if (!parsed?.success) {
      const issue = parsed?.error.issues[0];
      throw new UnrecoverableError(`invalid ${job.name} payload: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown job'}`);
    }
    const log = this.options.logger.child({ run_id: job.data.run_id, session_id: job.data.session_id, job: job.name, attempt: job.attemptsMade + 1 });
    const startedAt = Date.now();
    log.debug('job started');
    try {
      const result = await lastValueFrom(this.transformToObservable(await handler(parsed.data, new BullMqContext([job, token]))), {
        defaultValue: undefined,
      });
      log.info({ duration_ms: Date.now() - startedAt }, 'job done');
      return result;
    } catch (error) {
      log.warn({ duration_ms: Date.now() - startedAt, err: error }, 'job threw');
      throw error;
    }
  }
}
