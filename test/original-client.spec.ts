import { startStack, type KodaStack } from '@koda/testing';

/**
 * A client written for the system KODA replaces, against the event shapes of its post-mortem
 * (../shared/seed/*.readable.md): it splits `data:` lines itself, knows nothing of KODA's
 * contracts, and reads `processing` as `{node, status, timestamp}`, `error` as
 * `{error, timestamp}` and `complete` as `{result: {response, agent_used, session_id, …}}`.
 * If KODA's streams stop carrying those fields, this client shows nothing, as the original's
 * frontend did.
 */
interface OriginalCallbacks {
  onMessage(event: { type: string; node?: string; status?: string; timestamp: string }): void;
  onComplete(result: { response: string; agent_used: string; session_id: string; processing_time_ms: number; tokens_used: number; cost_eur: number }): void;
  onError(error: string, timestamp: string): void;
}

async function originalStreamChat(url: string, body: unknown, callbacks: OriginalCallbacks, onStart?: (runId: string) => void): Promise<boolean> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await text.read();
    if (done) return false;
    buffer += value;
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('data: ')) continue;
      const data = line.slice('data: '.length);
      if (data === '[DONE]') return true;
      const event = JSON.parse(data);
      if (event.type === 'start') onStart?.(event.run_id);
      else if (event.type === 'complete') callbacks.onComplete(event.result);
      else if (event.type === 'error') callbacks.onError(event.error, event.timestamp);
      else callbacks.onMessage(event);
    }
  }
}

describe('a client of the original KODA reads KODA streams unchanged', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('original-client', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 30 } });
  });
  afterAll(() => stack.close());

  const recorder = () => {
    const seen = {
      processing: [] as Array<{ node?: string; status?: string; timestamp: string }>,
      results: [] as unknown[],
      errors: [] as Array<{ error: string; timestamp: string }>,
    };
    const callbacks: OriginalCallbacks = {
      onMessage: (event) => {
        if (event.type === 'processing') seen.processing.push(event);
      },
      onComplete: (result) => seen.results.push(result),
      onError: (error, timestamp) => seen.errors.push({ error, timestamp }),
    };
    return { seen, callbacks };
  };
  const isIsoTime = (value: string) => typeof value === 'string' && !Number.isNaN(Date.parse(value));

  it('shows processing steps with their timestamp, then the answer', async () => {
    const { seen, callbacks } = recorder();
    const done = await originalStreamChat(
      `${stack.baseUrl}/api/v1/chat/orchestrated/stream`,
      { message: 'Reformule : la réunion est déplacée', mode: 'plume' },
      callbacks,
    );
    expect(done).toBe(true);
    expect(seen.processing.map((p) => `${p.node} ${p.status}`)).toEqual(['plume started', 'plume completed']);
    expect(seen.processing.every((p) => isIsoTime(p.timestamp))).toBe(true);
    expect(seen.results).toEqual([
      expect.objectContaining({
        agent_used: 'plume',
        response: expect.any(String),
        session_id: expect.any(String),
        tokens_used: expect.any(Number),
        cost_eur: 0,
      }),
    ]);
    expect(seen.errors).toEqual([]);
  });

  it('shows a readable error, with its timestamp, when a run is cancelled', async () => {
    const { seen, callbacks } = recorder();
    const url = `${stack.baseUrl}/api/v1/chat/orchestrated/stream`;
    const cancel = (runId: string) => void fetch(`${stack.baseUrl}/api/v1/runs/${runId}/cancel`, { method: 'POST' });
    const done = await originalStreamChat(url, { message: 'Écris un long paragraphe sur les jardins japonais', mode: 'plume' }, callbacks, cancel);
    expect(done).toBe(true);
    expect(seen.results).toEqual([]);
    expect(seen.errors).toHaveLength(1);
    expect(seen.errors[0].error).toEqual(expect.stringMatching(/\w{3,}/));
    expect(isIsoTime(seen.errors[0].timestamp)).toBe(true);
  });

  it('shows a readable error for a run past its deadline', async () => {
    const short = await startStack('original-deadline', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 200, KODA_RUN_TIMEOUT_MS: 500 } });
    try {
      const { seen, callbacks } = recorder();
      await originalStreamChat(
        `${short.baseUrl}/api/v1/chat/orchestrated/stream`,
        { message: 'Écris une longue histoire sur la mer', mode: 'plume' },
        callbacks,
      );
      expect(seen.errors).toEqual([{ error: expect.stringMatching(/limit/), timestamp: expect.any(String) }]);
    } finally {
      await short.close();
    }
  });
});
