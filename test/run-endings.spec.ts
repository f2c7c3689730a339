import type { ErrorEvent, RunEvent } from '@koda/contracts';
import { expectWellFormedRun, postJson, readSse, startStack, streamRun, type KodaStack } from '@koda/testing';

describe('every run ends: deadline and cancel', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    // Slow tokens so a run is still going when we cancel it.
    stack = await startStack('endings', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 40 } });
  });
  afterAll(() => stack.close());

  const cancel = (runId: string) => fetch(`${stack.baseUrl}/api/v1/runs/${runId}/cancel`, { method: 'POST' });

  it('ends a run past its deadline with a fatal timeout and [DONE]', async () => {
    const short = await startStack('deadline', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 200, KODA_RUN_TIMEOUT_MS: 600 } });
    try {
      const result = await streamRun(short.baseUrl, { message: 'Écris une longue histoire sur la mer et les marins', mode: 'plume' });
      const error = expectWellFormedRun(result) as ErrorEvent;
      expect(error).toMatchObject({ code: 'timeout', fatal: true });
      expect(error.message).toMatch(/limit/);
    } finally {
      await short.close();
    }
  });

  it('cancels mid-token-stream: fatal cancelled error, [DONE], partial answer kept in the session', async () => {
    let runId = '';
    const result = await streamRun(stack.baseUrl, { message: 'Écris un long paragraphe sur les jardins japonais', mode: 'plume' }, (frame) => {
      if (frame.event?.type === 'start') runId = frame.event.run_id;
      if (frame.event?.type === 'token' && runId) void cancel(runId);
      return false;
    });
    const error = expectWellFormedRun(result) as ErrorEvent;
    expect(error).toMatchObject({ code: 'cancelled', fatal: true });
    const start = result.events[0] as Extract<RunEvent, { type: 'start' }>;
    const session = await (await fetch(`${stack.baseUrl}/api/v1/sessions/${start.session_id}`)).json();
    expect(session.messages[1]).toMatchObject({ role: 'assistant', status: 'cancelled' });
    expect(session.messages[1].content.length).toBeGreaterThan(0);
  });

  it('cancels a discussion between or inside turns', async () => {
    let runId = '';
    const result = await streamRun(stack.baseUrl, { message: 'Débattez : faut-il apprendre Rust ?', mode: 'discussion' }, (frame) => {
      if (frame.event?.type === 'start') runId = frame.event.run_id;
      if (frame.event?.type === 'agent_message') void cancel(runId);
      return false;
    });
    expect(expectWellFormedRun(result)).toMatchObject({ type: 'error', code: 'cancelled' });
    expect(result.events.filter((e) => e.type === 'agent_message').length).toBeLessThan(4);
    // The agent itself stopped (the gateway's fallback after its grace period publishes no `processing`).
    expect(result.events).toContainEqual(expect.objectContaining({ type: 'processing', status: 'error', detail: 'cancelled' }));
  });

  it('answers 409 for a finished run and 404 for an unknown one', async () => {
    const done = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
    expect((await cancel(done.events[0].run_id)).status).toBe(409);
    expect((await cancel('no-such-run')).status).toBe(404);
  });

  it('a client disconnect is not a cancel: the run goes on and can be joined later', async () => {
    const res = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated/stream`, { message: 'Raconte une courte histoire', mode: 'plume' });
    const runId = res.headers.get('x-run-id')!;
    await res.body!.cancel();
    const joined = await readSse(`${stack.baseUrl}/api/v1/runs/${runId}/events`);
    expect(expectWellFormedRun(joined)).toMatchObject({ type: 'complete' });
  });
});
