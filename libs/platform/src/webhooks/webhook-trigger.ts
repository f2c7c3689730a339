import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { JobName, QueueName, type DeliverWebhookPayload } from '@koda/contracts';
import { KEEP_JOBS } from '../transport/job-retention';
import { dropConnectionErrors } from '../transport/connection-errors';

/** Job id of a run's webhook delivery: one per run, whoever adds it. */
export const webhookJobId = (runId: string) => `${runId}-webhook`;

/** Extra wait past a run's deadline before an unreleased delivery goes out on its own. */
const SAFETY_NET_MS = 5000;

/**
 * A run's completion webhook is a BullMQ job added when the run is accepted, delayed until just
 * past its deadline (so it goes out even if whoever ended the run died before saying so), and
 * released at once by the run's finisher (`release`). Retries back off exponentially.
 */
export class WebhookTrigger {
  private queue: Queue | null = null;

  constructor(
    private readonly redis: Redis,
    /** The BullMQ prefix of the orchestrator's queue (see `queuePrefix`). */
    private readonly queuePrefix: string,
  ) {}

  async arm(payload: DeliverWebhookPayload, deadlineAt: number, options: { attempts: number; backoffMs: number }): Promise<void> {
    await this.jobs().add(JobName.DeliverWebhook, payload, {
      jobId: webhookJobId(payload.run_id),
      delay: Math.max(0, deadlineAt - Date.now()) + SAFETY_NET_MS,
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      ...KEEP_JOBS,
    });
  }

  /** The run ended: its delivery (if it has one, still waiting) goes out now. */
  async release(runId: string): Promise<void> {
    const job = await this.jobs().getJob(webhookJobId(runId));
    if (job && (await job.isDelayed()) && job.attemptsMade === 0) await job.promote();
  }

  async close(): Promise<void> {
    await this.queue?.close();
  }

  private jobs(): Queue {
    // Its connection's errors are the connection's to log; unheard, BullMQ would throw them (an 'error' event with no listener).
    this.queue ??= dropConnectionErrors(new Queue(QueueName.Orchestrator, { connection: this.redis, prefix: this.queuePrefix }));
    return this.queue;
  }
}
