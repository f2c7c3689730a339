import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as net from 'net';
import Redis from 'ioredis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface LocatedRedis {
  url: string;
  /** How it was found: the configured URL, the local default, or a private server started here. */
  origin: 'configured' | 'default' | 'private';
  stop(): Promise<void>;
}

export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A free TCP port on the loopback interface (for private servers and tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function waitUntilAnswers(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await redisAnswers(url, 200)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not answer within 5 s');
}

/** Starts a throwaway redis-server (no persistence) on a free port, for this process's lifetime. */
export async function startPrivateRedis(): Promise<LocatedRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitUntilAnswers(url, child);
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  return { url, origin: 'private', stop };
}

const NO_REDIS_HELP =
  'No Redis answers and redis-server is not installed. Start one (e.g. `apt-get install redis-server && redis-server --daemonize yes`, ' +
  'or `docker run -p 6379:6379 redis:7`) or set REDIS_URL.';

/**
 * Finds a Redis the way `npm start` and the tests do: `REDIS_URL` if set (it must answer),
 * else the local default, else a private `redis-server` started for this process.
 */
export async function locateRedis(configuredUrl: string | undefined): Promise<LocatedRedis> {
  const none = async () => undefined;
  if (configuredUrl) {
    if (await redisAnswers(configuredUrl)) return { url: configuredUrl, origin: 'configured', stop: none };
    throw new Error(`REDIS_URL=${configuredUrl} does not answer.`);
  }
  if (await redisAnswers(DEFAULT_REDIS_URL)) return { url: DEFAULT_REDIS_URL, origin: 'default', stop: none };
  if (redisServerInstalled()) return startPrivateRedis();
  throw new Error(NO_REDIS_HELP);
}
