import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectWellFormedRun, startStack, streamRun } from '@koda/testing';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

/** A local OTLP/HTTP receiver: collects the spans of every JSON export. */
async function startReceiver(): Promise<{ url: string; spans: OtlpSpan[]; contentTypes: string[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      contentTypes.push(String(req.headers['content-type']));
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, contentTypes, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const attribute = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value.stringValue;

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('writes no traceparent anywhere', async () => {
    const stack = await startStack('trace-off');
    try {
      const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
      expectWellFormedRun(result);
      expect(result.events[0]).not.toHaveProperty('traceparent');
    } finally {
      await stack.close();
    }
  });
});

describe('one trace per run over OTLP/HTTP JSON', () => {
  it('gateway, orchestrator and agent spans share the trace id of the start event; the LLM span is under the agent span', async () => {
    const receiver = await startReceiver();
    const stack = await startStack('trace-on', { config: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } });
    try {
      const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
      expectWellFormedRun(result);
      const traceparent = (result.events[0] as { traceparent?: string }).traceparent;
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const traceId = traceparent!.split('-')[1];
      const ofRun = () => receiver.spans.filter((s) => s.traceId === traceId);
      const deadline = Date.now() + 5000;
      while (ofRun().length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

      const spans = ofRun();
      const byName = (name: string) => spans.find((s) => s.name === name);
      const post = byName('POST /api/v1/chat/orchestrated');
      const route = byName('job route-message');
      const agent = byName('job plume-answer');
      const llm = spans.find((s) => s.name.startsWith('llm '));
      expect([post, route, agent, llm].map((s) => s?.name)).toEqual(['POST /api/v1/chat/orchestrated', 'job route-message', 'job plume-answer', 'llm koda-offline-1']);
      expect(attribute(post!, 'koda.service')).toBe('gateway');
      expect(attribute(route!, 'koda.service')).toBe('orchestrator');
      expect(attribute(agent!, 'koda.service')).toBe('agent_plume');
      expect(route!.parentSpanId).toBe(post!.spanId);
      expect(agent!.parentSpanId).toBe(route!.spanId);
      expect(llm!.parentSpanId).toBe(agent!.spanId);
      expect(receiver.contentTypes[0]).toMatch(/application\/json/);
    } finally {
      await stack.close();
      await receiver.close();
    }
  });
});
