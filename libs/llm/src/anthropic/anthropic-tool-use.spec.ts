import { FakeAnthropicServer, lastToolResults, scenarios } from '../../testing';
import { LlmError } from '../provider';
import { AnthropicProvider } from './anthropic-provider';
import type { ToolLoopRequest } from './tool-use';

/** The tool loop, through the real @anthropic-ai/sdk against the local Messages API server. */

const fake = new FakeAnthropicServer();
let baseURL: string;

beforeAll(async () => {
  baseURL = await fake.start();
});
afterEach(() => fake.reset());
afterAll(() => fake.stop());

const provider = () => new AnthropicProvider({ apiKey: 'sk-test', baseURL, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 } });

const SEARCH_TOOL = {
  name: 'search_notes',
  description: 'Search the notes',
  input_schema: { type: 'object' as const, properties: { query: { type: 'string' } }, required: ['query'] },
};

function request(overrides: Partial<ToolLoopRequest> = {}): ToolLoopRequest & { deltas: string[]; calls: unknown[] } {
  const deltas: string[] = [];
  const calls: unknown[] = [];
  return {
    agent: 'mimir',
    system: 'Tu es Mimir.',
    messages: [{ role: 'user', content: 'What did I note about sleep?' }],
    task: { kind: 'mimir', message: 'What did I note about sleep?', history: [], hits: [] },
    signal: new AbortController().signal,
    onText: (d) => deltas.push(d),
    tools: [SEARCH_TOOL],
    runTool: async (name, input) => {
      calls.push({ name, input });
      return JSON.stringify({ hits: [{ id: 'n1', title: 'Sommeil' }] });
    },
    ...overrides,
    deltas,
    calls,
  };
}

describe('AnthropicProvider.completeWithTools', () => {
  it('runs the tools the model calls, sends their results back, and streams the grounded answer', async () => {
    fake.enqueue(
      scenarios.toolCalls(
        [
          { name: 'search_notes', input: { query: 'sleep' } },
          { name: 'search_notes', input: { query: 'sommeil' } },
        ],
        {
          text: 'Je cherche. ',
          outputTokens: 30,
        },
      ),
      scenarios.text('Vous dormez 7 h 30 [n1].', { outputTokens: 10, inputTokens: 500 }),
    );
    const req = request();
    const result = await provider().completeWithTools(req);

    expect(req.calls).toEqual([
      { name: 'search_notes', input: { query: 'sleep' } },
      { name: 'search_notes', input: { query: 'sommeil' } },
    ]);
    expect(result).toMatchObject({ text: 'Je cherche. Vous dormez 7 h 30 [n1].', rounds: 2, toolCalls: 2, provider: 'anthropic' });
    expect(req.deltas.join('')).toBe(result.text);
    expect(result.usage.output_tokens).toBe(40);
    expect(result.cost_eur).toBeGreaterThan(0);
    const [first, second] = fake.requests;
    expect(first.tools).toEqual([SEARCH_TOOL]);
    expect(first.tool_choice).toEqual({ type: 'auto' });
    expect(second.messages[1]).toMatchObject({ role: 'assistant' });
    expect(lastToolResults(second).map((r) => r.content)).toEqual([expect.stringContaining('Sommeil'), expect.stringContaining('Sommeil')]);
    expect(second.outcome).toBe('text');
  });

  it('makes the model answer with tools off once the rounds are spent', async () => {
    fake.setDefault(scenarios.toolUse('search_notes', { query: 'again' }));
    fake.enqueue(scenarios.toolUse('search_notes', { query: 'a' }), scenarios.toolUse('search_notes', { query: 'b' }));
    fake.enqueue(scenarios.text('Rien de plus.'));
    const req = request({ maxToolRounds: 2 });
    const result = await provider().completeWithTools(req);
    expect(req.calls).toHaveLength(2);
    expect(fake.requests[2].tool_choice).toEqual({ type: 'none' });
    expect(result).toMatchObject({ text: 'Rien de plus.', rounds: 3 });
  });

  it('stops calling tools once the output token budget is spent', async () => {
    fake.enqueue(scenarios.toolCalls([{ name: 'search_notes', input: { query: 'x' } }], { outputTokens: 900 }), scenarios.text('Fin.'));
    const result = await provider().completeWithTools(request({ maxTotalOutputTokens: 500 }));
    expect(fake.requests[1].tool_choice).toEqual({ type: 'none' });
    expect(result.rounds).toBe(2);
  });

  it('fails with an LlmError the caller can fall back on when the API stays down', async () => {
    fake.enqueue(scenarios.overloaded(), scenarios.overloaded());
    const err = await provider()
      .completeWithTools(request())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).outputStarted).toBe(false);
  });
});
