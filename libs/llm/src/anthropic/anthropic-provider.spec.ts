import { FakeAnthropicServer, scenarios } from '../../testing';
import { LlmError, type LlmRequest } from '../provider';
import { AnthropicProvider, type AnthropicProviderOptions } from './anthropic-provider';
import { DEFAULT_MODELS, parsePriceTableEnv, USD_TO_EUR } from './price-table';

/** Tests run the real @anthropic-ai/sdk against a local server speaking the Messages API. */

const fake = new FakeAnthropicServer();
let baseURL: string;

beforeAll(async () => {
  baseURL = await fake.start();
});
afterEach(() => fake.reset());
afterAll(() => fake.stop());

/** Fast retries, so that giving up after several attempts takes milliseconds. */
function makeProvider(options: Partial<AnthropicProviderOptions> = {}): AnthropicProvider {
  return new AnthropicProvider({
    apiKey: 'sk-test',
    baseURL,
    idleTimeoutMs: 2000,
    ...options,
    retry: { baseDelayMs: 5, maxDelayMs: 20, ...options.retry },
  });
}

function makeRequest(overrides: Partial<LlmRequest> = {}): LlmRequest & { deltas: string[] } {
  const deltas: string[] = [];
  return {
    agent: 'plume',
    system: 'Tu es Plume.',
    messages: [{ role: 'user', content: 'Résume la conversation' }],
    task: { kind: 'plume', message: 'Résume la conversation', history: [] },
    signal: new AbortController().signal,
    onText: (delta) => deltas.push(delta),
    ...overrides,
    deltas,
  };
}

/** Runs `promise`, expecting an LlmError; returns it with how long the rejection took. */
async function rejection(promise: Promise<unknown>): Promise<{ error: LlmError; ms: number }> {
  const started = Date.now();
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(LlmError);
  return { error: error as LlmError, ms: Date.now() - started };
}

describe('AnthropicProvider streaming', () => {
  it('streams text deltas, counts usage from message_start/message_delta and prices it in EUR', async () => {
    fake.enqueue(scenarios.text('Bonjour, voici le résumé.', { chunks: ['Bonjour, ', 'voici ', 'le résumé.'], inputTokens: 1200, outputTokens: 300 }));
    const request = makeRequest();

    const result = await makeProvider().complete(request);

    expect(request.deltas).toEqual(['Bonjour, ', 'voici ', 'le résumé.']);
    expect(result).toMatchObject({ text: 'Bonjour, voici le résumé.', model: DEFAULT_MODELS.plume, provider: 'anthropic' });
    expect(result.usage).toEqual({ input_tokens: 1200, output_tokens: 300 });
    // claude-sonnet-5-5: $2 / $10 per million tokens.
    expect(result.cost_eur).toBeCloseTo(((1200 * 2 + 300 * 10) / 1e6) * USD_TO_EUR, 6);
  });

  it('sends the request the API expects: model, system, messages, default max_tokens, no sampling parameters', async () => {
    await makeProvider().complete(makeRequest());

    const [sent] = fake.requests;
    expect(sent).toMatchObject({
      model: DEFAULT_MODELS.plume,
      system: 'Tu es Plume.',
      messages: [{ role: 'user', content: 'Résume la conversation' }],
      max_tokens: 2000,
      stream: true,
      outcome: 'text',
    });
    expect(sent.body).not.toHaveProperty('temperature');
    expect(sent.headers).toMatchObject({ hasCredentials: true, anthropicVersion: '2026-10-21' });
  });

  it("uses the agent's model, a request's max_tokens and the configured price table", async () => {
    fake.enqueue(scenarios.text('Réponse', { inputTokens: 1000, outputTokens: 100 }));
    const priceTable = parsePriceTableEnv('{"usd_to_eur":1,"models":{"claude-haiku-5-5":{"input":10,"output":100}}}');
    const provider = makeProvider({ models: { mimir: 'claude-haiku-5-5' }, priceTable });

    const result = await provider.complete(makeRequest({ agent: 'mimir', maxTokens: 500 }));

    expect(fake.requests[0]).toMatchObject({ model: 'claude-haiku-5-5', max_tokens: 500 });
    expect(result.cost_eur).toBeCloseTo((1000 * 10 + 100 * 100) / 1e6, 9);
  });

  it('hands each delta over as it arrives, not at the end', async () => {
    fake.enqueue(scenarios.text('un deux trois quatre', { delayMs: 60 }));
    const arrivals: number[] = [];
    const started = Date.now();

    await makeProvider().complete(makeRequest({ onText: () => arrivals.push(Date.now() - started) }));

    expect(arrivals).toHaveLength(4);
    expect(arrivals[3] - arrivals[0]).toBeGreaterThanOrEqual(150);
  });

  it('skips a leading thinking block: only answer text reaches onText', async () => {
    fake.enqueue(scenarios.text('Seulement ceci', { thinkingFirst: true }));
    const request = makeRequest();

    const result = await makeProvider().complete(request);

    expect(request.deltas.join('')).toBe('Seulement ceci');
    expect(result.text).toBe('Seulement ceci');
  });

  it('refuses a conversation ending on an assistant turn without calling the API', async () => {
    const messages = [
      { role: 'user' as const, content: 'Bonjour' },
      { role: 'assistant' as const, content: 'Je' },
    ];
    const { error } = await rejection(makeProvider().complete(makeRequest({ messages })));

    expect(error.code).toBe('llm_invalid_request');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('AnthropicProvider retries', () => {
  it('retries a 529 with backoff and succeeds; each attempt is one HTTP request (no SDK retries)', async () => {
    fake.enqueue(scenarios.overloaded(), scenarios.overloaded(), scenarios.text('Enfin'));
    const request = makeRequest();

    const result = await makeProvider().complete(request);

    expect(result.text).toBe('Enfin');
    expect(request.deltas).toEqual(['Enfin']);
    expect(fake.requests.map((r) => r.outcome)).toEqual(['http_error', 'http_error', 'text']);
    expect(fake.requests.map((r) => r.headers.sdkRetryCount)).toEqual(['0', '0', '0']);
  });

  it('gives up on a lasting 529 after maxAttempts with a non-retryable llm_overloaded', async () => {
    fake.setDefault(scenarios.overloaded());

    const { error, ms } = await rejection(makeProvider({ retry: { maxAttempts: 3 } }).complete(makeRequest()));

    expect(error).toMatchObject({ code: 'llm_overloaded', retryable: false, outputStarted: false });
    expect(error.message).toBe('The Anthropic API is overloaded (529 overloaded_error: Overloaded) — gave up after 3 attempts');
    expect(fake.requests).toHaveLength(3);
    expect(ms).toBeLessThan(1000);
  });

  it('waits as long as retry-after asks before retrying a 429', async () => {
    fake.enqueue(scenarios.rateLimited(1), scenarios.text('ok'));

    const result = await makeProvider().complete(makeRequest());

    expect(result.text).toBe('ok');
    const [first, second] = fake.requests;
    // Backoff alone would retry within 20 ms; retry-after says 1 s.
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when retry-after asks for more than maxRetryAfterMs', async () => {
    fake.enqueue(scenarios.rateLimited(120));

    const { error } = await rejection(makeProvider({ retry: { maxRetryAfterMs: 5000 } }).complete(makeRequest()));

    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: false });
    expect(error.message).toContain('it asks to wait 120 s');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a lasting 429 as llm_rate_limited after the bounded attempts', async () => {
    fake.setDefault(scenarios.rateLimited());

    const { error } = await rejection(makeProvider({ retry: { maxAttempts: 2 } }).complete(makeRequest()));

    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: false });
    expect(error.message).toContain('gave up after 2 attempts');
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a dropped connection', async () => {
    fake.enqueue(scenarios.disconnect(), scenarios.text('Reconnecté'));

    const result = await makeProvider().complete(makeRequest());

    expect(result.text).toBe('Reconnecté');
    expect(fake.requests).toHaveLength(2);
  });

  it.each([
    ['400 invalid request', scenarios.invalidRequest('max_tokens: must be at most 128000'), 'llm_invalid_request', 'max_tokens: must be at most 128000'],
    ['401 authentication', scenarios.authError(), 'llm_auth', 'ANTHROPIC_API_KEY'],
    ['429 spend limit', scenarios.spendLimit(), 'llm_invalid_request', 'spend limit'],
    [
      '402 billing',
      { ...scenarios.invalidRequest('credit balance too low'), status: 402, errorType: 'billing_error' },
      'llm_invalid_request',
      'cannot be billed',
    ],
  ])('does not retry a %s', async (_name, scenario, code, words) => {
    fake.setDefault(scenario);

    const { error } = await rejection(makeProvider().complete(makeRequest()));

    expect(error).toMatchObject({ code, retryable: false });
    expect(error.message).toContain(words);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('AnthropicProvider failures after the stream started', () => {
  it('turns an SSE error event after some deltas into a retryable LlmError with outputStarted', async () => {
    fake.enqueue(scenarios.streamError({ text: 'un deux trois quatre cinq', afterDeltas: 3 }));
    const request = makeRequest();

    const { error } = await rejection(makeProvider().complete(request));

    expect(error).toMatchObject({ code: 'llm_overloaded', retryable: true, outputStarted: true });
    expect(error.message).toContain('overloaded while answering');
    expect(request.deltas).toEqual(['un ', 'deux ', 'trois ']);
    expect(fake.requests).toHaveLength(1); // the caller decides whether to start over
  });

  it('says outputStarted false when the error event came before any delta', async () => {
    fake.enqueue(scenarios.streamError({ afterDeltas: 0, errorType: 'api_error', message: 'Internal server error' }));

    const { error } = await rejection(makeProvider().complete(makeRequest()));

    expect(error).toMatchObject({ code: 'llm_error', retryable: true, outputStarted: false });
  });

  it('reports a stream that ends without message_stop as a retryable llm_error', async () => {
    fake.enqueue(scenarios.cut({ text: 'un deux trois', afterDeltas: 2 }));

    const { error } = await rejection(makeProvider().complete(makeRequest()));

    expect(error).toMatchObject({ code: 'llm_error', retryable: true, outputStarted: true });
    expect(error.message).toContain('ended before the answer was complete');
  });

  it('turns a refusal with no text into a non-retryable error rather than an empty answer', async () => {
    fake.enqueue(scenarios.text('', { stopReason: 'refusal' }));

    const { error } = await rejection(makeProvider().complete(makeRequest()));

    expect(error).toMatchObject({ code: 'llm_error', retryable: false });
    expect(error.message).toContain('declined');
  });

  it('times out a stalled stream after idleTimeoutMs', async () => {
    fake.enqueue(scenarios.stall({ text: 'un deux trois', afterDeltas: 2 }));
    const request = makeRequest();

    const { error, ms } = await rejection(makeProvider({ idleTimeoutMs: 300 }).complete(request));

    expect(error).toMatchObject({ code: 'timeout', retryable: true, outputStarted: true });
    expect(request.deltas).toEqual(['un ', 'deux ']);
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(1500);
  });

  it('does not time out a slow stream that keeps sending (each event resets the idle timer)', async () => {
    fake.enqueue(scenarios.text('un deux trois quatre cinq six', { delayMs: 120 }));

    const result = await makeProvider({ idleTimeoutMs: 300 }).complete(makeRequest());

    expect(result.text).toBe('un deux trois quatre cinq six');
  });
});

describe('AnthropicProvider abort', () => {
  it('rejects promptly with cancelled when the signal aborts mid-stream', async () => {
    fake.enqueue(scenarios.stall({ afterDeltas: 1 }));
    const controller = new AbortController();
    let abortedAt = 0;
    const request = makeRequest({
      signal: controller.signal,
      onText: () => {
        abortedAt = Date.now();
        setTimeout(() => controller.abort(), 0);
      },
    });

    const { error } = await rejection(makeProvider({ idleTimeoutMs: 10_000 }).complete(request));

    expect(error).toMatchObject({ code: 'cancelled', retryable: false, outputStarted: true });
    expect(Date.now() - abortedAt).toBeLessThan(2000);
  });

  it("rethrows the signal's reason when it is an LlmError (the caller's deadline)", async () => {
    fake.enqueue(scenarios.stall({ afterDeltas: 1 }));
    const controller = new AbortController();
    const deadline = new LlmError('timeout', 'The run deadline passed', false, true);
    const request = makeRequest({ signal: controller.signal, onText: () => controller.abort(deadline) });

    const { error } = await rejection(makeProvider().complete(request));

    expect(error).toBe(deadline);
  });

  it('stops waiting between attempts when the signal aborts during backoff', async () => {
    fake.setDefault(scenarios.overloaded());
    const controller = new AbortController();
    const provider = makeProvider({ retry: { baseDelayMs: 10_000, maxDelayMs: 10_000 } });
    const pending = provider.complete(makeRequest({ signal: controller.signal }));
    await fake.waitForRequests(1);
    controller.abort();

    const { error, ms } = await rejection(pending);

    expect(error.code).toBe('cancelled');
    expect(ms).toBeLessThan(500);
    expect(fake.requests).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    const { error } = await rejection(makeProvider().complete(makeRequest({ signal: controller.signal })));

    expect(error.code).toBe('cancelled');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('AnthropicProvider configuration', () => {
  it('refuses at construction a model with no price, naming KODA_PRICE_TABLE', () => {
    expect(() => makeProvider({ models: { plume: 'claude-fable-5-2' } })).toThrow(/claude-fable-5-2.*KODA_PRICE_TABLE/);
  });

  it('lets an exception from onText through unchanged', async () => {
    const bug = new Error('caller bug');
    const request = makeRequest({
      onText: () => {
        throw bug;
      },
    });

    await expect(makeProvider().complete(request)).rejects.toBe(bug);
  });
});
