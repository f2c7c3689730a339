import { Controller, Get, Inject, Res, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { QueueName } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';
import { RunStreamRelay } from '../relay/run-stream-relay';

/**
 * Readiness, honestly: 503 when Redis does not answer; `degraded` when a queue has no worker
 * (runs would wait); the count of workers alive per queue and of open streams here.
 */
@Controller('health')
export class HealthController implements OnApplicationShutdown {
  private readonly queues: Queue[];

  constructor(
    @Inject(KODA_CONFIG) config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly relay: RunStreamRelay,
  ) {
    this.queues = Object.values(QueueName).map((name) => new Queue(name, { connection: redis, prefix: config.KODA_PREFIX }));
  }

  @Get()
  async health(@Res() res: Response): Promise<void> {
    try {
      await this.redis.ping();
    } catch (error) {
      res.status(503).json({ status: 'down', redis: 'down', error: (error as Error).message });
      return;
    }
    const counts = await Promise.all(this.queues.map(async (q) => [q.name, await q.getWorkersCount()] as const));
    const workers = Object.fromEntries(counts);
    const status = counts.every(([, n]) => n > 0) ? 'ok' : 'degraded';
    res.status(200).json({ status, redis: 'up', workers, streams_open: this.relay.openSubscriptions });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
