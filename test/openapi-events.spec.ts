import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { RunEventSchema, type RunEvent } from '@koda/contracts';
import { expectWellFormedRun, postJson, readSse, startStack, streamRun, type KodaStack } from '@koda/testing';

/**
 * The published OpenAPI document cannot drift from the code: every event type of
 * `libs/contracts` has a schema with exactly its fields, and the events and bodies of real runs
 * validate against the document as served, with every object closed (a field the code sends
 * but the document does not describe fails).
 */

type Schema = Record<string, unknown>;
/** Open on purpose (`passthrough` in contracts): agents may add keys to a result's metadata. */
const OPEN_SCHEMAS = new Set(['RunResultMetadata']);

/** OpenAPI 3.0 → JSON Schema for Ajv: objects closed, `nullable` as a type, no discriminator mapping. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'example' ? v : closed(v)]));
  if (out.properties && !('additionalProperties' in out)) out.additionalProperties = false;
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  delete out.nullable;
  if (out.discriminator) out.discriminator = { propertyName: (out.discriminator as Schema).propertyName };
  return out;
}

function validatorsOf(document: { components: { schemas: Record<string, Schema> } }): (name: string) => ValidateFunction {
  const ajv = new Ajv({ strict: false, discriminator: true, allErrors: true });
  addFormats(ajv);
  const schemas = Object.fromEntries(Object.entries(document.components.schemas).map(([name, s]) => [name, OPEN_SCHEMAS.has(name) ? s : closed(s)]));
  ajv.addSchema({ $id: 'koda', components: { schemas } });
  return (name) => ajv.getSchema(`koda#/components/schemas/${name}`)!;
}

/** The zod object of each event type, read the same way under zod 3 and zod 4. */
function contractEvents(): { type: string; keys: string[]; required: string[] }[] {
  return (RunEventSchema.options as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean }; value?: string }> }[]).map((option) => {
    const keys = Object.keys(option.shape);
    return { type: String(option.shape.type.value), keys, required: keys.filter((k) => !option.shape[k].safeParse(undefined).success) };
  });
}

describe('OpenAPI: the run events and bodies as the code sends them', () => {
  let stack: KodaStack;
  let document: { components: { schemas: Record<string, Schema> } };
  let schema: (name: string) => ValidateFunction;
  beforeAll(async () => {
    stack = await startStack('openapi-events', { config: { KODA_NOTES_DIR: 'notes', KODA_OFFLINE_TOKEN_DELAY_MS: 5 } });
    document = await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json();
    schema = validatorsOf(document);
  });
  afterAll(() => stack.close());

  const expectValid = (name: string, value: unknown) => {
    const validate = schema(name);
    const ok = validate(value);
    expect({ name, value, errors: ok ? null : validate.errors }).toEqual({ name, value, errors: null });
  };

  it('has one schema per event type of libs/contracts, with the same fields and the same required ones, in a discriminated oneOf', () => {
    const union = document.components.schemas.RunEvent as {
      oneOf: { $ref: string }[];
      discriminator: { propertyName: string; mapping: Record<string, string> };
    };
    const events = contractEvents();
    expect(events.length).toBeGreaterThanOrEqual(9);
    expect(union.discriminator.propertyName).toBe('type');
    expect(Object.keys(union.discriminator.mapping).sort()).toEqual(events.map((e) => e.type).sort());
    for (const event of events) {
      const ref = union.discriminator.mapping[event.type];
      expect(union.oneOf.map((o) => o.$ref)).toContain(ref);
      const published = document.components.schemas[ref.split('/').pop()!] as { properties: Schema; required?: string[]; type: string };
      expect({ type: event.type, keys: Object.keys(published.properties).sort(), required: [...(published.required ?? [])].sort() }).toEqual({
        type: event.type,
        keys: [...event.keys].sort(),
        required: [...event.required].sort(),
      });
      expect((published.properties.type as { enum: string[] }).enum).toEqual([event.type]);
    }
  });

  it('validates every event of a run in each mode, a cancelled run and a reset resume, and the JSON bodies around them', async () => {
    const seen = new Set<string>();
    const check = (events: RunEvent[]) => {
      for (const event of events) {
        expect(RunEventSchema.safeParse(event).success).toBe(true);
        expectValid('RunEvent', event);
        seen.add(event.type);
      }
    };
    const runs: string[] = [];
    for (const [mode, message] of [
      ['plume', 'Reformule : la réunion est déplacée à mardi'],
      ['mimir', 'Cherche ce que j’ai écrit sur le japonais'],
      ['discussion', 'Débattez : faut-il tout noter ?'],
      ['auto', 'Qu’ai-je noté sur mon voyage au Japon ?'],
    ]) {
      const result = await streamRun(stack.baseUrl, { message, mode, session_id: 'openapi' });
      expectWellFormedRun(result);
      check(result.events);
      runs.push(result.events[0].run_id);
    }

    // A reset: resuming one run after an id of another.
    const resumed = await readSse(`${stack.baseUrl}/api/v1/runs/${runs[0]}/events`, { headers: { 'Last-Event-ID': '1-0' } });
    expect(resumed.events[0].type).toBe('reset');
    check(resumed.events);

    // A cancelled run: the cancel answer, and the fatal error that ends its stream.
    let cancel: Promise<Response> | undefined;
    const cancelled = await streamRun(stack.baseUrl, { message: 'Débattez : faut-il tout noter ?', mode: 'discussion' }, (frame) => {
      if (frame.event?.type === 'token' && !cancel) cancel = fetch(`${stack.baseUrl}/api/v1/runs/${frame.event.run_id}/cancel`, { method: 'POST' });
      return false;
    });
    expect(expectWellFormedRun(cancelled)).toMatchObject({ type: 'error', code: 'cancelled' });
    check(cancelled.events);
    const cancelAnswer = await cancel!;
    expect(cancelAnswer.status).toBe(202);
    expectValid('CancelAccepted', await cancelAnswer.json());
    const cancelledId = cancelled.events[0].run_id;
    expect(['start', 'routing', 'processing', 'token', 'agent_message', 'search', 'complete', 'error', 'reset'].filter((t) => !seen.has(t))).toEqual([]);

    for (const runId of [...runs, cancelledId]) expectValid('RunSummary', await (await fetch(`${stack.baseUrl}/api/v1/runs/${runId}`)).json());
    expectValid('SessionList', await (await fetch(`${stack.baseUrl}/api/v1/sessions`)).json());
    expectValid('SessionRuns', await (await fetch(`${stack.baseUrl}/api/v1/sessions/openapi/runs`)).json());
    expectValid('SessionView', await (await fetch(`${stack.baseUrl}/api/v1/sessions/openapi`)).json());
    expectValid('StreamToken', await (await fetch(`${stack.baseUrl}/api/v1/runs/${runs[0]}/stream-token`, { method: 'POST' })).json());
    const note = await postJson(`${stack.baseUrl}/api/v1/notes`, { title: 'OpenAPI', content: 'Un schéma par événement.', tags: ['api'] });
    expect(note.status).toBe(201);
    expectValid('Note', await note.json());
    expectValid('NoteList', await (await fetch(`${stack.baseUrl}/api/v1/notes`)).json());
    const sync = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated`, { message: 'Bonjour', mode: 'plume' });
    expect(sync.status).toBe(200);
    expectValid('RunResult', await sync.json());
  });

  it('describes every refusal with the one error schema', async () => {
    const refusals = [
      await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated/stream`, { message: ' ', mode: 'bard' }),
      await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated/stream`, '{"message": '),
      await postJson(`${stack.baseUrl}/api/v1/notes`, { title: 'x', content: 'y'.repeat(300_000) }),
      await fetch(`${stack.baseUrl}/api/v1/runs/nope/events`),
      await fetch(`${stack.baseUrl}/api/v1/runs/bad%20id`),
      await fetch(`${stack.baseUrl}/api/v1/sessions/nope/runs`),
    ];
    expect(refusals.map((r) => r.status)).toEqual([400, 400, 413, 404, 400, 404]);
    for (const res of refusals) {
      const body = await res.json();
      expectValid('ApiError', body);
      expect(body.code).toMatch(/^[a-z_]+$/);
    }
    const paths = (document as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }).paths;
    for (const [route, operations] of Object.entries(paths)) {
      if (!route.startsWith('/api/v1/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        expect({ route, method, has401: '401' in operation.responses, has503: '503' in operation.responses }).toEqual({
          route,
          method,
          has401: true,
          has503: true,
        });
      }
    }
  });
});
