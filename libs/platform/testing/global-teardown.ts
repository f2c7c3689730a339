import type { LocatedRedis } from '../src/redis/redis-locator';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __kodaTestRedis?: LocatedRedis }).__kodaTestRedis?.stop();
}
