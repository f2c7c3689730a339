import * as http from 'node:http';
import { LIMITS } from '@koda/contracts';
import { deleteKeys, jobsInAllQueues, startStack, type KodaStack } from '@koda/testing';

interface Probe {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** A small deterministic PRNG, so a failure names a probe that can be replayed. */
function prng(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const CHAT = ['/api/v1/chat/orchestrated/stream', '/api/v1/chat/orchestrated'];
const BAD_IDS = ['x{y}', 'a b', 'é', '*', 'a'.repeat(129), '..%2F..', '%00', 'a%0Ab', '{run}', '[]'];
const BAD_EVENT_IDS = ['99999999999999999999-0', '18446744073709551616-1', '-1-0', '1--1', '1-0-0', 'abc', '1.5-0', '０-0', ' 1-0', '1-0;'];

function chatBodies(random: () => number): string[] {
  const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const keysFlood = `{${Array.from({ length: LIMITS.jsonMaxKeys + 5 }, (_, i) => `"k${i}":1`).join(',')},"message":"hi"}`;
  const fixed = [
    '[]',
    '[{"message":"hi"}]',
    '"just a string"',
    '42',
    'true',
    'null',
    '{}',
    '{"message":null}',
    '{"message":["a"]}',
    '{"message":{"$gt":""}}',
    '{"message":"hi","mode":["plume"]}',
    '{"message":"hi","mode":7}',
    '{"message":"hi","mode":"PLUME"}',
    '{"message":"hi","session_id":42}',
    '{"message":"hi","session_id":"x{y}"}',
    '{"message":"hi","session_id":""}',
    `{"message":"hi","session_id":"${'s'.repeat(LIMITS.sessionIdMaxChars + 1)}"}`,
    '{"message":"\\u0000\\u0000 "}',
    '{"message":"   "}',
    `{"message":"${'x'.repeat(LIMITS.messageMaxChars + 1)}"}`,
    deep(LIMITS.jsonMaxDepth + 1),
    deep(5000),
    keysFlood,
    '{"message":"hi"',
    '{"message":"hi"}}',
    '{"message":"\\ud800"',
    '\u0000',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{}}}',
  ];
  const random30 = Array.from({ length: 30 }, () => {
    const junk = Array.from({ length: 1 + Math.floor(random() * 40) }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join('');
    return random() < 0.5 ? junk : `{"message":${JSON.stringify(junk)},"mode":${JSON.stringify(junk.slice(0, 5))}}`;
  });
  return [...fixed, ...random30];
}

function probes(): Probe[] {
  const random = prng(20261130);
  const list: Probe[] = [];
  for (const body of chatBodies(random)) for (const path of CHAT) list.push({ name: `POST ${path} ${body.slice(0, 40)}`, method: 'POST', path, body });
  list.push({ name: 'chat as text/plain', method: 'POST', path: CHAT[0], body: '{"message":"hi"}', headers: { 'content-type': 'text/plain' } });
  for (const body of [
    '{}',
    '{"title":"t"}',
    '{"title":"t","content":""}',
    '{"title":"t","content":"c","tags":"x"}',
    `{"title":"t","content":"c","tags":[${'"a",'.repeat(LIMITS.noteTagsMax)}"a"]}`,
    '{"title":1,"content":2}',
    '[]',
  ]) {
    list.push({ name: `POST notes ${body.slice(0, 40)}`, method: 'POST', path: '/api/v1/notes', body });
  }
  for (const id of BAD_IDS) {
    const p = encodeURIComponent(id).replace(/%25/g, '%');
    list.push({ name: `events of ${id}`, method: 'GET', path: `/api/v1/runs/${p}/events` });
    list.push({ name: `cancel ${id}`, method: 'POST', path: `/api/v1/runs/${p}/cancel` });
    list.push({ name: `session ${id}`, method: 'GET', path: `/api/v1/sessions/${p}` });
    list.push({ name: `delete session ${id}`, method: 'DELETE', path: `/api/v1/sessions/${p}` });
    list.push({ name: `note ${id}`, method: 'GET', path: `/api/v1/notes/${p}` });
    list.push({ name: `delete note ${id}`, method: 'DELETE', path: `/api/v1/notes/${p}` });
  }
  for (const id of BAD_EVENT_IDS) {
    // HTTP trims header values, and fetch refuses non-Latin-1 ones: those go by query only.
    if (/^[\x21-\x7e]+$/.test(id)) list.push({ name: `Last-Event-ID ${id}`, method: 'GET', path: '/api/v1/runs/r1/events', headers: { 'Last-Event-ID': id } });
    list.push({ name: `last_event_id ${id}`, method: 'GET', path: `/api/v1/runs/r1/events?last_event_id=${encodeURIComponent(id)}` });
  }
  list.push({ name: 'last_event_id[]', method: 'GET', path: '/api/v1/runs/r1/events?last_event_id[]=1-0' });
  list.push({ name: 'last_event_id[a]', method: 'GET', path: '/api/v1/runs/r1/events?last_event_id[a]=1-0' });
  list.push({ name: 'last_event_id twice', method: 'GET', path: '/api/v1/runs/r1/events?last_event_id=1-0&last_event_id=2-0' });
  return list;
}

async function keysOf(stack: KodaStack): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, page] = await stack.redis.scan(cursor, 'MATCH', `${stack.config.KODA_PREFIX}:*`, 'COUNT', 1000);
    found.push(...page.filter((k) => !k.includes(':gateway:')));
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

describe('hostile input: every malformed request is a 4xx naming its field, and changes nothing', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('hostile', { agents: [], orchestrator: false });
  });
  afterAll(async () => {
    await deleteKeys(stack.redis, stack.config.KODA_PREFIX);
    await stack.close();
  });

  it(`answers ${probes().length} malformed requests across all routes with 4xx and a named field`, async () => {
    const all = probes();
    expect(all.length).toBeGreaterThanOrEqual(100);
    const before = await keysOf(stack);
    const failures: string[] = [];
    for (const probe of all) {
      const res = await fetch(`${stack.baseUrl}${probe.path}`, {
        method: probe.method,
        headers: { 'content-type': 'application/json', ...probe.headers },
        body: probe.body,
        signal: AbortSignal.timeout(5000),
      }).catch((error: Error) => ({ failed: String(error) }));
      if ('failed' in res) {
        failures.push(`${probe.name} → ${res.failed}`);
        continue;
      }
      const text = await res.text().catch((error: Error) => `(body unreadable: ${error.message})`);
      let named: boolean;
      try {
        const json = JSON.parse(text);
        named =
          Array.isArray(json.fields) &&
          json.fields.length > 0 &&
          json.fields.every((f: { field: string }) => typeof f.field === 'string' && f.field.length > 0);
      } catch {
        named = false;
      }
      if (res.status < 400 || res.status >= 500 || !named) failures.push(`${probe.name} → ${res.status} ${text.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
    expect(await jobsInAllQueues(stack)).toBe(0);
    expect(await keysOf(stack)).toEqual(before);
  });

  it('refuses a header meant once (Idempotency-Key, Last-Event-ID, Authorization) sent twice: 400 naming it, nothing started', async () => {
    const cases: [string, string, string][] = [
      ['POST', CHAT[0], 'Idempotency-Key'],
      ['GET', '/api/v1/runs/r1/events', 'Last-Event-ID'],
      ['GET', '/api/v1/sessions', 'Authorization'],
    ];
    for (const [method, path, header] of cases) {
      const values = header === 'Last-Event-ID' ? ['1-0', '2-0'] : header === 'Authorization' ? ['Bearer a', 'Bearer b'] : ['key-a', 'key-b'];
      const { status, body } = await rawRequest(
        `${stack.baseUrl}${path}`,
        method,
        { 'content-type': 'application/json', [header]: values },
        '{"message":"hi"}',
      );
      expect({ header, status, fields: (JSON.parse(body) as { fields: unknown }).fields }).toEqual({
        header,
        status: 400,
        fields: [{ field: header, errors: ['must be sent once'] }],
      });
    }
    expect(await jobsInAllQueues(stack)).toBe(0);
  });
});

/** A request through node:http, which sends an array header as repeated lines (fetch would join them). */
function rawRequest(url: string, method: string, headers: http.OutgoingHttpHeaders, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? body : undefined);
  });
}
