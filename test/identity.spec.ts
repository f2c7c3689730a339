import type { INestApplication } from '@nestjs/common';
import { SignJWT } from 'jose';
import type { CompleteEvent, RunResult } from '@koda/contracts';
import { bootstrapGateway } from '@koda/gateway';
import { createLogger, type KodaConfig } from '@koda/platform';
import { expectWellFormedRun, readSse, startStack, type KodaStack } from '@koda/testing';
import { ApiKeyStore } from '../services/gateway/src/auth/api-key-store';

const ALICE = 'alice-key-0123456789abcdef';
const BOB = 'bob-key-0123456789abcdef';
const urlOf = (app: INestApplication) => `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
const as = (key: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...(init.headers as object) },
});
const post = (url: string, key: string, body?: unknown) => fetch(url, as(key, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) }));

/** Two users, two gateways (A with the workers, B alone), one Redis, one key prefix. */
describe('identity: two users on two gateways', () => {
  let stack: KodaStack;
  let second: INestApplication;
  let a: string;
  let b: string;

  beforeAll(async () => {
    stack = await startStack('identity', {
      config: { KODA_AUTH: 'apikey', KODA_API_KEYS: `alice:${ALICE},bob:${BOB}`, KODA_NOTES_DIR: '', KODA_OFFLINE_TOKEN_DELAY_MS: 15 },
    });
    second = await bootstrapGateway({ ...stack.config, PORT: 0 }, createLogger('identity-b', 'silent'));
    a = stack.baseUrl;
    b = urlOf(second);
  });
  afterAll(async () => {
    await second.close();
    await stack.close();
  });

  const chat = async (base: string, key: string, body: object): Promise<RunResult> => {
    const res = await post(`${base}/api/v1/chat/orchestrated`, key, body);
    expect(res.status).toBe(200);
    return res.json();
  };

  it('answers 401 with a code when the key is missing or wrong, on every API route', async () => {
    for (const base of [a, b]) {
      const missing = await fetch(`${base}/api/v1/notes`);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({ statusCode: 401, code: 'missing_credentials' });
      const wrong = await fetch(`${base}/api/v1/sessions/x`, as('not-a-key-of-anyone-at-all'));
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ code: 'invalid_credentials' });
      expect((await post(`${base}/api/v1/chat/orchestrated`, 'nope', { message: 'hi' })).status).toBe(401);
    }
    expect((await fetch(`${a}/health`)).status).toBe(200);
  });

  it('keeps sessions apart: both users\' "default" hold only their own messages', async () => {
    await chat(a, ALICE, { message: 'Bonjour, ici Alice', mode: 'plume', session_id: 'default' });
    await chat(b, BOB, { message: 'Bonjour, ici Bob', mode: 'plume', session_id: 'default' });
    const aliceView = await (await fetch(`${b}/api/v1/sessions/default`, as(ALICE))).json();
    const bobView = await (await fetch(`${a}/api/v1/sessions/default`, as(BOB))).json();
    expect(JSON.stringify(aliceView)).toContain('Alice');
    expect(JSON.stringify(aliceView)).not.toContain('Bob');
    expect(JSON.stringify(bobView)).toContain('Bob');
    expect(JSON.stringify(bobView)).not.toContain('Alice');
    expect((await fetch(`${a}/api/v1/sessions/default`, as(BOB, { method: 'DELETE' }))).status).toBe(204);
    expect((await fetch(`${a}/api/v1/sessions/default`, as(BOB, { method: 'DELETE' }))).status).toBe(404);
    expect((await (await fetch(`${a}/api/v1/sessions/default`, as(ALICE))).json()).messages).toHaveLength(2);
  });

  it("answers 404 for another user's run exactly as for an unknown one: events, resume, cancel, on both replicas", async () => {
    const result = await chat(a, ALICE, { message: 'Écris une phrase sur la mer', mode: 'plume' });
    const runId = result.run_id;
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const base of [a, b]) {
      const own = await readSse(`${base}/api/v1/runs/${runId}/events`, as(ALICE));
      expectWellFormedRun(own);
      const theirs = await fetch(`${base}/api/v1/runs/${runId}/events`, as(BOB));
      const none = await fetch(`${base}/api/v1/runs/${unknown}/events`, as(BOB));
      expect(theirs.status).toBe(404);
      expect((await theirs.text()).replace(runId, 'ID')).toBe((await none.text()).replace(unknown, 'ID'));
      const resumed = await fetch(`${base}/api/v1/runs/${runId}/events`, as(BOB, { headers: { 'Last-Event-ID': own.ids[1] } }));
      expect(resumed.status).toBe(404);
      expect((await post(`${base}/api/v1/runs/${runId}/cancel`, BOB)).status).toBe(404);
    }
    // The owner still gets the usual answer: the run has ended.
    expect((await post(`${b}/api/v1/runs/${runId}/cancel`, ALICE)).status).toBe(409);
  });

  it('lets only the owner cancel a run in flight, from either replica', async () => {
    const started = await post(`${a}/api/v1/chat/orchestrated/stream`, ALICE, { message: 'Écris un long texte sur les phares de Bretagne', mode: 'plume' });
    const runId = started.headers.get('x-run-id')!;
    expect((await post(`${b}/api/v1/runs/${runId}/cancel`, BOB)).status).toBe(404);
    expect((await post(`${b}/api/v1/runs/${runId}/cancel`, ALICE)).status).toBe(202);
    const text = await started.text();
    expect(text).toContain('"code":"cancelled"');
  });

  it("keeps notes apart, and Mimir never cites another user's note", async () => {
    const aliceNote = await (await post(`${a}/api/v1/notes`, ALICE, { title: 'Code du portail', content: 'Le code du portail zorblax est 1111.' })).json();
    const bobNote = await (await post(`${b}/api/v1/notes`, BOB, { title: 'Code du portail', content: 'Le code du portail zorblax est 2222.' })).json();
    const aliceList = await (await fetch(`${b}/api/v1/notes`, as(ALICE))).json();
    expect(aliceList.notes.map((n: { id: string }) => n.id)).toEqual([aliceNote.id]);
    expect((await fetch(`${b}/api/v1/notes/${aliceNote.id}`, as(BOB))).status).toBe(404);
    expect((await fetch(`${a}/api/v1/notes/${aliceNote.id}`, as(BOB, { method: 'DELETE' }))).status).toBe(404);
    expect((await fetch(`${a}/api/v1/notes/${aliceNote.id}`, as(ALICE))).status).toBe(200);
    const cites = async (key: string) => {
      const res = await post(`${a}/api/v1/chat/orchestrated/stream`, key, { message: 'Cherche le code du portail zorblax', mode: 'mimir' });
      const events = (await res.text())
        .split('\n')
        .filter((l) => l.startsWith('data: {'))
        .map((l) => JSON.parse(l.slice(6)));
      const complete = events.find((e) => e.type === 'complete') as CompleteEvent;
      return complete.result.metadata.clickable_objects?.map((c) => c.id) ?? [];
    };
    expect(await cites(ALICE)).toEqual([aliceNote.id]);
    expect(await cites(BOB)).toEqual([bobNote.id]);
  });

  it("lists only the caller's sessions and runs, and a run's status; 404 for the other's", async () => {
    const result = await chat(b, ALICE, { message: 'Premier message de la session voyage', mode: 'plume', session_id: 'voyage' });
    const { sessions } = await (await fetch(`${a}/api/v1/sessions`, as(ALICE))).json();
    expect(sessions.map((s: { session_id: string }) => s.session_id)).toContain('voyage');
    expect(sessions.find((s: { session_id: string }) => s.session_id === 'voyage')).toMatchObject({
      title: 'Premier message de la session voyage',
      active_run_id: null,
    });
    const bobSessions = await (await fetch(`${a}/api/v1/sessions`, as(BOB))).json();
    expect(bobSessions.sessions.map((s: { session_id: string }) => s.session_id)).not.toContain('voyage');
    const runs = await (await fetch(`${a}/api/v1/sessions/voyage/runs`, as(ALICE))).json();
    expect(runs.runs).toEqual([expect.objectContaining({ run_id: result.run_id, status: 'completed' })]);
    expect((await fetch(`${b}/api/v1/sessions/voyage/runs`, as(BOB))).status).toBe(404);
    const status = await (await fetch(`${b}/api/v1/runs/${result.run_id}`, as(ALICE))).json();
    expect(status).toMatchObject({ run_id: result.run_id, session_id: 'voyage', status: 'completed', result: { response: result.response } });
    const theirs = await fetch(`${a}/api/v1/runs/${result.run_id}`, as(BOB));
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toMatchObject({ code: 'run_not_found' });
  });

  it('mints a stream token for a plain EventSource: bound to one run and its owner', async () => {
    const mine = await chat(a, ALICE, { message: 'Bonjour', mode: 'plume' });
    const other = await chat(a, ALICE, { message: 'Bonsoir', mode: 'plume' });
    expect((await post(`${b}/api/v1/runs/${mine.run_id}/stream-token`, BOB)).status).toBe(404);
    const minted = await post(`${b}/api/v1/runs/${mine.run_id}/stream-token`, ALICE);
    expect(minted.status).toBe(201);
    const { token } = await minted.json();
    const followed = await readSse(`${a}/api/v1/runs/${mine.run_id}/events?access_token=${token}`);
    expect(expectWellFormedRun(followed)).toMatchObject({ type: 'complete', result: { run_id: mine.run_id } });
    const elsewhere = await fetch(`${a}/api/v1/runs/${other.run_id}/events?access_token=${token}`);
    expect(elsewhere.status).toBe(401);
    expect((await fetch(`${a}/api/v1/notes?access_token=${token}`)).status).toBe(401);
  });

  it('refuses a revoked key on the other replica within a second', async () => {
    const store = new ApiKeyStore(stack.redis, stack.config.KODA_PREFIX);
    const { key } = await store.create('carol');
    expect((await fetch(`${b}/api/v1/notes`, as(key))).status).toBe(200);
    expect(await store.revoke('carol')).toBe(1);
    const revokedAt = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - revokedAt < 1000) status = (await fetch(`${a}/api/v1/notes`, as(key))).status;
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });
});

describe('identity: JWT mode', () => {
  const secret = 'a-test-secret-of-at-least-32-characters!';
  let stack: KodaStack;
  let app: INestApplication;
  let url: string;
  const sign = (claims: { iss?: string; exp?: number | string; key?: string; sub?: string }) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub ?? 'dana')
      .setIssuer(claims.iss ?? 'https://idp.test')
      .setAudience('koda')
      .setExpirationTime(claims.exp ?? '5m')
      .sign(new TextEncoder().encode(claims.key ?? secret));

  beforeAll(async () => {
    stack = await startStack('identity-jwt', { agents: [], orchestrator: false, config: { KODA_NOTES_DIR: '' } });
    const config: KodaConfig = Object.assign(Object.create(Object.getPrototypeOf(stack.config)), stack.config, {
      PORT: 0,
      KODA_AUTH: 'jwt',
      KODA_JWT_SECRET: secret,
      KODA_JWT_ISSUER: 'https://idp.test',
      KODA_JWT_AUDIENCE: 'koda',
    });
    app = await bootstrapGateway(config, createLogger('identity-jwt', 'silent'));
    url = `${urlOf(app)}/api/v1/notes`;
  });
  afterAll(async () => {
    await app.close();
    await stack.close();
  });

  it('lets a valid token in as its subject', async () => {
    const res = await fetch(url, as(await sign({})));
    expect(res.status).toBe(200);
  });

  it.each([
    ['expired', () => sign({ exp: Math.floor(Date.now() / 1000) - 60 }), 'token_expired'],
    ['from the wrong issuer', () => sign({ iss: 'https://evil.test' }), 'invalid_credentials'],
    ['badly signed', () => sign({ key: 'another-secret-of-at-least-32-characters' }), 'invalid_credentials'],
  ])('answers 401 to a token %s', async (_, token, code) => {
    const res = await fetch(url, as(await token()));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ statusCode: 401, code });
  });
});

describe('identity: edge hygiene', () => {
  it('sends security headers, and CORS only to the allowed origins', async () => {
    const stack = await startStack('identity-edge', {
      agents: [],
      orchestrator: false,
      config: { KODA_NOTES_DIR: '', KODA_CORS_ORIGINS: 'http://allowed.test' },
    });
    try {
      const res = await fetch(`${stack.baseUrl}/api/v1/notes`, { headers: { origin: 'http://allowed.test' } });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('access-control-allow-origin')).toBe('http://allowed.test');
      const preflight = await fetch(`${stack.baseUrl}/api/v1/chat/orchestrated`, {
        method: 'OPTIONS',
        headers: { origin: 'http://allowed.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      const other = await fetch(`${stack.baseUrl}/api/v1/notes`, { headers: { origin: 'http://evil.test' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await stack.close();
    }
  });
});

describe('identity: KODA_AUTH=none', () => {
  it('refuses to start on a non-loopback address, saying why; KODA_ALLOW_ANONYMOUS=true overrides', async () => {
    const stack = await startStack('identity-none', { agents: [], orchestrator: false, config: { KODA_NOTES_DIR: '' } });
    try {
      const config = { ...stack.config, PORT: 0, HOST: '0.0.0.0' };
      await expect(bootstrapGateway(config, createLogger('identity-none', 'silent'))).rejects.toThrow(/KODA_AUTH=none.*HOST=0\.0\.0\.0/);
      const app = await bootstrapGateway({ ...config, KODA_ALLOW_ANONYMOUS: true }, createLogger('identity-none', 'silent'));
      await app.close();
    } finally {
      await stack.close();
    }
  });
});
