import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { Backoff } from './backoff';

export interface CreateRedisOptions extends RedisOptions {
  /**
   * Where the connection's `error` events go. With a logger, the connection logs once when it
   * starts failing and once when it is back (never one line per failed reconnection), and
   * ioredis never prints its own "Unhandled error event" lines.
   */
  logger?: Logger;
}

/**
 * A named Redis connection. `maxRetriesPerRequest: null` because BullMQ workers and stream
 * readers block; the name shows up in `CLIENT LIST`, so a connection's owner is always known.
 * Reconnections back off exponentially (50 ms to 2 s, jittered).
 */
export function createRedis(url: string, name: string, options: CreateRedisOptions = {}): Redis {
  const { logger, ...redisOptions } = options;
  const reconnect = new Backoff({ initialMs: 50, maxMs: 2000 });
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    retryStrategy: () => reconnect.fail(),
    ...redisOptions,
  });
  redis.on('ready', () => reconnect.succeed());
  if (logger) logConnectionState(redis, name, logger);
  return redis;
}

/** Logs state changes of a connection (failing, back), as JSON, once each. */
function logConnectionState(redis: Redis, name: string, logger: Logger): void {
  let errors = 0;
  redis.on('error', (error: Error) => {
    errors += 1;
    if (errors === 1) logger.warn({ redis: name, err: error }, 'redis connection failing; retrying with backoff');
  });
  redis.on('ready', () => {
    if (errors > 0) logger.info({ redis: name, errors }, 'redis connection back');
    errors = 0;
  });
}
