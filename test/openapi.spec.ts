import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { startStack, type KodaStack } from '@koda/testing';

/** The committed description; regenerate with `UPDATE_OPENAPI=1 npx jest test/openapi.spec.ts && npx prettier --write docs/openapi.json`. */
const COMMITTED = path.resolve(__dirname, '..', 'docs', 'openapi.json');

describe('OpenAPI', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('openapi', { agents: [], orchestrator: false, config: { KODA_AUTH: 'apikey', KODA_NOTES_DIR: '' } });
  });
  afterAll(() => stack.close());

  it('serves the description without credentials, and it matches docs/openapi.json', async () => {
    const res = await fetch(`${stack.baseUrl}/api/openapi.json`);
    expect(res.status).toBe(200);
    const served = await res.json();
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(COMMITTED, `${JSON.stringify(served, null, 2)}\n`);
    expect(served).toEqual(JSON.parse(readFileSync(COMMITTED, 'utf8')));
    for (const route of [
      '/api/v1/chat/orchestrated/stream',
      '/api/v1/runs/{run_id}/events',
      '/api/v1/sessions',
      '/api/v1/runs/{run_id}/stream-token',
      '/api/v1/notes/{id}',
    ]) {
      expect(Object.keys(served.paths)).toContain(route);
    }
    expect(served.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(served.components.schemas.ChatRequestDto.properties)).toEqual(['message', 'mode', 'session_id', 'multitask_strategy', 'webhook']);
    const stream = served.paths['/api/v1/chat/orchestrated/stream'].post.responses;
    expect(stream['200'].content['text/event-stream'].schema).toEqual({ $ref: '#/components/schemas/RunEvent' });
    expect(Object.keys(stream)).toEqual(expect.arrayContaining(['400', '401', '409', '413', '422', '429', '503']));
    expect(stream['429'].headers).toHaveProperty('Retry-After');
    expect(served.paths['/health/ready'].get.security).toEqual([]);
    expect((await fetch(`${stack.baseUrl}/api/docs`)).status).toBe(200);
    expect((await fetch(`${stack.baseUrl}/api/v1/notes`)).status).toBe(401);
  });
});
