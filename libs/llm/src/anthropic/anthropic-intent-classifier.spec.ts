import { FakeAnthropicServer, scenarios } from '../../testing';
import { LlmError } from '../provider';
import { type AnthropicClassifierOptions, CLASSIFY_TOOL_NAME, classifyWithAnthropic } from './anthropic-intent-classifier';
import { DEFAULT_MODELS } from './price-table';

const fake = new FakeAnthropicServer();
let options: AnthropicClassifierOptions;

beforeAll(async () => {
  options = { apiKey: 'sk-test', baseURL: await fake.start() };
});
afterEach(() => fake.reset());
afterAll(() => fake.stop());

const classify = (message: string, signal = new AbortController().signal, extra: Partial<AnthropicClassifierOptions> = {}) =>
  classifyWithAnthropic({ ...options, ...extra }, message, signal);

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the classification to fail');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

describe('classifyWithAnthropic', () => {
  it('reads the classification from the forced classify_intent tool call', async () => {
    fake.enqueue({ ...scenarios.toolUse(CLASSIFY_TOOL_NAME, { intent: 'recherche', confidence: 0.91 }), inputTokens: 310, outputTokens: 40 });

    const result = await classify("Qu'ai-je noté sur la photosynthèse ?");

    expect(result).toEqual({ intent: 'recherche', confidence: 0.91, model: DEFAULT_MODELS.router, usage: { input_tokens: 310, output_tokens: 40 } });
  });

  it('forces the tool, with thinking disabled, on the router model, without streaming', async () => {
    fake.enqueue(scenarios.toolUse(CLASSIFY_TOOL_NAME, { intent: 'discussion', confidence: 0.7 }));

    await classify('Débattez du télétravail');

    const [sent] = fake.requests;
    expect(sent).toMatchObject({
      model: 'claude-haiku-5-5',
      stream: false,
      tool_choice: { type: 'tool', name: CLASSIFY_TOOL_NAME },
      thinking: { type: 'disabled' },
      messages: [{ role: 'user', content: 'Débattez du télétravail' }],
    });
    expect(sent.tools).toEqual([expect.objectContaining({ name: CLASSIFY_TOOL_NAME })]);
    expect(sent.body).not.toHaveProperty('temperature');
  });

  it('rejects a tool input outside the schema', async () => {
    fake.enqueue(scenarios.toolUse(CLASSIFY_TOOL_NAME, { intent: 'recherche', confidence: 1.4 }));

    const error = await failure(classify('Cherche mes notes'));

    expect(error).toMatchObject({ code: 'llm_error', retryable: false });
    expect(error.message).toContain('confidence');
  });

  it('rejects an unknown intent', async () => {
    fake.enqueue(scenarios.toolUse(CLASSIFY_TOOL_NAME, { intent: 'météo', confidence: 0.9 }));

    expect((await failure(classify('Quel temps fait-il ?'))).message).toContain('intent');
  });

  it('rejects an answer without the tool call', async () => {
    fake.enqueue(scenarios.text('Je pense que c’est une recherche.'));

    expect((await failure(classify('Cherche mes notes'))).message).toContain('without calling classify_intent');
  });

  it('fails at once on a 529, for the caller to fall back to its local classifier', async () => {
    fake.setDefault(scenarios.overloaded());

    const error = await failure(classify('Résume'));

    expect(error).toMatchObject({ code: 'llm_overloaded', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('times out after timeoutMs', async () => {
    fake.enqueue(scenarios.stall({ afterDeltas: 0 }));
    const started = Date.now();

    const error = await failure(classify('Résume', undefined, { timeoutMs: 200 }));

    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops when the caller aborts', async () => {
    fake.enqueue(scenarios.stall({ afterDeltas: 0 }));
    const controller = new AbortController();
    const pending = classify('Résume', controller.signal);
    await fake.waitForRequests(1);
    controller.abort();

    expect((await failure(pending)).code).toBe('cancelled');
  });

  it("works against the fake server's default responder (used by end-to-end tests)", async () => {
    await expect(classify('Cherche dans mes notes le compte rendu')).resolves.toMatchObject({ intent: 'recherche' });
    await expect(classify('Débattez : avantages et inconvénients du vélo')).resolves.toMatchObject({ intent: 'discussion' });
    await expect(classify('Reformule ce paragraphe')).resolves.toMatchObject({ intent: 'restitution' });
  });
});
