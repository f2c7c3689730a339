import { LIMITS } from '@koda/contracts';
import { jobsInAllQueues, postJson, startStack, type KodaStack } from '@koda/testing';

describe('bad input answers 400 naming the field, and enqueues nothing', () => {
  let stack: KodaStack;
  const url = () => `${stack.baseUrl}/api/v1/chat/orchestrated/stream`;
  beforeAll(async () => {
    // No workers: anything enqueued by mistake would stay in the queue and be counted.
    stack = await startStack('validation', { agents: [], orchestrator: false });
  });
  afterAll(() => stack.close());

  const cases: [string, unknown, string][] = [
    ['missing message', { mode: 'plume' }, 'message'],
    ['blank message', { message: '   \n ' }, 'message'],
    ['non-string message', { message: 42 }, 'message'],
    ['oversized message', { message: 'x'.repeat(LIMITS.messageMaxChars + 1) }, 'message'],
    ['unknown mode', { message: 'hello', mode: 'poet' }, 'mode'],
    ['malformed session_id', { message: 'hello', session_id: 'a b/c' }, 'session_id'],
  ];

  it.each(cases)('%s', async (_name, body, field) => {
    for (const endpoint of [url(), `${stack.baseUrl}/api/v1/chat/orchestrated`]) {
      const res = await postJson(endpoint, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const json = await res.json();
      expect(json.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(json.message).toContain(field);
    }
  });

  it('names every bad field at once', async () => {
    const json = await (await postJson(url(), { mode: 'poet' })).json();
    expect(json.fields.map((f: { field: string }) => f.field).sort()).toEqual(['message', 'mode']);
  });

  it('rejects malformed JSON with 400 naming the body', async () => {
    const res = await postJson(url(), '{"message": "hi",');
    expect(res.status).toBe(400);
    expect((await res.json()).fields[0]).toMatchObject({ field: 'body' });
  });

  it('rejects a body over the size limit with 413', async () => {
    const res = await postJson(url(), { message: 'x'.repeat(LIMITS.bodyMaxBytes + 10) });
    expect(res.status).toBe(413);
    expect((await res.json()).fields[0]).toMatchObject({ field: 'body' });
  });

  it('accepts a message at exactly the limit', async () => {
    const res = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated/stream`, { message: 'x'.repeat(LIMITS.messageMaxChars), mode: 'plume' });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it('enqueued exactly the one valid run above, nothing for the rejected ones', async () => {
    expect(await jobsInAllQueues(stack)).toBe(1);
    const runs = await stack.redis.keys(`${stack.config.KODA_PREFIX}:run:*:events`);
    expect(runs).toHaveLength(1);
  });
});
