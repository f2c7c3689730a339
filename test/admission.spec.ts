import type { INestApplication } from '@nestjs/common';
import { bootstrapGateway } from '@koda/gateway';
import { createLogger } from '@koda/platform';
import { keys } from '@koda/contracts';
import { startStack, type KodaStack } from '@koda/testing';

const ERIN = 'erin-key-0123456789abcdef';
const FRANK = 'frank-key-0123456789abcdef';
const HANA = 'hana-key-0123456789abcdef';
const post = (url: string, key: string, body?: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Limits per user hold across replicas: A and B count into the same Redis. */
describe('admission control across two replicas', () => {
  let stack: KodaStack;
  let second: INestApplication;
  let gateways: string[];

  beforeAll(async () => {
    stack = await startStack('admission', {
      config: {
        KODA_AUTH: 'apikey',
        KODA_API_KEYS: `erin:${ERIN},frank:${FRANK},hana:${HANA}`,
        KODA_DAILY_BUDGET_EUR: 0.5,
        KODA_NOTES_DIR: '',
        KODA_RUNS_PER_MINUTE: 4,
        KODA_MAX_ACTIVE_RUNS: 2,
        KODA_OFFLINE_TOKEN_DELAY_MS: 40,
      },
    });
    second = await bootstrapGateway({ ...stack.config, PORT: 0 }, createLogger('admission-b', 'silent'));
    gateways = [stack.baseUrl, `http://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}`];
  });
  afterAll(async () => {
    await second.close();
    await stack.close();
  });

  it('answers 429 runs_per_minute with Retry-After past the per-minute limit, counted on both replicas', async () => {
    // The user's window opens with their first run and lasts a minute (rate-limiter-flexible).
    for (let i = 0; i < 4; i++) {
      const res = await post(`${gateways[i % 2]}/api/v1/chat/orchestrated`, ERIN, { message: 'Bonjour', mode: 'plume' });
      expect(res.status).toBe(200);
    }
    for (const base of gateways) {
      const refused = await post(`${base}/api/v1/chat/orchestrated/stream`, ERIN, { message: 'Bonjour', mode: 'plume' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(await refused.json()).toMatchObject({ statusCode: 429, code: 'rate_limited', limit: 'runs_per_minute', limit_value: 4 });
    }
    expect(await stack.redis.pttl(`${stack.config.KODA_PREFIX}:user:{erin}:runs-per-minute`)).toBeGreaterThan(0);
    // Another user is not slowed down by erin.
    expect((await post(`${gateways[1]}/api/v1/chat/orchestrated`, FRANK, { message: 'Bonjour', mode: 'plume' })).status).toBe(200);
  });

  it('answers 429 active_runs past the concurrent-run limit on either replica, and admits again once a run ends', async () => {
    const long = { message: 'Écris un long texte sur les phares de Bretagne et leurs gardiens', mode: 'plume' };
    const first = await post(`${gateways[0]}/api/v1/chat/orchestrated/stream`, FRANK, long);
    const second = await post(`${gateways[1]}/api/v1/chat/orchestrated/stream`, FRANK, long);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await post(`${gateways[1]}/api/v1/chat/orchestrated/stream`, FRANK, long);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await third.json()).toMatchObject({ code: 'rate_limited', limit: 'active_runs', limit_value: 2 });
    expect((await post(`${gateways[0]}/api/v1/runs/${first.headers.get('x-run-id')}/cancel`, FRANK)).status).toBe(202);
    // Frank's minute holds 1 + 2 runs: the refused one was given back, so `again` is the 4th of 4.
    await first.text();
    const again = await post(`${gateways[0]}/api/v1/chat/orchestrated`, FRANK, { message: 'Bonjour', mode: 'plume' });
    expect(again.status).toBe(200);
    await second.text();
  });

  it('answers 429 budget_exhausted once the daily budget is spent, until the next UTC day', async () => {
    const spend = keys.userSpend(stack.config.KODA_PREFIX, 'hana', new Date().toISOString().slice(0, 10));
    expect((await post(`${gateways[0]}/api/v1/chat/orchestrated`, HANA, { message: 'Bonjour', mode: 'plume' })).status).toBe(200);
    // What completed runs on a paid model would have added (the offline model costs nothing).
    await stack.redis.incrbyfloat(spend, 0.51);
    for (const base of gateways) {
      const refused = await post(`${base}/api/v1/chat/orchestrated`, HANA, { message: 'Bonjour', mode: 'plume' });
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
      expect(await refused.json()).toMatchObject({ code: 'budget_exhausted', limit: 'daily_budget_eur', limit_value: 0.5 });
    }
  });
});
