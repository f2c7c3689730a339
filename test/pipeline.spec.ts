import type { CompleteEvent, RunEvent } from '@koda/contracts';
import { expectWellFormedRun, readSse, startStack, streamRun, typeSequence, postJson, type KodaStack } from '@koda/testing';

describe('the streaming pipeline, end to end over HTTP', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('pipeline');
  });
  afterAll(() => stack.close());

  it('streams a plume run: start, processing, tokens, complete, [DONE]', async () => {
    const result = await streamRun(stack.baseUrl, { message: 'Reformule : la réunion de lundi est déplacée à mardi.', mode: 'plume' });
    const terminal = expectWellFormedRun(result) as CompleteEvent;
    expect(result.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(result.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(result.headers.get('x-accel-buffering')).toBe('no');
    expect(typeSequence(result.events)).toEqual(['start', 'processing:started', 'token', 'processing:completed', 'complete']);
    expect(terminal.result.agent_used).toBe('plume');
    expect(terminal.result.response.length).toBeGreaterThan(10);
    expect(tokensText(result.events)).toBe(terminal.result.response);
    expect(terminal.result.tokens_used).toBe(terminal.result.input_tokens + terminal.result.output_tokens);
  });

  it('streams a mimir run with its search and cited notes', async () => {
    const result = await streamRun(stack.baseUrl, { message: 'Cherche dans mes notes ce que j’ai écrit sur Redis Streams', mode: 'mimir' });
    const terminal = expectWellFormedRun(result) as CompleteEvent;
    expect(typeSequence(result.events)).toEqual(['start', 'processing:started', 'search', 'token', 'processing:completed', 'complete']);
    expect(terminal.result.agent_used).toBe('mimir');
  });

  it('streams a discussion: turns as agent_message events, then a synthesis', async () => {
    const result = await streamRun(stack.baseUrl, { message: 'Débattez : faut-il tout noter ?', mode: 'discussion' });
    const terminal = expectWellFormedRun(result) as CompleteEvent;
    const turns = result.events.filter((e): e is Extract<RunEvent, { type: 'agent_message' }> => e.type === 'agent_message');
    expect(turns.length).toBeGreaterThanOrEqual(2);
    expect(turns.map((t) => t.turn)).toEqual(turns.map((_, i) => i + 1));
    expect(turns[0].agent).toBe('plume');
    expect(turns[1].agent).toBe('mimir');
    expect(terminal.result.agent_used).toBe('discussion');
    expect(terminal.result.metadata.turns).toBe(turns.length);
    expect(tokensText(result.events)).not.toContain('[CONSENSUS]');
  });

  it('routes an auto run and says so in a routing event', async () => {
    const result = await streamRun(stack.baseUrl, { message: 'Cherche mes notes sur le voyage au Japon' });
    const terminal = expectWellFormedRun(result) as CompleteEvent;
    const routing = result.events.find((e) => e.type === 'routing');
    expect(routing).toMatchObject({ intent: 'recherche', node: 'mimir' });
    expect(typeSequence(result.events).slice(0, 3)).toEqual(['start', 'routing', 'processing:started']);
    expect(terminal.result.metadata).toMatchObject({ intent: 'recherche' });
  });

  it('resumes after a Last-Event-ID with exactly the rest, by header or query', async () => {
    const full = await streamRun(stack.baseUrl, { message: 'Rédige un court mot de remerciement', mode: 'plume' });
    const runId = full.events[0].run_id;
    const cut = 2;
    const viaHeader = await readSse(`${stack.baseUrl}/api/v1/runs/${runId}/events`, { headers: { 'Last-Event-ID': full.ids[cut - 1] } });
    const viaQuery = await readSse(`${stack.baseUrl}/api/v1/runs/${runId}/events?last_event_id=${full.ids[cut - 1]}`);
    for (const resumed of [viaHeader, viaQuery]) {
      expect(resumed.ids).toEqual(full.ids.slice(cut));
      expect(resumed.done).toBe(true);
    }
  });

  it('replays the whole run to a reader joining after the end', async () => {
    const full = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
    const replay = await readSse(`${stack.baseUrl}/api/v1/runs/${full.events[0].run_id}/events`);
    expect(replay.ids).toEqual(full.ids);
    expect(replay.events).toEqual(full.events);
    expect(replay.done).toBe(true);
  });

  it('joins a run in flight from its start', async () => {
    const slow = await startStack('pipeline-join', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 20 } });
    try {
      const res = await postJson(`${slow.baseUrl}/api/v1/chat/orchestrated/stream`, { message: 'Écris un paragraphe sur la mer', mode: 'plume' });
      const runId = res.headers.get('x-run-id')!;
      const joined = await readSse(`${slow.baseUrl}/api/v1/runs/${runId}/events`);
      const original = await readSse(`${slow.baseUrl}/api/v1/runs/${runId}/events`);
      await res.body?.cancel();
      expectWellFormedRun(joined);
      expect(joined.ids).toEqual(original.ids);
    } finally {
      await slow.close();
    }
  });

  it('answers 404 for an unknown run and 400 for a malformed Last-Event-ID', async () => {
    expect((await fetch(`${stack.baseUrl}/api/v1/runs/nope/events`)).status).toBe(404);
    const full = await streamRun(stack.baseUrl, { message: 'Salut', mode: 'plume' });
    const res = await fetch(`${stack.baseUrl}/api/v1/runs/${full.events[0].run_id}/events`, { headers: { 'Last-Event-ID': 'garbage' } });
    expect(res.status).toBe(400);
    expect((await res.json()).fields[0].field).toBe('Last-Event-ID');
  });

  it('keeps the conversation across runs of one session', async () => {
    const first = await streamRun(stack.baseUrl, { message: 'Je prépare un voyage à Lisbonne en mai.', mode: 'plume' });
    const sessionId = (first.events[0] as Extract<RunEvent, { type: 'start' }>).session_id;
    const second = await streamRun(stack.baseUrl, { message: 'Résume notre conversation', mode: 'plume', session_id: sessionId });
    const terminal = expectWellFormedRun(second) as CompleteEvent;
    expect(terminal.result.session_id).toBe(sessionId);
    expect(terminal.result.response).toMatch(/Lisbonne/);
    const session = await (await fetch(`${stack.baseUrl}/api/v1/sessions/${sessionId}`)).json();
    expect(session.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(session.messages[0].content).toBe('Je prépare un voyage à Lisbonne en mai.');
    expect(session.messages[3].content).toBe(terminal.result.response);
    expect(session.messages[3].metrics).toMatchObject({ tokens_used: terminal.result.tokens_used, cost_eur: terminal.result.cost_eur });

    expect((await fetch(`${stack.baseUrl}/api/v1/sessions/${sessionId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await (await fetch(`${stack.baseUrl}/api/v1/sessions/${sessionId}`)).json()).messages).toEqual([]);
    expect((await fetch(`${stack.baseUrl}/api/v1/sessions/${sessionId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('a conversation deleted while its run streams stays deleted; the next message starts it afresh', async () => {
    const slow = await startStack('pipeline-delete', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 20 } });
    try {
      const sessionId = 'deleted-mid-run';
      const url = `${slow.baseUrl}/api/v1/sessions/${sessionId}`;
      let deleted: Promise<Response> | null = null;
      const first = await streamRun(slow.baseUrl, { message: 'Écris un long paragraphe sur la mer', mode: 'plume', session_id: sessionId }, (frame) => {
        if (frame.event?.type === 'token' && !deleted) deleted = fetch(url, { method: 'DELETE' });
        return false;
      });
      expect(expectWellFormedRun(first).type).toBe('complete');
      expect((await deleted!).status).toBe(204);
      // The run ended after the delete: its exchange must not bring the conversation back.
      expect((await (await fetch(url)).json()).messages).toEqual([]);
      const next = await streamRun(slow.baseUrl, { message: 'Bonjour', mode: 'plume', session_id: sessionId });
      expect(expectWellFormedRun(next).type).toBe('complete');
      const session = (await (await fetch(url)).json()) as { messages: { content: string }[] };
      expect(session.messages.map((m) => m.content)[0]).toBe('Bonjour');
      expect(session.messages).toHaveLength(2);
    } finally {
      await slow.close();
    }
  });

  it('answers the complete result as JSON on the waiting endpoint', async () => {
    const res = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated`, { message: 'Bonjour Plume', mode: 'plume' });
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result).toMatchObject({ agent_used: 'plume', run_id: expect.any(String), session_id: expect.any(String) });
    expect(result.response.length).toBeGreaterThan(0);
  });
});

function tokensText(events: RunEvent[]): string {
  return events
    .filter((e): e is Extract<RunEvent, { type: 'token' }> => e.type === 'token')
    .map((e) => e.delta)
    .join('');
}
