import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { QueueName } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';

/** Worker counts older than this are refreshed (in the background when a request needs them). */
const FRESH_FOR_MS = 2000;

export type WorkerCounts = Record<QueueName, number>;

/**
 * How many workers serve each queue, from BullMQ (`CLIENT LIST`, so a cost per call): read by
 * `/health`, and by the run starter to tell a stream at once that nobody serves its mode yet.
 * Cached briefly, so a burst of runs does not become a burst of `CLIENT LIST`s.
 */
@Injectable()
export class WorkerPresence implements OnApplicationShutdown {
  private readonly queues: Queue[];
  private cached: { counts: WorkerCounts; at: number } | null = null;
  private refreshing: Promise<WorkerCounts> | null = null;

  constructor(@Inject(KODA_CONFIG) config: KodaConfig, @Inject(REDIS) redis: Redis) {
    this.queues = Object.values(QueueName).map((name) => new Queue(name, { connection: redis, prefix: config.KODA_PREFIX }));
  }

  /** Fresh counts (for `/health`). */
  async counts(): Promise<WorkerCounts> {
    this.refreshing ??= this.read().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** The queues among `needed` with no worker, from counts at most a moment old (never waits when warm). */
  async missing(needed: QueueName[]): Promise<QueueName[]> {
    const cached = this.cached ?? { counts: await this.counts(), at: Date.now() };
    if (Date.now() - cached.at > FRESH_FOR_MS) void this.counts().catch(() => undefined);
    return needed.filter((q) => cached.counts[q] === 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }

  private async read(): Promise<WorkerCounts> {
    const pairs = await Promise.all(this.queues.map(async (q) => [q.name, await q.getWorkersCount()] as const));
    const counts = Object.fromEntries(pairs) as WorkerCounts;
    this.cached = { counts, at: Date.now() };
    return counts;
  }
}
