import * as net from 'net';
import { readdirSync } from 'fs';
import Redis from 'ioredis';
import { randomUUID } from 'crypto';
import { bootstrapGateway } from '@koda/gateway';
import { createLogger, loadConfig, startPrivateRedis, type LocatedRedis } from '@koda/platform';
import { expectIdsStrictlyIncreasing, postJson, readSse, startStack, streamRun, type KodaStack } from '@koda/testing';
import { freePort, spawnService, waitFor } from './support/processes';
import { startDraft, tokenDraft, writeEvents } from './support/run-log';

const LONG = 'Écris un long paragraphe sur les phares de Bretagne, leur histoire et leurs gardiens.';

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = Date.now();
  const value = await work();
  return { value, ms: Date.now() - startedAt };
}

describe('gateway SIGTERM: streams move to another replica, the process exits by its deadline', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('gw-sigterm', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 40 } });
  });
  afterAll(() => stack.close());

  it('closes open streams with retry:, the clients resume on the second gateway and finish exactly', async () => {
    const port = await freePort();
    const env = { REDIS_URL: stack.config.REDIS_URL, KODA_PREFIX: stack.config.KODA_PREFIX, PORT: port, KODA_SHUTDOWN_GRACE_MS: 1500, KODA_NOTES_DIR: 'none' };
    const doomed = spawnService('gateway', env);
    const doomedUrl = `http://127.0.0.1:${port}`;
    try {
      await waitFor('the gateway to listen', async () => (await fetch(`${doomedUrl}/health`).catch(() => null))?.status === 200);
      // A client that connects and never sends a whole request must not hold the exit.
      const idler = net.connect(port, '127.0.0.1', () => idler.write('GET /health HTTP/1.1\r\nHost: x\r\n'));
      idler.on('error', () => undefined);
      const streams = [0, 1, 2].map(() => {
        let tokens = 0;
        return readSse(
          `${doomedUrl}/api/v1/chat/orchestrated/stream`,
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: LONG, mode: 'plume' }) },
          (frame) => {
            // Every stream signals once: the gateway gets SIGTERM up to three times, as from an
            // orchestrator that repeats it; repeats must not cut the drain short.
            if (frame.event?.type === 'token' && ++tokens === 2) doomed.kill('SIGTERM');
            return false;
          },
        );
      });
      const cut = await Promise.all(streams);
      const exit = await timed(() => doomed.exited);
      expect(exit.ms).toBeLessThan(1500 + 4000);
      expect(exit.value).toBe(0);
      for (const partial of cut) {
        expect(partial.done).toBe(false);
        expect(partial.raw).toMatch(/\nretry: \d+\n/);
        const runId = partial.events[0].run_id;
        const rest = await readSse(`${stack.baseUrl}/api/v1/runs/${runId}/events`, { headers: { 'Last-Event-ID': partial.ids[partial.ids.length - 1] } });
        expect(rest.done).toBe(true);
        const whole = await readSse(`${stack.baseUrl}/api/v1/runs/${runId}/events`);
        expect([...partial.ids, ...rest.ids]).toEqual(whole.ids);
        expectIdsStrictlyIncreasing(whole.ids);
      }
      idler.destroy();
    } finally {
      doomed.kill('SIGKILL');
    }
  });

  it('a repeated SIGTERM does not cut the drain short; a second Ctrl-C exits at once', async () => {
    const port = await freePort();
    const env = { REDIS_URL: stack.config.REDIS_URL, KODA_PREFIX: stack.config.KODA_PREFIX, PORT: port, KODA_SHUTDOWN_GRACE_MS: 1500, KODA_NOTES_DIR: 'none' };
    const gateway = spawnService('gateway', env);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor('the gateway to listen', async () => (await fetch(`${url}/health`).catch(() => null))?.status === 200);
      // A waiting (sync) request keeps the drain going while the second SIGTERM arrives (signals
      // sent back to back would merge into one).
      const waiting = postJson(`${url}/api/v1/chat/orchestrated`, { message: LONG, mode: 'plume' }).catch(() => null);
      const cut = await readSse(
        `${url}/api/v1/chat/orchestrated/stream`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: LONG, mode: 'plume' }) },
        (frame) => {
          if (frame.event?.type === 'token' && !gateway.logs.some((l) => l.msg === 'stopping')) {
            gateway.kill('SIGTERM');
            void waitFor('the drain to start', () => gateway.logs.some((l) => l.msg === 'stopping')).then(() => gateway.kill('SIGTERM'));
          }
          return false;
        },
      );
      await waiting;
      expect(cut.raw).toMatch(/\nretry: \d+\n/);
      expect(await gateway.exited).toBe(0);
      expect(gateway.logs.filter((l) => l.msg === 'already stopping; signal ignored').length).toBeGreaterThan(0);
    } finally {
      gateway.kill('SIGKILL');
    }
    const interruptedPort = await freePort();
    const interrupted = spawnService('gateway', { ...env, PORT: interruptedPort, KODA_SHUTDOWN_GRACE_MS: 10_000 });
    try {
      await waitFor('the gateway to listen', async () => (await fetch(`http://127.0.0.1:${interruptedPort}/health`).catch(() => null))?.status === 200);
      // A waiting (sync) request of a long answer keeps the drain busy for its grace.
      const waiting = postJson(`http://127.0.0.1:${interruptedPort}/api/v1/chat/orchestrated`, { message: LONG, mode: 'plume' }).catch(() => null);
      await new Promise((r) => setTimeout(r, 200));
      interrupted.kill('SIGINT');
      await waitFor('the drain to start', () => interrupted.logs.some((l) => l.msg === 'stopping'));
      interrupted.kill('SIGINT');
      const exit = await timed(() => interrupted.exited);
      expect(exit.value).toBe(130);
      expect(exit.ms).toBeLessThan(5000);
      await waiting;
    } finally {
      interrupted.kill('SIGKILL');
    }
  });

  it('a draining gateway takes no new work (503 shutting_down with Retry-After) and says so on /health', async () => {
    const port = await freePort();
    const env = { REDIS_URL: stack.config.REDIS_URL, KODA_PREFIX: stack.config.KODA_PREFIX, PORT: port, KODA_SHUTDOWN_GRACE_MS: 3000, KODA_NOTES_DIR: 'none' };
    const gateway = spawnService('gateway', env);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor('the gateway to listen', async () => (await fetch(`${url}/health`).catch(() => null))?.status === 200);
      // A waiting (sync) request keeps the drain busy for its grace.
      const runId = randomUUID();
      await writeEvents(stack.redis, stack.config.KODA_PREFIX, runId, [startDraft()]);
      const held = readSse(`${url}/api/v1/runs/${runId}/events`);
      // A short answer (a greeting), well within the grace.
      const waiting = postJson(`${url}/api/v1/chat/orchestrated`, { message: 'Bonjour !', mode: 'plume' });
      await new Promise((r) => setTimeout(r, 50));
      gateway.kill('SIGTERM');
      await waitFor('the drain to start', () => gateway.logs.some((l) => l.msg === 'gateway draining'));
      const refused = await postJson(`${url}/api/v1/chat/orchestrated/stream`, { message: 'Bonjour', mode: 'plume' }, { connection: 'close' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({ code: 'shutting_down' });
      expect((await fetch(`${url}/health`)).status).toBe(503);
      expect((await held).done).toBe(false);
      expect((await waiting).status).toBe(200);
      expect(await gateway.exited).toBe(0);
    } finally {
      gateway.kill('SIGKILL');
    }
  });
});

describe('Redis trouble, as the gateway answers it', () => {
  let redis: LocatedRedis;
  let stack: KodaStack;
  let admin: Redis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    admin = new Redis(redis.url);
    stack = await startStack('gw-redis', { agents: [], orchestrator: false, config: { REDIS_URL: redis.url, KODA_NOTES_DIR: 'none' } });
  });
  afterAll(async () => {
    await admin.config('SET', 'maxmemory', '0').catch(() => undefined);
    await stack.close().catch(() => undefined);
    admin.disconnect();
    await redis.stop();
  });

  it('out of memory: 503 redis_full with Retry-After on writes, /health says full, open streams are told; all back once memory frees', async () => {
    const runId = randomUUID();
    await writeEvents(stack.redis, stack.config.KODA_PREFIX, runId, [startDraft(), tokenDraft('a')]);
    const frames: string[] = [];
    const open = readSse(`${stack.baseUrl}/api/v1/runs/${runId}/events`, {}, (frame) => {
      frames.push(frame.data);
      return frame.event?.type === 'error';
    });
    await waitFor('the stream to open', () => frames.length === 2);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    try {
      const post = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated/stream`, { message: 'Bonjour', mode: 'plume' });
      expect(post.status).toBe(503);
      expect(post.headers.get('retry-after')).toBe('5');
      expect(await post.json()).toMatchObject({ code: 'redis_full', message: expect.stringMatching(/no run was started/) });
      const note = await postJson(`${stack.baseUrl}/api/v1/notes`, { title: 't', content: 'c' });
      expect(note.status).toBe(503);
      expect(await note.json()).toMatchObject({ code: 'redis_full', message: expect.stringMatching(/note was not saved/) });
      const health = await fetch(`${stack.baseUrl}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'full', maxmemory_policy: 'noeviction' });
      const told = await open;
      expect(told.events[told.events.length - 1]).toMatchObject({ type: 'error', code: 'redis_full', fatal: false });
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    await waitFor('the gateway to see memory back', async () => (await fetch(`${stack.baseUrl}/health`)).status !== 503);
    const again = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' }, (frame) => frame.event?.type === 'start');
    expect(again.status).toBe(200);
  });
});

describe('a slow or full Redis at start-up', () => {
  it('a gateway whose notes import meets a command timeout tries again and starts with every note', async () => {
    const redis = await startPrivateRedis();
    const admin = new Redis(redis.url);
    const config = loadConfig({ ...process.env, ANTHROPIC_API_KEY: '' }, { REDIS_URL: redis.url, PORT: 0, KODA_PREFIX: 'test-gw-slow', LOG_LEVEL: 'silent' });
    // Writes wait 2.5 s: the import's first write outlives KODA_REDIS_COMMAND_TIMEOUT_MS (800 ms).
    await admin.client('PAUSE', 2500, 'WRITE');
    const gateway = await bootstrapGateway(config, createLogger('test', 'silent'));
    try {
      const baseUrl = `http://127.0.0.1:${(gateway.getHttpServer().address() as { port: number }).port}`;
      const { notes } = (await (await fetch(`${baseUrl}/api/v1/notes`)).json()) as { notes: unknown[] };
      expect(notes.length).toBe(readdirSync(config.KODA_NOTES_DIR).filter((f) => f.endsWith('.md')).length);
    } finally {
      await gateway.close();
      admin.disconnect();
      await redis.stop();
    }
  });
  it('a gateway started on a full Redis starts without its notes and answers 503 redis_full, instead of failing to start', async () => {
    const redis = await startPrivateRedis();
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    const config = loadConfig({ ...process.env, ANTHROPIC_API_KEY: '' }, { REDIS_URL: redis.url, PORT: 0, KODA_PREFIX: 'test-gw-full', LOG_LEVEL: 'silent' });
    const gateway = await bootstrapGateway(config, createLogger('test', 'silent'));
    try {
      const baseUrl = `http://127.0.0.1:${(gateway.getHttpServer().address() as { port: number }).port}`;
      const post = await postJson(`${baseUrl}/api/v1/chat/orchestrated`, { message: 'Bonjour', mode: 'plume' });
      expect(post.status).toBe(503);
      expect(await post.json()).toMatchObject({ code: 'redis_full' });
    } finally {
      await gateway.close();
      admin.disconnect();
      await redis.stop();
    }
  });
});

describe('Redis down', () => {
  it('every route answers 503 in under a second, /health included', async () => {
    const redis = await startPrivateRedis();
    const config = loadConfig(
      { ...process.env, ANTHROPIC_API_KEY: '' },
      { REDIS_URL: redis.url, PORT: 0, KODA_PREFIX: 'test-gw-down', LOG_LEVEL: 'silent', KODA_NOTES_DIR: 'none' },
    );
    const gateway = await bootstrapGateway(config, createLogger('test', 'silent'));
    const baseUrl = `http://127.0.0.1:${(gateway.getHttpServer().address() as { port: number }).port}`;
    try {
      await redis.stop();
      await new Promise((r) => setTimeout(r, 300));
      const json = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"Bonjour"}' };
      const probes: [string, RequestInit?][] = [
        [`${baseUrl}/api/v1/chat/orchestrated/stream`, json],
        [`${baseUrl}/api/v1/chat/orchestrated`, json],
        [`${baseUrl}/api/v1/runs/${randomUUID()}/events`],
        [`${baseUrl}/api/v1/runs/${randomUUID()}/cancel`, { method: 'POST' }],
        [`${baseUrl}/api/v1/sessions/s1`],
        [`${baseUrl}/api/v1/notes`],
        [`${baseUrl}/health`],
      ];
      for (const [url, init] of probes) {
        const { value: res, ms } = await timed(() => fetch(url, init));
        expect({ url, status: res.status }).toEqual({ url, status: 503 });
        expect(ms).toBeLessThan(1000);
        if (!url.endsWith('/health')) expect(res.headers.get('retry-after')).toBe('1');
      }
    } finally {
      // Closing politely would wait for a Redis that is gone; bounded, like a SIGTERM'd gateway.
      await Promise.race([gateway.close(), new Promise((r) => setTimeout(r, 3000))]);
    }
  });
});

describe('start-up warns when Redis may evict KODA’s data', () => {
  it('logs a warning and shows the policy on /health when maxmemory-policy is not noeviction', async () => {
    const redis = await startPrivateRedis();
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const port = await freePort();
    const gateway = spawnService('gateway', { REDIS_URL: redis.url, KODA_PREFIX: 'policy', PORT: port, KODA_NOTES_DIR: 'none', LOG_LEVEL: 'warn' });
    try {
      // The warning comes at start, before the gateway listens.
      await waitFor('the policy warning', () => gateway.logs.find((l) => l.maxmemory_policy === 'allkeys-lru' && /noeviction/.test(String(l.msg))));
      const health = await waitFor('the gateway to listen', async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.json());
      expect(health.maxmemory_policy).toBe('allkeys-lru');
    } finally {
      gateway.kill('SIGKILL');
      admin.disconnect();
      await redis.stop();
    }
  });
});
