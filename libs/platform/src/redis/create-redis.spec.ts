import * as net from 'net';
import pino from 'pino';
import { createRedis } from './create-redis';

/** A port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('createRedis with a logger', () => {
  it('logs a failing connection once as JSON, not once per reconnection, and backs off', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const errors: unknown[] = [];
    const redis = createRedis(`redis://127.0.0.1:${await closedPort()}`, 'test:unreachable', { logger });
    redis.on('error', (e) => errors.push(e));
    await new Promise((r) => setTimeout(r, 1500));
    redis.disconnect();
    expect(errors.length).toBeGreaterThan(2);
    // Exponential backoff from 50 ms, capped at 2 s: a handful of tries in 1.5 s, not hundreds.
    expect(errors.length).toBeLessThan(12);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ redis: 'test:unreachable', msg: 'redis connection failing; retrying with backoff' });
  });
});
