import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keys } from '@koda/contracts';
import { verifyWebhookSignature, WEBHOOK_HEADERS } from '@koda/platform';
import { expectWellFormedRun, postJson, startStack, streamRun, type KodaStack } from '@koda/testing';

const SECRET = 'test-webhook-secret-of-32-characters!';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A local receiver that answers the given statuses in turn (then 200), keeping what it got. */
async function startReceiver(statuses: number[]): Promise<{ url: string; deliveries: Delivery[]; server: Server }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const answered = statuses[deliveries.length] ?? 200;
      deliveries.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/koda`, deliveries, server };
}

describe('completion webhooks', () => {
  let stack: KodaStack;

  beforeAll(async () => {
    stack = await startStack('webhooks', {
      agents: ['plume'],
      config: {
        KODA_WEBHOOK_SECRET: SECRET,
        KODA_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
        KODA_WEBHOOK_BACKOFF_MS: 50,
        KODA_WEBHOOK_MAX_ATTEMPTS: 5,
        KODA_WEBHOOK_TIMEOUT_MS: 2000,
      },
    });
  });
  afterAll(() => stack.close());

  it('delivers exactly one verified POST per run, after two attempts answered 500, with one id across attempts', async () => {
    const receiver = await startReceiver([500, 500]);
    try {
      const result = await streamRun(stack.baseUrl, { message: 'Une phrase sur la pluie', mode: 'plume', webhook: receiver.url });
      const terminal = expectWellFormedRun(result);
      await waitFor(() => receiver.deliveries.length >= 3);
      await new Promise((resolve) => setTimeout(resolve, 500)); // nothing more comes once one succeeded
      expect(receiver.deliveries.map((d) => d.answered)).toEqual([500, 500, 200]);
      const ids = new Set(receiver.deliveries.map((d) => d.headers[WEBHOOK_HEADERS.id]));
      expect([...ids]).toEqual([terminal.run_id]);
      for (const delivery of receiver.deliveries) {
        expect(verifyWebhookSignature(SECRET, String(delivery.headers[WEBHOOK_HEADERS.signature]), delivery.body)).toBe(true);
        expect(verifyWebhookSignature('another-secret-of-thirty-two-chars!!', String(delivery.headers[WEBHOOK_HEADERS.signature]), delivery.body)).toBe(false);
      }
      const payload = JSON.parse(receiver.deliveries[2].body);
      expect(payload).toMatchObject({
        id: terminal.run_id,
        type: 'run.completed',
        run_id: terminal.run_id,
        session_id: result.events[0].type === 'start' ? result.events[0].session_id : '',
        event: terminal,
      });
    } finally {
      receiver.server.close();
    }
  });

  it('tells a failed run too (the terminal error), and a receiver that never answers 2xx does not touch the run', async () => {
    const receiver = await startReceiver([500, 500, 500, 500, 500]);
    try {
      const result = await streamRun(
        stack.baseUrl,
        { message: 'Une phrase sur la neige', mode: 'plume', webhook: receiver.url },
        (frame) => frame.event?.type === 'token',
      );
      const runId = result.events[0].run_id;
      await fetch(`${stack.baseUrl}/api/v1/runs/${runId}/cancel`, { method: 'POST' });
      await waitFor(() => receiver.deliveries.length >= 5);
      const payload = JSON.parse(receiver.deliveries[0].body);
      expect(payload).toMatchObject({ type: 'run.failed', run_id: runId, event: { type: 'error', code: 'cancelled' } });
      const status = await (await fetch(`${stack.baseUrl}/api/v1/runs/${runId}`)).json();
      expect(status).toMatchObject({ status: 'cancelled' });
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(receiver.deliveries).toHaveLength(5); // KODA_WEBHOOK_MAX_ATTEMPTS, then given up
    } finally {
      receiver.server.close();
    }
  });

  it.each([
    ['a private address', 'http://10.1.2.3/hook'],
    ['loopback by a name not allowed', 'http://localhost:9/hook'],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data'],
    ['IPv6 loopback', 'http://[::1]:9/hook'],
  ])('refuses a webhook to %s at POST time with 400, starting nothing', async (_what, url) => {
    const res = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated`, { message: 'Bonjour', mode: 'plume', session_id: 'refused-hook', webhook: url });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.fields).toEqual([expect.objectContaining({ field: 'webhook' })]);
    expect(await stack.redis.zcard(keys.sessionRuns(stack.config.KODA_PREFIX, 'local', 'refused-hook'))).toBe(0);
  });

  it('refuses a webhook that is not an http(s) URL', async () => {
    const res = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated`, { message: 'Bonjour', webhook: 'file:///etc/passwd' });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('webhook');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
