import type { CompleteEvent, ErrorEvent, RunEvent } from '@koda/contracts';
import { FakeAnthropicServer, scenarios } from '@koda/llm/testing';
import { expectWellFormedRun, scrape, startStack, streamRun, sumOf, typeSequence, type KodaStack } from '@koda/testing';

/** Every mode through the real @anthropic-ai/sdk, against a local server speaking the Messages API. */
describe('KODA on the anthropic provider', () => {
  const fake = new FakeAnthropicServer();
  let stack: KodaStack;

  beforeAll(async () => {
    const baseURL = await fake.start();
    stack = await startStack('anthropic', {
      config: {
        ANTHROPIC_API_KEY: 'sk-test-key',
        ANTHROPIC_BASE_URL: baseURL,
        KODA_LLM_RETRY_BASE_MS: 10,
        KODA_LLM_RETRY_ATTEMPTS: 3,
        KODA_LLM_IDLE_TIMEOUT_MS: 400,
      },
    });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await stack.close();
    await fake.stop();
  });

  const tokens = (events: RunEvent[]) =>
    events
      .filter((e): e is Extract<RunEvent, { type: 'token' }> => e.type === 'token')
      .map((e) => e.delta)
      .join('');

  it.each(['plume', 'mimir'] as const)('%s streams the server text, with usage and cost', async (mode) => {
    fake.enqueue(scenarios.text('Voici une réponse venue du modèle, mot à mot.', { outputTokens: 12 }));
    const result = await streamRun(stack.baseUrl, { message: 'Parle-moi de Redis Streams', mode });
    const complete = expectWellFormedRun(result) as CompleteEvent;
    expect(complete.result.response).toBe('Voici une réponse venue du modèle, mot à mot.');
    expect(tokens(result.events)).toBe(complete.result.response);
    expect(complete.result.output_tokens).toBe(12);
    expect(complete.result.input_tokens).toBeGreaterThan(0);
    expect(complete.result.cost_eur).toBeGreaterThan(0);
    expect(complete.result.metadata).toMatchObject({ provider: 'anthropic' });
    expect(fake.requests[0].body).toMatchObject({ stream: true });
  });

  it('discussion sums tokens and cost over its turns and synthesis', async () => {
    fake.setDefault(scenarios.text('Je suis d’accord, ajoutons un exemple.', { outputTokens: 5 }));
    const result = await streamRun(stack.baseUrl, { message: 'Débattez du télétravail', mode: 'discussion' });
    const complete = expectWellFormedRun(result) as CompleteEvent;
    const calls = fake.requests.length;
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(complete.result.output_tokens).toBe(5 * calls);
    expect(complete.result.cost_eur).toBeGreaterThan(0);
  });

  it('auto mode asks the model to classify (structured output) and says which classifier decided', async () => {
    fake.setDefault((request) =>
      request.tool_choice ? scenarios.toolUse('classify_intent', { intent: 'recherche', confidence: 0.91 }) : scenarios.text('Selon vos notes…'),
    );
    const result = await streamRun(stack.baseUrl, { message: 'Que disent mes notes sur le sommeil ?' });
    expectWellFormedRun(result);
    expect(result.events.find((e) => e.type === 'routing')).toMatchObject({
      intent: 'recherche',
      node: 'mimir',
      confidence: 0.91,
      classifier: expect.stringMatching(/^anthropic:/),
    });
    expect(fake.requests[0].tool_choice).toMatchObject({ type: 'tool', name: 'classify_intent' });
  });

  it('falls back to the local classifier when the model cannot classify', async () => {
    fake.setDefault((request) => (request.tool_choice ? scenarios.invalidRequest() : scenarios.text('Réponse.')));
    const result = await streamRun(stack.baseUrl, { message: 'Cherche dans mes notes la recette du far breton' });
    expectWellFormedRun(result);
    expect(result.events.find((e) => e.type === 'routing')).toMatchObject({ intent: 'recherche', classifier: 'koda-intent/logreg-ngram-v1' });
  });

  it('retries a 529 and completes, counting the retry', async () => {
    const retries = async () =>
      sumOf((await scrape(`${stack.baseUrl}/metrics`)).samples, 'koda_llm_retries_total', { agent: 'plume', model: 'claude-sonnet-5-5' });
    const before = await retries();
    fake.enqueue(scenarios.overloaded(), scenarios.text('Enfin une réponse.'));
    const complete = expectWellFormedRun(await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' })) as CompleteEvent;
    expect(complete.result.response).toBe('Enfin une réponse.');
    expect(fake.requests).toHaveLength(2);
    expect((await retries()) - before).toBe(1);
  });

  it('ends with a readable fatal error when the API stays overloaded', async () => {
    fake.setDefault(scenarios.overloaded());
    const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
    const error = expectWellFormedRun(result) as ErrorEvent;
    expect(error).toMatchObject({ type: 'error', fatal: true, code: 'llm_overloaded' });
    expect(error.message).toMatch(/overloaded/i);
    expect(typeSequence(result.events)).toEqual(['start', 'processing:started', 'processing:error', 'error']);
  });

  it('does not retry an invalid request', async () => {
    fake.setDefault(scenarios.invalidRequest('max_tokens: too large'));
    const error = expectWellFormedRun(await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' })) as ErrorEvent;
    expect(error).toMatchObject({ fatal: true, code: 'llm_invalid_request' });
    expect(fake.requests).toHaveLength(1);
  });

  it('starts the node over after an error event mid-stream; clients are told to drop the tokens', async () => {
    fake.enqueue(scenarios.streamError({ afterDeltas: 2 }), scenarios.text('Réponse complète.'));
    const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
    const complete = expectWellFormedRun(result) as CompleteEvent;
    expect(typeSequence(result.events)).toEqual([
      'start',
      'processing:started',
      'token',
      'error',
      'processing:retrying',
      'token',
      'processing:completed',
      'complete',
    ]);
    expect(result.events.find((e) => e.type === 'error')).toMatchObject({ fatal: false, node: 'plume' });
    expect(complete.result.response).toBe('Réponse complète.');
  });

  it('aborts a stalled stream as a timeout, then starts over', async () => {
    fake.enqueue(scenarios.stall({ afterDeltas: 1 }), scenarios.text('Après le silence.'));
    const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
    const complete = expectWellFormedRun(result) as CompleteEvent;
    expect(result.events.find((e) => e.type === 'error')).toMatchObject({ fatal: false, code: 'timeout' });
    expect(complete.result.response).toBe('Après le silence.');
  });
});

describe('cancel aborts the provider call', () => {
  const fake = new FakeAnthropicServer();
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('anthropic-cancel', {
      config: { ANTHROPIC_API_KEY: 'sk-test-key', ANTHROPIC_BASE_URL: await fake.start(), KODA_LLM_IDLE_TIMEOUT_MS: 20_000 },
    });
  });
  afterAll(async () => {
    await stack.close();
    await fake.stop();
  });

  it('ends a stalled LLM stream at once on cancel, long before the idle timeout', async () => {
    fake.setDefault(scenarios.stall({ afterDeltas: 2 }));
    let runId = '';
    let cancelSent = false;
    const startedAt = Date.now();
    const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' }, (frame) => {
      if (frame.event?.type === 'start') runId = frame.event.run_id;
      if (frame.event?.type === 'token' && !cancelSent) {
        cancelSent = true;
        void fetch(`${stack.baseUrl}/api/v1/runs/${runId}/cancel`, { method: 'POST' }).catch(() => undefined);
      }
      return false;
    });
    expect(expectWellFormedRun(result)).toMatchObject({ type: 'error', code: 'cancelled', fatal: true });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    // The agent itself stopped (the gateway's fallback after its grace period publishes no `processing`).
    expect(result.events).toContainEqual(expect.objectContaining({ type: 'processing', status: 'error', detail: 'cancelled' }));
  });
});
