import type { SessionMessage } from '@koda/contracts';
import { LlmError, type LlmRequest, type LlmTask } from '../provider';
import { OfflineProvider } from './offline-provider';
import { estimateTokens } from './token-count';

const msg = (role: SessionMessage['role'], content: string): SessionMessage => ({
  role,
  content,
  run_id: 'r1',
  timestamp: '2024-01-01T00:00:00Z',
  agent: role === 'assistant' ? 'plume' : undefined,
});

const history = [
  msg('user', 'Est-ce que Redis Streams convient pour un journal d’événements ?'),
  msg('assistant', 'Oui : chaque entrée a un identifiant croissant, XRANGE relit le journal et XREAD BLOCK suit les nouvelles entrées.'),
];

function request(task: LlmTask, overrides: Partial<LlmRequest> = {}): LlmRequest & { deltas: string[] } {
  const deltas: string[] = [];
  return {
    agent: 'plume',
    system: 'Tu es Plume.',
    messages: [...history.map(({ role, content }) => ({ role, content })), { role: 'user', content: task.message }],
    task,
    signal: new AbortController().signal,
    onText: (d) => deltas.push(d),
    deltas,
    ...overrides,
  };
}

const plumeTask: LlmTask = { kind: 'plume', message: 'Résume notre conversation', history };

describe('OfflineProvider', () => {
  const provider = new OfflineProvider({ tokenDelayMs: 0 });

  it('is deterministic: same request, same text, deltas and usage', async () => {
    const a = request(plumeTask);
    const b = request(plumeTask);
    const [ra, rb] = [await provider.complete(a), await provider.complete(b)];
    expect(ra).toEqual(rb);
    expect(a.deltas).toEqual(b.deltas);
  });

  it('streams word tokens, in order, that concatenate to the text', async () => {
    const req = request(plumeTask);
    const result = await provider.complete(req);
    expect(req.deltas.length).toBeGreaterThan(10);
    expect(req.deltas.join('')).toBe(result.text);
    for (const delta of req.deltas) expect(delta).toMatch(/^\S+\s*$/);
  });

  it('reports model, provider, zero cost and approximate usage', async () => {
    const req = request(plumeTask);
    const result = await provider.complete(req);
    expect(result).toMatchObject({ model: 'koda-offline-1', provider: 'offline', cost_eur: 0 });
    const input = estimateTokens(req.system) + req.messages.reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
    expect(result.usage).toEqual({ input_tokens: input, output_tokens: estimateTokens(result.text) });
    expect(provider.name).toBe('offline');
  });

  it('paces tokens by tokenDelayMs', async () => {
    const req = request({ kind: 'plume', message: 'Bonjour', history: [] });
    const started = Date.now();
    await new OfflineProvider({ tokenDelayMs: 5 }).complete(req);
    expect(Date.now() - started).toBeGreaterThanOrEqual(req.deltas.length * 5 * 0.8);
  });

  it('yields to the event loop while streaming with no delay', async () => {
    const req = request(plumeTask);
    let seenWhileStreaming = -1;
    setImmediate(() => (seenWhileStreaming = req.deltas.length));
    const result = await provider.complete(req);
    expect(seenWhileStreaming).toBeGreaterThan(0);
    expect(seenWhileStreaming).toBeLessThan(req.deltas.length);
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('stops mid-stream on abort with a cancelled LlmError', async () => {
    const controller = new AbortController();
    const deltas: string[] = [];
    const req = request(plumeTask, {
      signal: controller.signal,
      onText: (d) => {
        deltas.push(d);
        if (deltas.length === 3) controller.abort();
      },
    });
    const error = await new OfflineProvider({ tokenDelayMs: 1 }).complete(req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ code: 'cancelled', retryable: false, outputStarted: true });
    expect(deltas).toHaveLength(3);
  });

  it('rethrows an LlmError given as the abort reason', async () => {
    const controller = new AbortController();
    const reason = new LlmError('timeout', 'run deadline', false);
    const req = request(plumeTask, { signal: controller.signal });
    const pending = new OfflineProvider({ tokenDelayMs: 10_000 }).complete(req);
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('fails before any output when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const req = request(plumeTask, { signal: controller.signal });
    await expect(provider.complete(req)).rejects.toMatchObject({ code: 'cancelled', outputStarted: false });
    expect(req.deltas).toEqual([]);
  });

  it('honours maxTokens', async () => {
    const result = await provider.complete(request(plumeTask, { maxTokens: 10 }));
    expect(result.usage.output_tokens).toBeLessThanOrEqual(10);
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('answers a classify task with JSON', async () => {
    const result = await provider.complete(request({ kind: 'classify', message: 'cherche dans mes notes' }));
    expect(JSON.parse(result.text)).toEqual({ intent: 'recherche', confidence: expect.any(Number) });
  });
});
