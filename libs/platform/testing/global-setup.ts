import { locateRedis, type LocatedRedis } from '../src/redis/redis-locator';

/** The Redis image `KODA_TEST_REDIS=container` starts (scripts/containers/build-base.sh builds it). */
const TEST_REDIS_IMAGE = process.env.KODA_TEST_REDIS_IMAGE || process.env.KODA_REDIS_IMAGE || 'koda-redis:7';

/**
 * Finds the Redis every test suite uses, as `npm start` does: REDIS_URL, else the local
 * default, else a private redis-server, else a testcontainer when a Docker engine answers.
 * `KODA_TEST_REDIS=container` skips the search and always starts the testcontainer, so that
 * path is exercised (CI runs the pipeline suite that way). Suites isolate themselves by key
 * prefix, so they share it and run in parallel.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.KODA_TEST_REDIS_URL) return;
  const located =
    process.env.KODA_TEST_REDIS === 'container'
      ? await startContainer()
      : await locateRedis(process.env.REDIS_URL || undefined).catch((error: Error) => startContainer(error));
  process.env.REDIS_URL = located.url;
  process.env.KODA_TEST_REDIS_URL = located.url;
  (globalThis as { __kodaTestRedis?: LocatedRedis }).__kodaTestRedis = located;
}

async function startContainer(cause?: Error): Promise<LocatedRedis> {
  try {
    // Its reaper image cannot always be pulled; the container is stopped by global-teardown.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const { GenericContainer } = await import('testcontainers');
    const container = await new GenericContainer(TEST_REDIS_IMAGE)
      .withCommand(['redis-server', '--protected-mode', 'no', '--save', '', '--appendonly', 'no'])
      .withExposedPorts(6379)
      .start();
    const url = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
    return { url, origin: 'private', stop: async () => void (await container.stop()) };
  } catch (error) {
    const reason = `a Redis testcontainer (${TEST_REDIS_IMAGE}) could not start: ${(error as Error).message}`;
    throw new Error(cause ? `${cause.message}\n(no Docker engine for a testcontainer either: ${reason})` : reason, { cause: error });
  }
}
