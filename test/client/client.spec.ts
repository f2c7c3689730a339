import type { RoutingEvent } from '@koda/contracts';
import { answerText, discussionTurns, KodaClient } from '@koda/client';
import { readSse, startStack, type KodaStack } from '@koda/testing';
import { ChaosProxy } from './chaos-proxy';
import { isStreamOf, watch } from './client-helpers';

/** @koda/client against the real gateway, workers and Redis (offline model, paced tokens). */
describe('@koda/client against the real gateway', () => {
  let stack: KodaStack;
  let proxy: ChaosProxy;
  beforeAll(async () => {
    stack = await startStack('client', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 10 } });
    proxy = await ChaosProxy.start(stack.baseUrl);
  });
  afterAll(async () => {
    await proxy?.close();
    await stack?.close();
  });

  const direct = () => new KodaClient({ baseUrl: stack.baseUrl });
  const viaProxy = (idleTimeoutMs?: number) => new KodaClient({ baseUrl: proxy.url, idleTimeoutMs, backoff: { initialDelayMs: 50, maxDelayMs: 200 } });
  const replayIds = async (runId: string) => (await readSse(`${stack.baseUrl}/api/v1/runs/${runId}/events`)).ids;

  it('streams a plume run: tokens as they come, the agent named, the result last', async () => {
    const { seen, handlers } = watch();
    const run = direct().startRun({ message: 'Reformule : la réunion de lundi est déplacée à mardi.', mode: 'plume' }, handlers);
    const outcome = await run.done;
    if (outcome.status !== 'complete') throw new Error(`run ${outcome.status}`);
    expect(seen.runIds).toEqual([outcome.result.run_id]);
    expect(seen.text).toBe(outcome.result.response);
    expect(answerText(run.state)).toBe(outcome.result.response);
    expect(seen.statuses).toContain('Réflexion en cours… (Plume)');
    expect(seen.ids).toEqual(await replayIds(outcome.result.run_id));
    expect(run.stats).toEqual({ connections: 1, reconnects: 0, duplicates: 0 });
  });

  it('follows an auto run through its routing to Mimir, with cited notes', async () => {
    const { seen, handlers } = watch();
    const outcome = await direct().startRun({ message: 'Cherche dans mes notes ce que j’ai écrit sur Redis Streams', mode: 'auto' }, handlers).done;
    if (outcome.status !== 'complete') throw new Error(`run ${outcome.status}`);
    expect(seen.events.find((e): e is RoutingEvent => e.type === 'routing')).toMatchObject({ intent: 'recherche', node: 'mimir' });
    expect(seen.statuses).toContain('Réflexion en cours… (Mimir)');
    expect(outcome.result.metadata.clickable_objects?.length).toBeGreaterThan(0);
  });

  it('keeps discussion turns apart, each settled by its agent_message', async () => {
    const run = direct().startRun({ message: 'Débattez : faut-il tout noter ?', mode: 'discussion' });
    const outcome = await run.done;
    if (outcome.status !== 'complete') throw new Error(`run ${outcome.status}`);
    const turns = discussionTurns(run.state);
    expect(turns.length).toBe(outcome.result.metadata.turns);
    expect(turns.map((t) => t.turn)).toEqual(turns.map((_, i) => i + 1));
    expect(turns.every((t) => t.final && t.text.length > 0)).toBe(true);
    expect(turns[0].agent).toBe('plume');
    expect(answerText(run.state)).toBe(outcome.result.response);
  });

  it('resumes after the connection is cut mid-frame, with no duplicated text', async () => {
    proxy.inject({ match: isStreamOf(/\/chat\/orchestrated\/stream$/), action: 'cut', afterTokens: 3 });
    const { seen, handlers } = watch();
    const run = viaProxy().startRun({ message: 'Écris un paragraphe sur la mer', mode: 'plume' }, handlers);
    const outcome = await run.done;
    if (outcome.status !== 'complete') throw new Error(`run ${outcome.status}`);
    const resume = proxy.requests.find((r) => r.url === `/api/v1/runs/${outcome.result.run_id}/events`);
    expect(resume?.lastEventId).toMatch(/^\d+-\d+$/);
    expect(seen.reconnects).toEqual(['network']);
    expect(seen.text).toBe(outcome.result.response);
    expect(seen.ids).toEqual(await replayIds(outcome.result.run_id));
    expect(run.stats).toMatchObject({ connections: 2, reconnects: 1, duplicates: 0 });
  });

  it('drops replayed events by id when the resume starts over from the beginning', async () => {
    proxy.inject({ match: isStreamOf(/\/chat\/orchestrated\/stream$/), action: 'cut', afterTokens: 4 });
    proxy.dropLastEventId();
    try {
      const { seen, handlers } = watch();
      const run = viaProxy().startRun({ message: 'Rédige un court mot de remerciement', mode: 'plume' }, handlers);
      const outcome = await run.done;
      if (outcome.status !== 'complete') throw new Error(`run ${outcome.status}`);
      expect(run.stats.duplicates).toBeGreaterThanOrEqual(4);
      expect(seen.text).toBe(outcome.result.response);
      expect(seen.ids).toEqual(await replayIds(outcome.result.run_id));
    } finally {
      proxy.dropLastEventId(false);
    }
  });

  it('reconnects when the stream goes quiet for the idle timeout', async () => {
    proxy.inject({ match: isStreamOf(/\/chat\/orchestrated\/stream$/), action: 'stall', afterTokens: 2 });
    const { seen, handlers } = watch();
    const outcome = await viaProxy(400).startRun({ message: 'Résume : le projet avance bien.', mode: 'plume' }, handlers).done;
    if (outcome.status !== 'complete') throw new Error(`run ${outcome.status}`);
    expect(seen.reconnects).toEqual(['idle']);
    expect(seen.text).toBe(outcome.result.response);
  });

  it('cancels a run: the stream ends with a cancelled error; a second cancel finds it ended', async () => {
    const client = direct();
    let cancelling: Promise<unknown> | undefined;
    const run = client.startRun(
      { message: 'Débattez longuement : faut-il tout noter ?', mode: 'discussion' },
      {
        // Cancel as soon as the answer has begun, as a user pressing Stop would.
        onToken: () => void (cancelling ??= run.cancel()),
      },
    );
    const outcome = await run.done;
    expect(await cancelling).toEqual({ status: 'cancelling' });
    expect(outcome).toMatchObject({ status: 'cancelled', error: { code: 'cancelled', source: 'run' } });
    expect(await client.cancelRun(run.runId!)).toEqual({ status: 'already_ended' });
    expect(await client.cancelRun('no-such-run')).toEqual({ status: 'not_found' });
  });

  it('joins a finished run from its start, or after an event id', async () => {
    const first = await direct().startRun({ message: 'Bonjour Plume', mode: 'plume' }).done;
    if (first.status !== 'complete') throw new Error(`run ${first.status}`);
    const ids = await replayIds(first.result.run_id);
    const whole = watch();
    expect((await direct().joinRun(first.result.run_id, {}, whole.handlers).done).status).toBe('complete');
    expect(whole.seen.ids).toEqual(ids);
    const rest = watch();
    await direct().joinRun(first.result.run_id, { lastEventId: ids[2] }, rest.handlers).done;
    expect(rest.seen.ids).toEqual(ids.slice(3));
    expect(await direct().joinRun('no-such-run').done).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
  });

  it('retries a start whose answer was lost with the same Idempotency-Key: one run, followed from its start', async () => {
    proxy.inject({ match: (req) => req.method === 'POST' && /\/chat\/orchestrated\/stream$/.test(req.url ?? ''), action: 'lose', afterTokens: 0 });
    const sent = proxy.requests.length;
    const { seen, handlers } = watch();
    const run = viaProxy().startRun({ message: 'Écris deux phrases sur la pluie', mode: 'plume' }, handlers);
    const outcome = await run.done;
    if (outcome.status !== 'complete') throw new Error(`run ${outcome.status}`);
    const posts = proxy.requests.slice(sent).filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0].idempotencyKey).toBeTruthy();
    expect(posts[1]).toMatchObject({ idempotencyKey: posts[0].idempotencyKey, replayed: 'true' });
    // The first POST's run is the one followed: the session holds one exchange, and the text is whole.
    const session = await direct().getSession(outcome.result.session_id);
    expect(session.messages.map((m) => m.run_id)).toEqual([outcome.result.run_id, outcome.result.run_id]);
    expect(seen.text).toBe(outcome.result.response);
    expect(seen.ids).toEqual(await replayIds(outcome.result.run_id));
  });

  it('reports a refused request with the fields at fault', async () => {
    const outcome = await direct().startRun({ message: 'x', mode: 'bard' as never }).done;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'invalid_request', status: 400, fields: [{ field: 'mode' }] } });
  });

  it('reads sessions and manages notes', async () => {
    const client = direct();
    const note = await client.createNote({ title: 'Client test note', content: 'Le mot de passe du wifi est dans le tiroir.', tags: ['test'] });
    expect(await client.getNote(note.id)).toMatchObject({ title: 'Client test note', tags: ['test'] });
    expect((await client.listNotes()).some((n) => n.id === note.id)).toBe(true);
    await client.deleteNote(note.id);
    await expect(client.getNote(note.id)).rejects.toMatchObject({ status: 404 });

    const result = await client.chat({ message: 'Je pars à Lisbonne en mai.', mode: 'plume' });
    const session = await client.getSession(result.session_id);
    expect(session.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(session.messages[1]).toMatchObject({ content: result.response, run_id: result.run_id, agent: 'plume' });
  });
});
