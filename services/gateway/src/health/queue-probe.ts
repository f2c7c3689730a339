import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { allQueues } from '@koda/contracts';
import { addQueueSampler, dropConnectionErrors, KODA_CONFIG, queuePrefix, REDIS, type KodaConfig, type QueueSample } from '@koda/platform';

/**
 * Every queue's depth and worker count, seen from the gateway: the one service that sees a queue
 * whose workers are all gone (they cannot report it). Feeds readiness and the queue series.
 */
@Injectable()
export class QueueProbe implements OnApplicationShutdown {
  private readonly queues: Queue[];
  private readonly stopSampling: () => void;

  constructor(@Inject(KODA_CONFIG) config: KodaConfig, @Inject(REDIS) redis: Redis) {
    this.queues = allQueues().map((name) => dropConnectionErrors(new Queue(name, { connection: redis, prefix: queuePrefix(config) })));
    this.stopSampling = addQueueSampler(() => this.sample());
  }

  /** Every queue (the orchestrator's, then each agent's), on the gateway's connection. */
  get all(): readonly Queue[] {
    return this.queues;
  }

  sample(): Promise<QueueSample[]> {
    return Promise.all(
      this.queues.map(async (queue) => {
        const [counts, workers] = await Promise.all([queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), queue.getWorkersCount()]);
        return { queue: queue.name, counts, workers };
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopSampling();
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
