import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { agentJob, type AgentJobPayload } from '@koda/contracts';
import { createRedis, dropConnectionErrors, KEEP_JOBS, KODA_CONFIG, LOGGER, queuePrefix, redisTarget, type KodaConfig, type Logger } from '@koda/platform';

/**
 * Queues a run's agent job, the run's second and last job: the agent ends the run itself
 * (see `AgentNodeRunner`), so there is no flow parent to wait for it. The job id is the run
 * id: a retried route job adds the same job again and BullMQ keeps the first.
 */
@Injectable()
export class AgentDispatch implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.connection = createRedis(redisTarget(config), `${config.KODA_PREFIX}:orchestrator:dispatch`, { logger });
  }

  async dispatch(payload: AgentJobPayload): Promise<void> {
    const agent = agentJob(payload.routing.node);
    await this.queueOf(agent.queue).add(agent.job, payload, { jobId: payload.run_id, attempts: 2, backoff: { type: 'fixed', delay: 100 }, ...KEEP_JOBS });
  }

  private queueOf(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = dropConnectionErrors(new Queue(name, { connection: this.connection, prefix: queuePrefix(this.config) }));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
