import type { CompleteEvent } from '@koda/contracts';
import { expectWellFormedRun, postJson, startStack, streamRun, type KodaStack } from '@koda/testing';

describe('Mimir and the notes API', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('notes');
  });
  afterAll(() => stack.close());

  const notesUrl = () => `${stack.baseUrl}/api/v1/notes`;

  it('imports the sample corpus at start', async () => {
    const { notes } = await (await fetch(notesUrl())).json();
    expect(notes.length).toBeGreaterThanOrEqual(30);
  });

  it('cites a note added a moment earlier through the API', async () => {
    const res = await postJson(notesUrl(), {
      title: 'Cuisson du kouign-amann',
      content: 'Le kouign-amann se cuit 35 minutes à 200 °C, beurre demi-sel obligatoire.',
      tags: ['recette'],
    });
    expect(res.status).toBe(201);
    const note = await res.json();
    expect(note).toMatchObject({ id: expect.any(String), title: 'Cuisson du kouign-amann', tags: ['recette'] });
    const result = await streamRun(stack.baseUrl, { message: 'Cherche dans mes notes la cuisson du kouign-amann', mode: 'mimir' });
    const complete = expectWellFormedRun(result) as CompleteEvent;
    expect(complete.result.metadata.clickable_objects?.[0]).toMatchObject({ type: 'note', id: note.id, title: 'Cuisson du kouign-amann' });
    expect(complete.result.response).toContain('kouign-amann');
  });

  it('says so and cites nothing when no note matches', async () => {
    const result = await streamRun(stack.baseUrl, { message: 'Cherche mes notes sur la chromodynamique quantique', mode: 'mimir' });
    const complete = expectWellFormedRun(result) as CompleteEvent;
    expect(complete.result.metadata.clickable_objects).toEqual([]);
    expect(result.events.find((e) => e.type === 'search')).toMatchObject({ hits: 0 });
  });

  it('removes a note: 204, then 404, and Mimir no longer finds it', async () => {
    const note = await (await postJson(notesUrl(), { title: 'Code du portail', content: 'Le code du portail zorblax est 4821.' })).json();
    expect((await fetch(`${notesUrl()}/${note.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${notesUrl()}/${note.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${notesUrl()}/${note.id}`)).status).toBe(404);
    const complete = expectWellFormedRun(await streamRun(stack.baseUrl, { message: 'Cherche le code du portail zorblax', mode: 'mimir' })) as CompleteEvent;
    expect(complete.result.metadata.clickable_objects?.map((c) => c.id)).not.toContain(note.id);
  });

  it.each([
    [{ content: 'x' }, 'title'],
    [{ title: 'x', content: '   ' }, 'content'],
    [{ title: 'x', content: 'y', tags: 'nope' }, 'tags'],
    [{ title: 'x'.repeat(301), content: 'y' }, 'title'],
  ])('rejects a bad note %j naming %s', async (body, field) => {
    const res = await postJson(notesUrl(), body);
    expect(res.status).toBe(400);
    expect((await res.json()).fields.map((f: { field: string }) => f.field)).toContain(field);
  });
});
