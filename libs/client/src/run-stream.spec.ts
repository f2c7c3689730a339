import { frames, idOf, plumeRun, RUN_ID } from '../test/fixtures';
import { fakeFetch } from '../test/fake-fetch';
import { KodaClient } from './koda-client';
import { answerText } from './run-state';
import type { RunHandlers } from './types';

const runHeaders = { 'x-run-id': RUN_ID, 'x-session-id': 's-1' };
const fastBackoff = { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 };

function client(script: Parameters<typeof fakeFetch>[0], idleTimeoutMs = 5000) {
  const fake = fakeFetch(script);
  return { ...fake, koda: new KodaClient({ baseUrl: 'http://gw/', fetch: fake.fetch, backoff: fastBackoff, idleTimeoutMs }) };
}

/** Records the tokens' text as the UI would show it. */
function recorder() {
  const seen = { tokens: [] as string[], ids: [] as (string | undefined)[], statuses: [] as string[], errors: [] as string[], runIds: [] as string[] };
  const handlers: RunHandlers = {
    onToken: (event) => seen.tokens.push(event.delta),
    onEvent: (_event, id) => seen.ids.push(id),
    onStatus: (status) => seen.statuses.push(status.label),
    onError: (error) => seen.errors.push(error.code),
    onRun: ({ runId }) => seen.runIds.push(runId),
  };
  return { seen, handlers };
}

describe('RunStream over a scripted gateway', () => {
  it('starts a run with a POST and follows it to its result', async () => {
    const { koda, calls } = client([{ headers: runHeaders, chunks: frames(plumeRun()) }]);
    const { seen, handlers } = recorder();
    const run = koda.startRun({ message: 'Salut', mode: 'plume' }, handlers);
    const outcome = await run.done;
    expect(outcome.status).toBe('complete');
    expect(calls[0]).toMatchObject({
      url: 'http://gw/api/v1/chat/orchestrated/stream',
      method: 'POST',
      body: JSON.stringify({ message: 'Salut', mode: 'plume' }),
    });
    expect(seen.tokens.join('')).toBe('Bonjour à tous');
    expect(seen.runIds).toEqual([RUN_ID]);
    expect(seen.statuses).toContain('Réflexion en cours… (Plume)');
    expect(seen.statuses[seen.statuses.length - 1]).toBe('');
  });

  it('resumes after a cut mid-frame with Last-Event-ID, without duplicated text', async () => {
    const all = frames(plumeRun());
    const halfFrame = all[4].slice(0, 20);
    const { koda, calls } = client([{ headers: runHeaders, chunks: [...all.slice(0, 4), halfFrame], ending: 'cut' }, { chunks: all.slice(4) }]);
    const { seen, handlers } = recorder();
    const run = koda.startRun({ message: 'Salut' }, handlers);
    expect((await run.done).status).toBe('complete');
    expect(calls[1]).toMatchObject({ url: `http://gw/api/v1/runs/${RUN_ID}/events`, method: 'GET' });
    expect(calls[1].headers['Last-Event-ID']).toBe(idOf(3));
    expect(seen.tokens.join('')).toBe('Bonjour à tous');
    expect(new Set(seen.ids).size).toBe(seen.ids.length);
    expect(run.stats).toMatchObject({ connections: 2, reconnects: 1, duplicates: 0 });
  });

  it('drops replayed events by id when a resume starts over from the beginning', async () => {
    const all = frames(plumeRun());
    const { koda } = client([{ headers: runHeaders, chunks: all.slice(0, 5), ending: 'cut' }, { chunks: all }]);
    const { seen, handlers } = recorder();
    const run = koda.startRun({ message: 'Salut' }, handlers);
    await run.done;
    expect(seen.tokens.join('')).toBe('Bonjour à tous');
    expect(run.stats.duplicates).toBe(5);
    expect(seen.ids).toEqual(plumeRun().map((_, i) => idOf(i)));
  });

  it('reconnects when the stream goes quiet (no byte for the idle timeout)', async () => {
    const all = frames(plumeRun());
    const { koda, calls } = client([{ headers: runHeaders, chunks: all.slice(0, 3), ending: 'hang' }, { chunks: all.slice(3) }], 60);
    const reasons: string[] = [];
    const run = koda.startRun({ message: 'Salut' }, { onReconnect: ({ reason }) => reasons.push(reason) });
    expect((await run.done).status).toBe('complete');
    expect(reasons).toEqual(['idle']);
    expect(calls[1].headers['Last-Event-ID']).toBe(idOf(2));
    expect(answerText(run.state)).toBe('Bonjour à tous');
  });

  it('gives up after a bounded number of fruitless reconnections', async () => {
    const all = frames(plumeRun());
    const { koda, calls } = client([
      { headers: runHeaders, chunks: all.slice(0, 2), ending: 'cut' },
      { status: 503, json: { message: 'down' } },
      { status: 503, json: { message: 'down' } },
    ]);
    const { seen, handlers } = recorder();
    const outcome = await koda.startRun({ message: 'Salut' }, handlers).done;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'connection_lost' } });
    expect(calls.length).toBe(4);
    expect(seen.errors).toEqual(['connection_lost']);
  });

  it('sends every start with an Idempotency-Key', async () => {
    const { koda, calls } = client([{ headers: runHeaders, chunks: frames(plumeRun()) }]);
    await koda.startRun({ message: 'Salut' }).done;
    await koda.startRun({ message: 'Salut' }).done.catch(() => undefined);
    expect(calls[0].headers['Idempotency-Key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(calls[1].headers['Idempotency-Key']).not.toBe(calls[0].headers['Idempotency-Key']);
  });

  it('retries a start whose answer was lost as the same POST with the same key, then follows the run', async () => {
    const { fetch, calls } = fakeFetch([
      { networkError: 'ECONNRESET' },
      { status: 503, json: { code: 'shutting_down', message: 'draining' } },
      { status: 409, json: { code: 'idempotency_in_progress', message: 'still starting' } },
      { headers: runHeaders, chunks: frames(plumeRun()) },
    ]);
    const koda = new KodaClient({ baseUrl: 'http://gw/', fetch, backoff: { ...fastBackoff, maxAttempts: 4 } });
    const { seen, handlers } = recorder();
    const run = koda.startRun({ message: 'Salut' }, handlers);
    expect((await run.done).status).toBe('complete');
    expect(calls.map((c) => c.method)).toEqual(['POST', 'POST', 'POST', 'POST']);
    expect(new Set(calls.map((c) => c.headers['Idempotency-Key'])).size).toBe(1);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    expect(seen.tokens.join('')).toBe('Bonjour à tous');
  });

  it('resumes by id, not by POST, once the start told the run id', async () => {
    const all = frames(plumeRun());
    const { koda, calls } = client([{ headers: runHeaders, chunks: all.slice(0, 3), ending: 'cut' }, { chunks: all.slice(3) }]);
    expect((await koda.startRun({ message: 'Salut' }).done).status).toBe('complete');
    expect(calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it('fails at once when the first request finds no gateway (nothing was sent)', async () => {
    const { koda, calls } = client([{ networkError: 'ECONNREFUSED' }, { headers: runHeaders, chunks: frames(plumeRun()) }]);
    const outcome = await koda.startRun({ message: 'Salut' }).done;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'connection_lost', message: expect.stringContaining('ECONNREFUSED') } });
    expect(calls).toHaveLength(1);
  });

  it('does not retry a start refused for the caller’s rate (429)', async () => {
    const { koda, calls } = client([{ status: 429, json: { code: 'rate_limited', message: 'slow down' } }]);
    expect(await koda.startRun({ message: 'Salut' }).done).toMatchObject({ status: 'failed', error: { status: 429 } });
    expect(calls).toHaveLength(1);
  });

  it('gives up a start that never gets an answer after the bounded attempts, saying it was not accepted', async () => {
    const { koda, calls } = client([{ networkError: 'ECONNRESET' }, { networkError: 'ECONNRESET' }, { networkError: 'ECONNRESET' }]);
    const outcome = await koda.startRun({ message: 'Salut' }).done;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'connection_lost', message: expect.stringContaining('ECONNRESET') } });
    expect(calls).toHaveLength(3);
  });

  it('reports a refused request readably and does not retry it', async () => {
    const fields = [{ field: 'mode', errors: ['mode must be one of: auto, plume, mimir, discussion'] }];
    const { koda, calls } = client([{ status: 400, json: { statusCode: 400, message: 'mode: mode must be one of: auto, plume, mimir, discussion', fields } }]);
    const outcome = await koda.startRun({ message: 'x', mode: 'bard' as never }).done;
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_request', status: 400, fields, message: expect.stringContaining('mode must be one of') },
    });
    expect(calls).toHaveLength(1);
  });

  it('joins a run from a kept state, after its last event, keeping its text', async () => {
    const all = frames(plumeRun());
    const first = client([{ chunks: all.slice(0, 4), ending: 'hang' }]);
    const partial = first.koda.joinRun(RUN_ID);
    await new Promise((r) => setTimeout(r, 30));
    partial.close();
    expect((await partial.done).status).toBe('closed');
    const kept = JSON.parse(JSON.stringify(partial.state));
    const { koda, calls } = client([{ chunks: all.slice(4) }]);
    const resumed = koda.joinRun(RUN_ID, { state: kept });
    expect((await resumed.done).status).toBe('complete');
    expect(calls[0].headers['Last-Event-ID']).toBe(idOf(3));
    expect(resumed.state.segments[0].text).toBe('Bonjour à tous');
  });

  it('answers 404 on an unknown run as not_found', async () => {
    const { koda } = client([{ status: 404, json: { message: 'No run nope' } }]);
    expect(await koda.joinRun('nope').done).toMatchObject({ status: 'failed', error: { code: 'not_found', message: 'No run nope' } });
  });

  it('cancels once the run id is known; the stream then ends cancelled', async () => {
    const events = plumeRun().slice(0, 3);
    const cancelled = { ...events[0], type: 'error', code: 'cancelled', message: 'The run was cancelled.', fatal: true };
    const { koda, calls } = client([
      { headers: runHeaders, chunks: frames([...events, cancelled as never]) },
      { status: 202, json: { run_id: RUN_ID, status: 'cancelling' } },
    ]);
    const run = koda.startRun({ message: 'Salut' });
    expect(await run.cancel()).toEqual({ status: 'cancelling' });
    expect(calls[1]).toMatchObject({ url: `http://gw/api/v1/runs/${RUN_ID}/cancel`, method: 'POST' });
    expect(await run.done).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
  });

  it('keeps streaming when a UI callback throws', async () => {
    const { koda } = client([{ headers: runHeaders, chunks: frames(plumeRun()) }]);
    const uncaught: unknown[] = [];
    const realSetTimeout = global.setTimeout;
    jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) =>
      realSetTimeout(() => {
        try {
          fn();
        } catch (error) {
          uncaught.push(error);
        }
      }, ms)) as typeof setTimeout);
    try {
      const run = koda.startRun(
        { message: 'Salut' },
        {
          onToken: () => {
            throw new Error('UI bug');
          },
        },
      );
      expect((await run.done).status).toBe('complete');
      await new Promise((r) => realSetTimeout(r, 10));
      expect(uncaught).toHaveLength(4);
    } finally {
      jest.restoreAllMocks();
    }
  });
});
