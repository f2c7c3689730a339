import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { KodaConfig } from '../config/koda-config';
import { RunEventLog } from '../events/run-event-log';
import { createRedis } from '../redis/create-redis';
import { redisTarget } from '../redis/redis-target';
import { flushTracing, initTracing } from '../tracing/tracing';
import { KODA_CONFIG, LOGGER, REDIS } from './tokens';

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    // QUIT would wait for a Redis that is gone; only a live connection is closed politely.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

/** Spans still buffered go out before the process stops. */
class TracingFlusher implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flushTracing();
  }
}

/** Config, logger, Redis and the run event log, shared by every module of a service. */
@Global()
@Module({})
export class PlatformModule {
  /**
   * `commandRetries`: how often a command is retried while Redis is unreachable before it
   * fails. Workers wait for Redis forever (null); the gateway fails fast so HTTP callers get a
   * 503 instead of a hanging request.
   */
  static forRoot(options: { config: KodaConfig; logger: Logger; service: string; commandRetries?: number | null; commandTimeoutMs?: number }): DynamicModule {
    const { config, logger, service, commandRetries = null, commandTimeoutMs } = options;
    initTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, service });
    return {
      module: PlatformModule,
      providers: [
        { provide: KODA_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        {
          provide: REDIS,
          useFactory: () =>
            createRedis(redisTarget(config), `${config.KODA_PREFIX}:${service}:cmd`, {
              maxRetriesPerRequest: commandRetries,
              commandTimeout: commandTimeoutMs,
              enableAutoPipelining: true,
              logger,
            }),
        },
        {
          provide: RunEventLog,
          useFactory: (redis: Redis) => new RunEventLog(redis, config.KODA_PREFIX, config.KODA_RUN_TTL_SECONDS, config.KODA_RUN_TIMEOUT_MS),
          inject: [REDIS],
        },
        RedisCloser,
        TracingFlusher,
      ],
      exports: [KODA_CONFIG, LOGGER, REDIS, RunEventLog],
    };
  }
}
