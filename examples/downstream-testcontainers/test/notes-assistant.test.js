// The app's integration suite: a real KODA (Redis + services) in Docker, started per suite.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'; // where the reaper image cannot be pulled
const { KodaStack } = require('@koda/testcontainers');
const { ask, resume, citedNotes } = require('../src/notes-assistant');

describe('notes assistant, against a real KODA', () => {
  let koda;
  beforeAll(async () => {
    // KODA_IMAGE / KODA_REDIS_IMAGE pick the images (defaults: koda:latest, redis:7-bookworm).
    koda = await KodaStack.start({ notes: { 'potager.md': '# Potager\n\nSemer les radis en mars, arroser le soir.' } });
  });
  afterAll(() => koda?.stop());

  it('streams an answer over SSE', async () => {
    const answer = await ask(koda.baseUrl, 'Reformule : le marché est avancé à samedi matin', 'plume');
    expect(answer.terminal.type).toBe('complete');
    expect(answer.text).toBe(answer.terminal.result.response);
    expect(answer.text.length).toBeGreaterThan(10);
  });

  it('resumes a run after the last event it saw', async () => {
    const answer = await ask(koda.baseUrl, 'Rédige un mot pour remercier les voisins', 'plume');
    const seen = 2;
    const rest = await resume(koda.baseUrl, answer.runId, answer.events[seen - 1].id);
    expect(rest.map((e) => e.id)).toEqual(answer.events.slice(seen).map((e) => e.id));
  });

  it('shows the note Mimir cites', async () => {
    const note = await koda.addNote({ title: 'Vélo', content: 'Le dérailleur arrière se règle avec la vis de butée basse.' });
    const cited = await citedNotes(koda.baseUrl, 'Cherche dans mes notes comment régler le dérailleur');
    expect(cited.map((c) => c.id)).toContain(note.id);
  });
});
