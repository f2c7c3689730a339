import { locateRedis, type LocatedRedis } from '../src/redis/redis-locator';

/**
 * Finds the Redis every test suite uses, as `npm start` does: REDIS_URL, else the local
 * default, else a private redis-server, else a testcontainer when a Docker engine answers.
 * Suites isolate themselves by key prefix, so they share it and run in parallel.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.KODA_TEST_REDIS_URL) return;
  const located = await locateRedis(process.env.REDIS_URL || undefined).catch((error: Error) => startContainer(error));
  process.env.REDIS_URL = located.url;
  process.env.KODA_TEST_REDIS_URL = located.url;
  (globalThis as { __kodaTestRedis?: LocatedRedis }).__kodaTestRedis = located;
}

async function startContainer(cause: Error): Promise<LocatedRedis> {
  try {
    const { GenericContainer } = await import('testcontainers');
    const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    const url = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
    return { url, origin: 'private', stop: async () => void (await container.stop()) };
  } catch (error) {
    throw new Error(`${cause.message}\n(no Docker engine for a testcontainer either: ${(error as Error).message})`);
  }
}
