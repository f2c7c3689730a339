import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectWellFormedRun, startOtlpReceiver, startStack, streamRun } from '@koda/testing';

/** Its own file: tracing starts once per module registry, towards the first endpoint it is given. */

describe("webhook deliveries in the run's trace", () => {
  it("each delivery attempt is a span of the run's trace, under its job's span", async () => {
    const traces = await startOtlpReceiver();
    let hits = 0;
    const hooks = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(++hits === 1 ? 500 : 204).end());
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
    const stack = await startStack('trace-webhook', {
      agents: ['plume'],
      config: {
        OTEL_EXPORTER_OTLP_ENDPOINT: traces.url,
        KODA_WEBHOOK_SECRET: 'trace-webhook-secret-of-32-chars!!',
        KODA_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
        KODA_WEBHOOK_BACKOFF_MS: 50,
      },
    });
    try {
      const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume', webhook: hookUrl });
      expectWellFormedRun(result);
      const traceId = (result.events[0] as { traceparent?: string }).traceparent!.split('-')[1];
      const attempts = () => traces.spans.filter((s) => s.traceId === traceId && s.name === 'webhook POST');
      const deadline = Date.now() + 10_000;
      while (attempts().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(attempts()).toHaveLength(2);
      const jobs = traces.spans.filter((s) => s.traceId === traceId && s.name === 'job deliver-webhook');
      expect(attempts().map((a) => jobs.some((j) => j.spanId === a.parentSpanId))).toEqual([true, true]);
    } finally {
      await stack.close();
      hooks.close();
      await traces.close();
    }
  });
});
