import Redis, { type RedisOptions } from 'ioredis';

/**
 * A named Redis connection. `maxRetriesPerRequest: null` because BullMQ workers and stream
 * readers block; the name shows up in `CLIENT LIST`, so a connection's owner is always known.
 */
export function createRedis(url: string, name: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
    ...options,
  });
}

