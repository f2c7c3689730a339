import type { LocatedRedis } from '../src/redis/redis-locator';

/** Stops the Redis global-setup started, once: the root config and each project may both call this. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __kodaTestRedis?: LocatedRedis };
  const located = holder.__kodaTestRedis;
  holder.__kodaTestRedis = undefined;
  await located?.stop();
}
