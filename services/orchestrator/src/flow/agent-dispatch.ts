import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { agentJob, type AgentJobPayload, type AgentNode } from '@koda/contracts';
import { AgentJobQueue, createRedis, KODA_CONFIG, LOGGER, queuePrefix, redisTarget, WorkerPresence, type KodaConfig, type Logger } from '@koda/platform';

/** Queues the agent job of a routed run (`AgentJobQueue`), on a connection of its own. */
@Injectable()
export class AgentDispatch implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queue: AgentJobQueue;
  private readonly workers: WorkerPresence;

  constructor(@Inject(KODA_CONFIG) config: KodaConfig, @Inject(LOGGER) logger: Logger) {
    this.connection = createRedis(redisTarget(config), `${config.KODA_PREFIX}:orchestrator:dispatch`, { logger });
    this.queue = new AgentJobQueue(this.connection, queuePrefix(config));
    this.workers = new WorkerPresence(() => this.queue.workerCounts());
  }

  dispatch(payload: AgentJobPayload): Promise<void> {
    return this.queue.dispatch(payload);
  }

  /** The node's queue when no worker serves it right now (counts cached for a moment), else null. */
  async unserved(node: AgentNode): Promise<string | null> {
    const { queue } = agentJob(node);
    const [missing] = await this.workers.missing([queue]);
    return missing ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
