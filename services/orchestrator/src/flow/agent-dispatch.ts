import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AgentJobPayload } from '@koda/contracts';
import { AgentJobQueue, createRedis, KODA_CONFIG, LOGGER, queuePrefix, redisTarget, type KodaConfig, type Logger } from '@koda/platform';

/** Queues the agent job of a routed run (`AgentJobQueue`), on a connection of its own. */
@Injectable()
export class AgentDispatch implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queue: AgentJobQueue;

  constructor(@Inject(KODA_CONFIG) config: KodaConfig, @Inject(LOGGER) logger: Logger) {
    this.connection = createRedis(redisTarget(config), `${config.KODA_PREFIX}:orchestrator:dispatch`, { logger });
    this.queue = new AgentJobQueue(this.connection, queuePrefix(config));
  }

  dispatch(payload: AgentJobPayload): Promise<void> {
    return this.queue.dispatch(payload);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
