import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { KodaConfig } from '../config/koda-config';
import { RunEventLog } from '../events/run-event-log';
import { createRedis } from '../redis/create-redis';
import { KODA_CONFIG, LOGGER, REDIS } from './tokens';

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Config, logger, Redis and the run event log, shared by every module of a service. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: { config: KodaConfig; logger: Logger; service: string }): DynamicModule {
    const { config, logger, service } = options;
    return {
      module: PlatformModule,
      providers: [
        { provide: KODA_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: REDIS, useFactory: () => createRedis(config.REDIS_URL, `${config.KODA_PREFIX}:${service}:cmd`) },
        {
          provide: RunEventLog,
          useFactory: (redis: Redis) => new RunEventLog(redis, config.KODA_PREFIX, config.KODA_RUN_TTL_SECONDS),
          inject: [REDIS],
        },
        RedisCloser,
      ],
      exports: [KODA_CONFIG, LOGGER, REDIS, RunEventLog],
    };
  }
}
