import Anthropic, { BadRequestError } from '@anthropic-ai/sdk';
import { FakeAnthropicServer, scenarios } from '../../testing';

/**
 * The fake server speaks the Messages API well enough for the SDK's own stream accumulator
 * (`messages.stream()` → `finalMessage()`), so other teams' end-to-end tests can rely on it.
 */

const fake = new FakeAnthropicServer();
let client: Anthropic;

beforeAll(async () => {
  client = new Anthropic({ apiKey: 'sk-test', baseURL: await fake.start(), maxRetries: 0 });
});
afterEach(() => fake.reset());
afterAll(() => fake.stop());

const params = { model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Salut' }] };

describe('FakeAnthropicServer', () => {
  it("streams an event sequence the SDK's MessageStream assembles into the final message", async () => {
    fake.enqueue(scenarios.text('Bonjour le monde', { inputTokens: 12, outputTokens: 4 }));
    const stream = client.messages.stream(params);
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));

    const message = await stream.finalMessage();

    expect(texts).toEqual(['Bonjour ', 'le ', 'monde']);
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Bonjour le monde' })]);
    expect(message).toMatchObject({ stop_reason: 'end_turn', usage: { input_tokens: 12, output_tokens: 4 } });
  });

  it('streams a scripted tool-use turn (text, then several calls) the SDK assembles', async () => {
    fake.enqueue(
      scenarios.toolCalls(
        [
          { name: 'search_notes', input: { query: 'sleep' } },
          { name: 'search_notes', input: { query: 'sommeil' } },
        ],
        { text: 'Je cherche.' },
      ),
    );
    const message = await client.messages.stream(params).finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'Je cherche.' }),
      expect.objectContaining({ type: 'tool_use', name: 'search_notes', input: { query: 'sleep' } }),
      expect.objectContaining({ type: 'tool_use', name: 'search_notes', input: { query: 'sommeil' } }),
    ]);
  });

  it('rejects, like the API, a tool_use turn not followed by its tool_result', async () => {
    const messages = [
      { role: 'user' as const, content: 'Salut' },
      { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'toolu_1', name: 'search_notes', input: {} }] },
      { role: 'user' as const, content: 'Et alors ?' },
    ];
    await expect(client.messages.create({ ...params, messages })).rejects.toBeInstanceOf(BadRequestError);
    expect(fake.requests[0].outcome).toMatch(/tool_use ids were found without tool_result/);
  });

  it('streams a tool call the SDK parses', async () => {
    fake.enqueue(scenarios.toolUse('classify_intent', { intent: 'recherche', confidence: 0.8 }));

    const message = await client.messages.stream(params).finalMessage();

    expect(message.content[0]).toMatchObject({ type: 'tool_use', name: 'classify_intent', input: { intent: 'recherche', confidence: 0.8 } });
  });

  it('answers without streaming when the request does not ask for it', async () => {
    const message = await client.messages.create(params);

    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Echo: Salut' })]);
  });

  it('records what it received and answers from its queue in order, then from the default responder', async () => {
    fake.enqueue(scenarios.text('premier'));
    await client.messages.create({ ...params, system: 'Sois bref.' });
    await client.messages.create(params);

    expect(fake.requests.map((r) => r.outcome)).toEqual(['text', 'text']);
    expect(fake.requests[0]).toMatchObject({ model: 'claude-sonnet-5-5', system: 'Sois bref.', max_tokens: 100, stream: false });
    expect(fake.pending).toBe(0);
  });

  it('rejects sampling parameters like API version 2026-10-21, without consuming a scenario', async () => {
    fake.enqueue(scenarios.text('gardé'));
    const body = { ...params, temperature: 1 } as typeof params;

    await expect(client.messages.create(body)).rejects.toThrow(BadRequestError);
    expect(fake.requests[0].outcome).toBe('rejected: temperature: Extra inputs are not permitted');
    expect(fake.pending).toBe(1);
  });

  it('serves HTTP errors with the API error body and headers', async () => {
    fake.enqueue(scenarios.rateLimited(7));

    const error = await client.messages.create(params).catch((err: unknown) => err);

    expect(error).toMatchObject({ status: 429, type: 'rate_limit_error' });
    expect((error as { headers: Headers }).headers.get('retry-after')).toBe('7');
  });
});
