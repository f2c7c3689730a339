import { keys, STREAM_FIELD } from '@koda/contracts';
import { bootstrapGateway } from '@koda/gateway';
import { createLogger } from '@koda/platform';
import { expectWellFormedRun, readSse, startStack, streamRun, type KodaStack } from '@koda/testing';
import type { INestApplication } from '@nestjs/common';
import { startNginx, type NginxProxy } from './support/nginx-proxy';

/**
 * Two gateways behind a real nginx running the sample config (`deploy/nginx/koda.conf`), with
 * nginx's default buffering. The sample's 60 s idle timeout is 3 s here (the only change, with
 * ports), and the gateways' heartbeat 1 s, so the test outlasts the timeout in seconds.
 */
const IDLE_TIMEOUT_S = 3;

describe('KODA behind a reverse proxy (nginx)', () => {
  let stack: KodaStack;
  let second: INestApplication;
  let proxy: NginxProxy;
  const portOf = (app: INestApplication) => (app.getHttpServer().address() as { port: number }).port;

  beforeAll(async () => {
    stack = await startStack('proxy', { config: { KODA_HEARTBEAT_MS: 1000, KODA_OFFLINE_TOKEN_DELAY_MS: 40 } });
    second = await bootstrapGateway({ ...stack.config, PORT: 0 }, createLogger('proxy-2', 'silent'));
    proxy = await startNginx([`127.0.0.1:${portOf(stack.gateway)}`, `127.0.0.1:${portOf(second)}`], IDLE_TIMEOUT_S);
  });
  afterAll(async () => {
    await proxy?.stop();
    await second?.close();
    await stack?.close();
  });

  it('streams events through the proxy as they happen, not at the end', async () => {
    const arrivals: { type: string; at: number }[] = [];
    const result = await streamRun(proxy.url, { message: 'Écris quelques phrases sur les marées', mode: 'plume' }, (frame) => {
      arrivals.push({ type: frame.event?.type ?? frame.data, at: Date.now() });
      return false;
    });
    expect(expectWellFormedRun(result).type).toBe('complete');
    const firstToken = arrivals.find((a) => a.type === 'token')!;
    const complete = arrivals.find((a) => a.type === 'complete')!;
    // Tokens come 40 ms apart: buffered, they would all arrive with `complete`.
    expect(complete.at - firstToken.at).toBeGreaterThan(300);
    expect(new Set(arrivals.map((a) => a.at)).size).toBeGreaterThan(5);
  });

  it('keeps an idle stream open past the proxy idle timeout with heartbeats', async () => {
    const runId = `idle-${Date.now()}`;
    const start = { type: 'start', run_id: runId, timestamp: new Date().toISOString(), session_id: 's', mode: 'plume', message: 'm' };
    const key = keys.runEvents(stack.config.KODA_PREFIX, runId);
    await stack.redis.xadd(key, '*', STREAM_FIELD, JSON.stringify(start));
    await stack.redis.expire(key, 600);
    const controller = new AbortController();
    const res = await fetch(`${proxy.url}/api/v1/runs/${runId}/events`, { signal: controller.signal });
    const reader = res.body!.getReader();
    let raw = '';
    let ended = false;
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return void (ended = true);
        raw += decoder.decode(value, { stream: true });
      }
    })();
    await new Promise((r) => setTimeout(r, 3 * IDLE_TIMEOUT_S * 1000));
    expect(ended).toBe(false);
    expect((raw.match(/^: ping/gm) ?? []).length).toBeGreaterThanOrEqual(3 * IDLE_TIMEOUT_S - 2);
    // Still live: an event written now arrives through the same connection.
    const end = { type: 'error', run_id: runId, timestamp: new Date().toISOString(), code: 'internal', message: 'x', fatal: true };
    await stack.redis.xadd(key, '*', STREAM_FIELD, JSON.stringify(end));
    await reading;
    expect(raw).toContain('"fatal":true');
    expect(raw.trimEnd().endsWith('data: [DONE]')).toBe(true);
    controller.abort();
  });

  it('resumes through the proxy on the other gateway exactly after Last-Event-ID', async () => {
    let cutAt = '';
    let tokens = 0;
    const partial = await streamRun(proxy.url, { message: 'Écris quelques phrases sur les phares', mode: 'plume' }, (frame) => {
      if (frame.event?.type === 'token' && ++tokens === 3) cutAt = frame.id!;
      return !!cutAt;
    });
    const firstGateway = partial.headers.get('x-koda-upstream');
    const runId = partial.events[0].run_id;
    // Round robin: the next request goes to the other gateway; retried until it does.
    let rest = await readSse(`${proxy.url}/api/v1/runs/${runId}/events`, { headers: { 'Last-Event-ID': cutAt } });
    for (let i = 0; i < 5 && rest.headers.get('x-koda-upstream') === firstGateway; i++) {
      rest = await readSse(`${proxy.url}/api/v1/runs/${runId}/events`, { headers: { 'Last-Event-ID': cutAt } });
    }
    expect(firstGateway).toBeTruthy();
    expect(rest.headers.get('x-koda-upstream')).not.toBe(firstGateway);
    const whole = await readSse(`${proxy.url}/api/v1/runs/${runId}/events`);
    expect(rest.ids).toEqual(whole.ids.slice(whole.ids.indexOf(cutAt) + 1));
    expectWellFormedRun({
      ...rest,
      frames: [...partial.frames, ...rest.frames],
      ids: [...partial.ids, ...rest.ids],
      events: [...partial.events, ...rest.events],
    });
  });
});
