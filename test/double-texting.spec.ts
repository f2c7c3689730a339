import type { INestApplication } from '@nestjs/common';
import { keys, type CompleteEvent, type ErrorEvent, type QueuedEvent, type RunEvent, type SessionMessage } from '@koda/contracts';
import { bootstrapGateway } from '@koda/gateway';
import { FakeAnthropicServer, lastUserText, scenarios, type RecordedRequest } from '@koda/llm/testing';
import { createLogger } from '@koda/platform';
import { expectWellFormedRun, readSse, startStack, streamRun, type KodaStack, type SseResult } from '@koda/testing';

/** Double-texting on one session through two gateways on one Redis, the LLM being the local Messages-API server. */
describe('a second message while the session has a run going', () => {
  const fake = new FakeAnthropicServer();
  let stack: KodaStack;
  let second: INestApplication;
  let gwA: string;
  let gwB: string;

  beforeAll(async () => {
    const baseURL = await fake.start();
    stack = await startStack('double-texting', {
      agents: ['plume', 'discussion'],
      config: { ANTHROPIC_API_KEY: 'sk-test-key', ANTHROPIC_BASE_URL: baseURL, KODA_LLM_RETRY_BASE_MS: 10 },
    });
    second = await bootstrapGateway({ ...stack.config, PORT: 0 }, createLogger('double-texting-2', 'silent'));
    gwA = stack.baseUrl;
    gwB = `http://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}`;
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await second.close();
    await stack.close();
    await fake.stop();
  });

  /** Slow answers for the first message, quick ones for the others, each naming the question. */
  const answers = (slowFor: string, slow = { words: 40, delayMs: 25 }) =>
    fake.setDefault((request) => {
      const question = lastUserText(request).split('\n').pop() ?? '';
      return question.includes(slowFor)
        ? scenarios.text(`Réponse lente à « ${slowFor} » : ${'mot '.repeat(slow.words)}fin.`, { delayMs: slow.delayMs })
        : scenarios.text(`Réponse rapide à « ${question} ».`, { delayMs: 2 });
    });

  /** Streams a run; resolves `tokens` once it has streamed that many tokens. */
  function follow(baseUrl: string, body: object, tokens = 3): { firstTokens: Promise<void>; result: Promise<SseResult> } {
    let seen = 0;
    let reached: () => void = () => undefined;
    const firstTokens = new Promise<void>((resolve) => (reached = resolve));
    const result = streamRun(baseUrl, body, (frame) => {
      if (frame.event?.type === 'token' && ++seen === tokens) reached();
      return false;
    });
    return { firstTokens, result };
  }

  const requestAbout = (text: string): RecordedRequest | undefined => fake.requests.find((r) => JSON.stringify(r.messages).includes(text));
  const session = async (id: string): Promise<SessionMessage[]> =>
    ((await (await fetch(`${gwA}/api/v1/sessions/${id}`)).json()) as { messages: SessionMessage[] }).messages;
  const terminalOf = (result: SseResult) => expectWellFormedRun(result);
  const firstOf = <T extends RunEvent['type']>(result: SseResult, type: T) =>
    result.events.find((e) => e.type === type) as Extract<RunEvent, { type: T }> | undefined;

  it('reject: of two POSTs racing on one session through two gateways, exactly one starts (50 races)', async () => {
    fake.setDefault(scenarios.text('Une réponse qui prend un peu de temps à venir.', { delayMs: 50 })); // ~0.5 s: longer than any gap between two racing POSTs
    const open = async (baseUrl: string, body: object) => {
      const controller = new AbortController();
      const res = await fetch(`${baseUrl}/api/v1/chat/orchestrated/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      const answer = res.status === 200 ? { runId: res.headers.get('x-run-id') } : ((await res.json()) as { code: string; active_run_id: string });
      controller.abort(); // a client that leaves does not stop its run
      return { status: res.status, answer };
    };
    let started = 0;
    let rejected = 0;
    for (let i = 0; i < 50; i++) {
      const body = { message: `Course numéro ${i}`, mode: 'plume', session_id: `race-${i}`, multitask_strategy: 'reject' };
      const results = await Promise.all([open(gwA, body), open(gwB, body)]);
      const winner = results.find((r) => r.status === 200);
      const loser = results.find((r) => r.status === 409);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(loser!.answer).toMatchObject({ code: 'session_busy', active_run_id: (winner!.answer as { runId: string }).runId });
      expect(await stack.redis.zcard(keys.sessionRuns(stack.config.KODA_PREFIX, 'local', `race-${i}`))).toBe(1);
      started += 1;
      rejected += 1;
    }
    expect({ started, rejected }).toEqual({ started: 50, rejected: 50 });
  });

  it('enqueue: the second run is accepted at once, says it is queued, starts after the first ended and sees its answer', async () => {
    answers('Premier message');
    const body = { mode: 'plume', session_id: 'enqueue-1' };
    const first = follow(gwA, { ...body, message: 'Premier message' });
    await first.firstTokens;
    const secondRun = streamRun(gwB, { ...body, message: 'Second message', multitask_strategy: 'enqueue' });
    const [a, b] = await Promise.all([first.result, secondRun]);
    const aEnd = terminalOf(a) as CompleteEvent;
    const bEnd = terminalOf(b) as CompleteEvent;
    expect(b.events.slice(0, 2).map((e) => e.type)).toEqual(['start', 'queued']);
    expect(firstOf(b, 'queued')).toMatchObject({ active_run_id: a.events[0].run_id, position: 1, reason: 'enqueue' } satisfies Partial<QueuedEvent>);
    // Strictly one after the other: the second's agent started once the first had ended.
    const bStarted = firstOf(b, 'processing')!;
    expect(Date.parse(bStarted.timestamp)).toBeGreaterThanOrEqual(Date.parse(aEnd.timestamp));
    expect(JSON.stringify(requestAbout('Second message')!.messages)).toContain(aEnd.result.response);
    expect((await session('enqueue-1')).map((m) => [m.role, m.run_id, m.status])).toEqual([
      ['user', aEnd.run_id, undefined],
      ['assistant', aEnd.run_id, 'complete'],
      ['user', bEnd.run_id, undefined],
      ['assistant', bEnd.run_id, 'complete'],
    ]);
  });

  it("interrupt: the active run's LLM call is aborted, its partial answer kept marked interrupted, and the new run sees it", async () => {
    answers('Raconte longuement', { words: 200, delayMs: 25 });
    const body = { mode: 'plume', session_id: 'interrupt-1' };
    const first = follow(gwA, { ...body, message: 'Raconte longuement' }, 5);
    await first.firstTokens;
    const b = await streamRun(gwB, { ...body, message: 'Non, plutôt autre chose', multitask_strategy: 'interrupt' });
    const a = await first.result;
    const aEnd = terminalOf(a) as ErrorEvent;
    expect(aEnd).toMatchObject({ type: 'error', code: 'interrupted', fatal: true });
    const bEnd = terminalOf(b) as CompleteEvent;
    expect(firstOf(b, 'queued')).toMatchObject({ active_run_id: aEnd.run_id, reason: 'interrupt' });
    // The first run's call to the Messages API was cut, not left to stream to its end.
    await waitFor(() => requestAbout('Raconte longuement')?.clientAborted === true);
    const messages = await session('interrupt-1');
    const partial = messages.find((m) => m.run_id === aEnd.run_id && m.role === 'assistant')!;
    expect(partial.status).toBe('interrupted');
    expect(partial.content.length).toBeGreaterThan(0);
    expect(partial.content).not.toContain('fin.');
    expect(messages.map((m) => m.run_id)).toEqual([aEnd.run_id, aEnd.run_id, bEnd.run_id, bEnd.run_id]);
    const seen = JSON.stringify(requestAbout('Non, plutôt autre chose')!.messages);
    expect(seen).toContain(partial.content.slice(0, 40));
    expect(seen).toContain('[réponse interrompue]');
  });

  it('rollback: like interrupt, but the interrupted exchange leaves no trace in the session', async () => {
    answers('Parle sans fin', { words: 200, delayMs: 25 });
    const body = { mode: 'plume', session_id: 'rollback-1' };
    const first = follow(gwA, { ...body, message: 'Parle sans fin' }, 5);
    await first.firstTokens;
    const b = await streamRun(gwB, { ...body, message: 'Oublie ça', multitask_strategy: 'rollback' });
    const aEnd = terminalOf(await first.result) as ErrorEvent;
    expect(aEnd).toMatchObject({ code: 'interrupted' });
    const bEnd = terminalOf(b) as CompleteEvent;
    await waitFor(() => requestAbout('Parle sans fin')?.clientAborted === true);
    const messages = await session('rollback-1');
    expect(messages.map((m) => m.run_id)).toEqual([bEnd.run_id, bEnd.run_id]);
    expect(JSON.stringify(requestAbout('Oublie ça')!.messages)).not.toContain('Parle sans fin');
  });

  it('interrupt in a Discussion: the speaker stops mid-turn, the debate so far is kept and the interjection sees it', async () => {
    fake.setDefault((request) => {
      const text = JSON.stringify(request.messages);
      return text.includes('Et pour les enfants ?')
        ? scenarios.text('Pour les enfants, c’est autre chose.', { delayMs: 2 })
        : scenarios.text(`Tour de parole : ${'argument '.repeat(150)}fin.`, { delayMs: 25 });
    });
    const body = { session_id: 'discussion-interrupt' };
    const first = follow(gwA, { ...body, mode: 'discussion', message: 'Débattez du télétravail' }, 5);
    await first.firstTokens;
    const b = await streamRun(gwB, { ...body, mode: 'plume', message: 'Et pour les enfants ?', multitask_strategy: 'interrupt' });
    const aEnd = terminalOf(await first.result) as ErrorEvent;
    expect(aEnd).toMatchObject({ code: 'interrupted', node: 'discussion' });
    terminalOf(b);
    await waitFor(() => requestAbout('Débattez du télétravail')?.clientAborted === true);
    const partial = (await session('discussion-interrupt')).find((m) => m.run_id === aEnd.run_id && m.role === 'assistant')!;
    expect(partial).toMatchObject({ status: 'interrupted', agent: 'discussion' });
    expect(partial.content).toContain('argument');
    expect(partial.content).not.toContain('fin.');
    expect(JSON.stringify(requestAbout('Et pour les enfants ?')!.messages)).toContain('Débattez du télétravail');
  });

  it('a queued run cancelled before its turn leaves the queue: the next one starts after the active run', async () => {
    answers('Garde la session', { words: 30, delayMs: 20 });
    const body = { mode: 'plume', session_id: 'queue-cancel' };
    const first = follow(gwA, { ...body, message: 'Garde la session' });
    await first.firstTokens;
    const cancelled = follow(gwB, { ...body, message: 'Annule-moi', multitask_strategy: 'enqueue' }, 1);
    let cancelledId = '';
    while (!cancelledId) {
      cancelledId = (await stack.redis.lrange(keys.sessionQueue(stack.config.KODA_PREFIX, 'local', 'queue-cancel'), 0, 0))[0] ?? '';
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const third = streamRun(gwA, { ...body, message: 'Moi ensuite', multitask_strategy: 'enqueue' });
    expect((await fetch(`${gwB}/api/v1/runs/${cancelledId}/cancel`, { method: 'POST' })).status).toBe(202);
    const [a, c] = [terminalOf(await first.result) as CompleteEvent, terminalOf(await third) as CompleteEvent];
    expect(terminalOf(await cancelled.result)).toMatchObject({ code: 'cancelled', run_id: cancelledId });
    expect((await session('queue-cancel')).filter((m) => m.role === 'assistant').map((m) => [m.run_id, m.status])).toEqual([
      [a.run_id, 'complete'],
      [c.run_id, 'complete'],
    ]);
  });

  it('a discussion receives the session history and can follow up on an earlier exchange', async () => {
    fake.setDefault((request) =>
      scenarios.text(lastUserText(request).includes('Quel est le fruit') ? 'La mangue, sans hésiter.' : 'D’accord.', { delayMs: 1 }),
    );
    const body = { session_id: 'discussion-history' };
    terminalOf(await streamRun(gwA, { ...body, mode: 'plume', message: 'Quel est le fruit préféré ?' }));
    terminalOf(await streamRun(gwA, { ...body, mode: 'discussion', message: 'Débattez de la réponse précédente' }));
    const turns = fake.requests.filter((r) => JSON.stringify(r.messages).includes('Débattez de la réponse précédente'));
    expect(turns.length).toBeGreaterThanOrEqual(2);
    for (const turn of turns) expect(JSON.stringify(turn.messages)).toContain('La mangue, sans hésiter.');
  });

  it('a run in a free session is not held back, whatever its strategy, and the default is reject', async () => {
    fake.setDefault(scenarios.text('Vite.', { delayMs: 1 }));
    const result = await streamRun(gwA, { mode: 'plume', message: 'Seul', session_id: 'alone', multitask_strategy: 'interrupt' });
    expect(result.events.some((e) => e.type === 'queued')).toBe(false);
    terminalOf(result);
    expect(stack.config.KODA_MULTITASK_DEFAULT).toBe('reject');
    const bad = await fetch(`${gwA}/api/v1/chat/orchestrated`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'x', multitask_strategy: 'later' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('multitask_strategy');
  });

  it('GET /runs/:id/events of a queued run shows it queued until it starts', async () => {
    answers('Occupe la session', { words: 30, delayMs: 20 });
    const body = { mode: 'plume', session_id: 'queued-join' };
    const first = follow(gwA, { ...body, message: 'Occupe la session' });
    await first.firstTokens;
    const res = await fetch(`${gwB}/api/v1/chat/orchestrated/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, message: 'Attends ton tour', multitask_strategy: 'enqueue' }),
    });
    const runId = res.headers.get('x-run-id')!;
    await res.body?.cancel();
    expect(await (await fetch(`${gwA}/api/v1/runs/${runId}`)).json()).toMatchObject({ status: 'queued' });
    const joined = await readSse(`${gwA}/api/v1/runs/${runId}/events`);
    expect(joined.events.map((e) => e.type).slice(0, 2)).toEqual(['start', 'queued']);
    terminalOf(joined);
    terminalOf(await first.result);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
