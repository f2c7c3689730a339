import { FakeAnthropicServer, scenarios } from '@koda/llm/testing';
import { expectWellFormedRun, startOtlpReceiver, startStack, streamRun, type KodaStack, type OtlpSpan } from '@koda/testing';

const valueOf = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;
const attribute = (span: OtlpSpan, key: string) => valueOf(span, key)?.stringValue;
const number = (span: OtlpSpan, key: string) => {
  const value = valueOf(span, key);
  return value?.intValue !== undefined ? Number(value.intValue) : value?.doubleValue;
};
const bool = (span: OtlpSpan, key: string) => valueOf(span, key)?.boolValue;

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
  // Tracing starts once per process: one receiver and one stack for every test below.
  const fake = new FakeAnthropicServer();
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let stack: KodaStack;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const baseURL = await fake.start();
    stack = await startStack('trace-on', {
      config: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        ANTHROPIC_API_KEY: 'sk-test-key',
        ANTHROPIC_BASE_URL: baseURL,
        KODA_LLM_RETRY_BASE_MS: 10,
      },
    });
    fake.setDefault((request) =>
      (request.tool_choice as { name?: string } | undefined)?.name === 'classify_intent'
        ? scenarios.toolUse('classify_intent', { intent: 'recherche', confidence: 0.9 })
        : scenarios.text('Une réponse du modèle.', { outputTokens: 7 }),
    );
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
    await fake.stop();
  });

  /** The spans of one run's trace, once `atLeast` have arrived (exports go out every half second). */
  async function spansOf(result: Awaited<ReturnType<typeof streamRun>>, atLeast: number): Promise<OtlpSpan[]> {
    const traceparent = (result.events[0] as { traceparent?: string }).traceparent;
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceparent!.split('-')[1];
    const ofRun = () => receiver.spans.filter((s) => s.traceId === traceId);
    const deadline = Date.now() + 5000;
    while (ofRun().length < atLeast && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return ofRun();
  }

  it('gateway and agent spans share the trace id of the start event; the LLM span is under the agent span, with model, tokens and retries', async () => {
    fake.enqueue(scenarios.overloaded(), scenarios.text('Enfin une réponse.', { outputTokens: 4 }));
    const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
    expectWellFormedRun(result);
    const spans = await spansOf(result, 4);
    const byName = (name: string) => spans.find((s) => s.name === name);
    const post = byName('POST /api/v1/chat/orchestrated');
    const agent = byName('job plume-answer');
    const llm = spans.find((s) => s.name.startsWith('llm '));
    const finish = byName('run finish');
    expect([post, agent, llm, finish].map((s) => s?.name)).toEqual([
      'POST /api/v1/chat/orchestrated',
      'job plume-answer',
      'llm claude-sonnet-5-5',
      'run finish',
    ]);
    // One job for a mode that names its agent: the gateway queues it, the agent ends the run.
    expect(spans.some((s) => s.name === 'job route-message' || s.name === 'job finalize-run')).toBe(false);
    expect(attribute(post!, 'koda.service')).toBe('gateway');
    expect(attribute(agent!, 'koda.service')).toBe('agent_plume');
    expect(agent!.parentSpanId).toBe(post!.spanId);
    expect(llm!.parentSpanId).toBe(agent!.spanId);
    expect(attribute(llm!, 'koda.service')).toBe('agent_plume');
    expect({
      model: attribute(llm!, 'gen_ai.response.model'),
      agent: attribute(llm!, 'koda.agent'),
      output: number(llm!, 'gen_ai.usage.output_tokens'),
      retries: number(llm!, 'koda.llm.retries'),
    }).toEqual({ model: 'claude-sonnet-5-5', agent: 'plume', output: 4, retries: 1 });
    expect(number(llm!, 'gen_ai.usage.input_tokens')).toBeGreaterThan(0);
    // The finish script: the terminal write, under the agent job that made it.
    expect(finish!.parentSpanId).toBe(agent!.spanId);
    expect({ outcome: attribute(finish!, 'koda.outcome'), finished: bool(finish!, 'koda.finished'), service: attribute(finish!, 'koda.service') }).toEqual({
      outcome: 'complete',
      finished: true,
      service: 'agent_plume',
    });
    expect(receiver.contentTypes[0]).toMatch(/application\/json/);
  });

  it('each Discussion turn is a span under the agent job, its LLM call under it; the synthesis too', async () => {
    const result = await streamRun(stack.baseUrl, { message: 'Débattez : faut-il tout noter ?', mode: 'discussion' });
    expectWellFormedRun(result);
    const turnsPublished = result.events.filter((e) => e.type === 'agent_message').length;
    const spans = await spansOf(result, 5 + 2 * (turnsPublished + 1));
    const agent = spans.find((s) => s.name === 'job discussion-run')!;
    const turns = spans.filter((s) => s.name === 'discussion turn').sort((a, b) => number(a, 'koda.discussion.turn')! - number(b, 'koda.discussion.turn')!);
    expect(turns.map((t) => [number(t, 'koda.discussion.turn'), attribute(t, 'koda.discussion.persona')])).toEqual(
      Array.from({ length: turnsPublished }, (_, i) => [i + 1, i % 2 === 0 ? 'plume' : 'mimir']),
    );
    const synthesis = spans.find((s) => s.name === 'discussion synthesis')!;
    for (const step of [...turns, synthesis]) {
      expect(step.parentSpanId).toBe(agent.spanId);
      expect(spans.filter((s) => s.parentSpanId === step.spanId && s.name.startsWith('llm ')).length).toBe(1);
    }
  });

  it("a run the gateway itself ends (cancelled, no agent to stop it) has its run finish span in the run's trace", async () => {
    const noAgents = await startStack('trace-cancel', {
      agents: [],
      config: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    });
    try {
      const result = await streamRun(noAgents.baseUrl, { message: 'Bonjour', mode: 'plume' }, (frame) => {
        if (frame.event?.type === 'start') void fetch(`${noAgents.baseUrl}/api/v1/runs/${frame.event.run_id}/cancel`, { method: 'POST' });
        return false;
      });
      expect(expectWellFormedRun(result)).toMatchObject({ type: 'error', code: 'cancelled' });
      const spans = await spansOf(result, 3);
      const post = spans.find((s) => s.name === 'POST /api/v1/chat/orchestrated')!;
      const finish = spans.find((s) => s.name === 'run finish');
      expect(finish?.parentSpanId).toBe(post.spanId);
      expect({ service: attribute(finish!, 'koda.service'), outcome: attribute(finish!, 'koda.outcome') }).toEqual({
        service: 'gateway',
        outcome: 'cancelled',
      });
    } finally {
      await noAgents.close();
    }
  });

  it("the router's model classification is an LLM span under the route job (agent router)", async () => {
    const result = await streamRun(stack.baseUrl, { message: 'Que disent mes notes sur Redis ?' });
    expectWellFormedRun(result);
    const spans = await spansOf(result, 7);
    const post = spans.find((s) => s.name === 'POST /api/v1/chat/orchestrated')!;
    const route = spans.find((s) => s.name === 'job route-message')!;
    const agent = spans.find((s) => s.name === 'job mimir-answer')!;
    const router = spans.find((s) => s.name.startsWith('llm ') && attribute(s, 'koda.agent') === 'router');
    expect(router?.name).toBe('llm claude-haiku-5-5');
    // `auto` takes two jobs: the gateway queues the route job, which queues the agent's.
    expect(attribute(route, 'koda.service')).toBe('orchestrator');
    expect(route.parentSpanId).toBe(post.spanId);
    expect(agent.parentSpanId).toBe(route.spanId);
    expect(router!.parentSpanId).toBe(route.spanId);
    expect(attribute(router!, 'koda.service')).toBe('orchestrator');
    expect(number(router!, 'gen_ai.usage.input_tokens')).toBeGreaterThan(0);
  });
});
