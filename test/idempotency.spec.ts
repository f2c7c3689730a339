import { createHash, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { agentJob, keys, type CompleteEvent } from '@koda/contracts';
import { bootstrapGateway } from '@koda/gateway';
import { createLogger } from '@koda/platform';
import { expectWellFormedRun, postJson, readSse, startStack, type KodaStack } from '@koda/testing';

/** `Idempotency-Key` on the POST endpoints, through two gateways on one Redis. */
describe('Idempotency-Key', () => {
  let stack: KodaStack;
  let second: INestApplication;
  let gwB: string;
  let queue: Queue;

  beforeAll(async () => {
    stack = await startStack('idempotency', { agents: ['plume'], config: { KODA_OFFLINE_TOKEN_DELAY_MS: 10 } });
    second = await bootstrapGateway({ ...stack.config, PORT: 0 }, createLogger('idempotency-2', 'silent'));
    gwB = `http://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}`;
    // A plume run's one job: the gateway queues it (no routing to do).
    queue = new Queue(agentJob('plume').queue, { connection: stack.redis.duplicate(), prefix: stack.config.KODA_PREFIX });
  });
  afterAll(async () => {
    await queue.close();
    await second.close();
    await stack.close();
  });

  const stream = (baseUrl: string, body: object, key: string) =>
    readSse(`${baseUrl}/api/v1/chat/orchestrated/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body),
    });
  const jobsOf = async (sessionId: string) =>
    (await queue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'])).filter((j) => j.data.session_id === sessionId);

  it('a retried streaming POST (racing, on another gateway) joins the same run from its start: one job', async () => {
    const body = { message: 'Écris deux phrases sur la mer', mode: 'plume', session_id: 'idem-stream' };
    const [a, b] = await Promise.all([stream(stack.baseUrl, body, 'key-stream-1'), stream(gwB, body, 'key-stream-1')]);
    const runA = a.headers.get('x-run-id');
    expect(runA).toBeTruthy();
    expect(b.headers.get('x-run-id')).toBe(runA);
    expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')].filter(Boolean)).toEqual(['true']);
    expect((expectWellFormedRun(a) as CompleteEvent).result.response).toBe((expectWellFormedRun(b) as CompleteEvent).result.response);
    expect(b.ids).toEqual(a.ids);
    expect(await jobsOf('idem-stream')).toHaveLength(1);
    expect(await stack.redis.zcard(keys.sessionRuns(stack.config.KODA_PREFIX, 'local', 'idem-stream'))).toBe(1);
  });

  it("a retried synchronous POST answers the first one's result; a new key starts a new run", async () => {
    const body = { message: 'Une phrase sur les phares', mode: 'plume', session_id: 'idem-sync' };
    const url = `${stack.baseUrl}/api/v1/chat/orchestrated`;
    const first = await (await postJson(url, body, { 'Idempotency-Key': 'key-sync-1' })).json();
    const retry = await postJson(`${gwB}/api/v1/chat/orchestrated`, body, { 'Idempotency-Key': 'key-sync-1' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(first);
    expect(await jobsOf('idem-sync')).toHaveLength(1);
    const other = await (await postJson(url, body, { 'Idempotency-Key': 'key-sync-2' })).json();
    expect(other.run_id).not.toBe(first.run_id);
    expect(await jobsOf('idem-sync')).toHaveLength(2);
  });

  it('the same key with another body answers 422 and starts nothing', async () => {
    const url = `${stack.baseUrl}/api/v1/chat/orchestrated`;
    await (await postJson(url, { message: 'Bonjour', mode: 'plume', session_id: 'idem-422' }, { 'Idempotency-Key': 'key-422' })).json();
    const res = await postJson(url, { message: 'Au revoir', mode: 'plume', session_id: 'idem-422' }, { 'Idempotency-Key': 'key-422' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    expect(await jobsOf('idem-422')).toHaveLength(1);
  });

  it('a malformed key answers 400 naming the header', async () => {
    const res = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated`, { message: 'Bonjour', mode: 'plume' }, { 'Idempotency-Key': 'k'.repeat(300) });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('Idempotency-Key');
  });

  it('a start refused (session busy) frees its key: the same request retried later starts the run', async () => {
    const body = { message: 'Écris quelques phrases sur les marées', mode: 'plume', session_id: 'idem-busy' };
    const url = `${stack.baseUrl}/api/v1/chat/orchestrated/stream`;
    const busy = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const refused = await postJson(url, { ...body, message: 'Et maintenant ?' }, { 'Idempotency-Key': 'key-busy' });
    expect(refused.status).toBe(409);
    await busy.text();
    const retried = await stream(stack.baseUrl, { ...body, message: 'Et maintenant ?' }, 'key-busy');
    expectWellFormedRun(retried);
  });

  /** The key's record in Redis (its owner is whoever the stack's anonymous caller is). */
  const recordOf = async (key: string) => {
    const sha = createHash('sha256').update(key).digest('hex');
    const [name] = await stack.redis.keys(keys.idempotencyKey(stack.config.KODA_PREFIX, '*', sha));
    return { name, record: JSON.parse((await stack.redis.get(name))!) as { run_id: string; at: number } };
  };

  it('a retry whose run’s log is gone (expired) answers 410 at once, naming the key and the run', async () => {
    const body = { message: 'Une phrase sur la neige', mode: 'plume', session_id: 'idem-gone' };
    const first = await stream(stack.baseUrl, body, 'key-gone');
    expectWellFormedRun(first);
    const { name, record } = await recordOf('key-gone');
    // A day later: the run log expired long ago, the key (24 h) still names its run.
    await stack.redis.del(keys.runEvents(stack.config.KODA_PREFIX, record.run_id));
    await stack.redis.set(name, JSON.stringify({ ...record, at: record.at - 3_600_000 }), 'KEEPTTL');
    const startedAt = Date.now();
    const res = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated/stream`, body, { 'Idempotency-Key': 'key-gone' });
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ code: 'idempotency_run_gone', field: 'Idempotency-Key', run_id: record.run_id });
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(await jobsOf('idem-gone')).toHaveLength(1);
  });

  it('a retry while the first request is still opening its run waits for it, then answers 409 idempotency_in_progress', async () => {
    const body = { message: 'Une phrase sur le vent', mode: 'plume', session_id: 'idem-opening' };
    expectWellFormedRun(await stream(stack.baseUrl, body, 'key-opening'));
    const { name, record } = await recordOf('key-opening');
    // As if the first request had just claimed the key and not yet written its run log.
    await stack.redis.set(name, JSON.stringify({ ...record, run_id: randomUUID(), at: Date.now() }), 'KEEPTTL');
    const res = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated`, body, { 'Idempotency-Key': 'key-opening' });
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ code: 'idempotency_in_progress' });
  }, 15_000);
});
