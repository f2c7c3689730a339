import type { CompleteEvent, RunEvent } from '@koda/contracts';
import { FakeAnthropicServer, lastToolResults, scenarios } from '@koda/llm/testing';
import { noteIdFromPath } from '@koda/notes';
import { FakeEmbeddingsServer } from '../libs/notes/testing/fake-embeddings-server';
import { expectWellFormedRun, startStack, streamRun, type KodaStack } from '@koda/testing';

const SLEEP_NOTE = noteIdFromPath('sante-sommeil.md');
const searches = (events: RunEvent[]) => events.filter((e): e is Extract<RunEvent, { type: 'search' }> => e.type === 'search');
const cited = (complete: CompleteEvent) => (complete.result.metadata.clickable_objects ?? []).map((c) => c.id);

/** Mimir as a new user meets it, on the shipped notes: offline, then with a model that searches. */
describe('Mimir finds what you meant', () => {
  describe('offline', () => {
    let stack: KodaStack;
    beforeAll(async () => {
      stack = await startStack('mimir-search');
    });
    afterAll(() => stack.close());

    const ask = async (message: string) => expectWellFormedRun(await streamRun(stack.baseUrl, { message, mode: 'mimir' })) as CompleteEvent;

    it.each([
      ['an English question about a French note', 'What did I write about sleep?', 'sante-sommeil.md'],
      ['a paraphrase of a note subject', 'How do I bake bread with a starter?', 'recipe-sourdough.md'],
      [
        'a question inside a long friendly message',
        "Salut Mimir ! J'ai eu une semaine chargée, mon équipe me demande sans cesse des nouvelles de la migration. Bref. Qu'est-ce que j'avais noté sur le projet Atlas ?",
        'reunion-equipe-2024-03-12.md',
      ],
    ])('cites the right note for %s', async (_, message, file) => {
      const complete = await ask(message);
      expect(cited(complete)[0]).toBe(noteIdFromPath(file));
      expect(complete.result.response).toMatch(/Sources ?: \[1\]/);
    });

    it('lists only the notes it quotes, and returns only those as clickable objects', async () => {
      const complete = await ask('What did I write about sleep?');
      const sources = /Sources ?: (.*)$/m.exec(complete.result.response)?.[1] ?? '';
      expect(sources.match(/\[\d+\]/g)).toHaveLength(cited(complete).length);
    });

    it('cites nothing about a subject no note covers', async () => {
      const result = await streamRun(stack.baseUrl, { message: 'Hi! Do I have any notes about fixing my motorbike carburettor?', mode: 'mimir' });
      const complete = expectWellFormedRun(result) as CompleteEvent;
      expect(cited(complete)).toEqual([]);
      expect(searches(result.events)).toEqual([expect.objectContaining({ hits: 0 })]);
    });
  });

  describe('with a model that searches (search_notes tool)', () => {
    const fake = new FakeAnthropicServer();
    let stack: KodaStack;
    beforeAll(async () => {
      const baseURL = await fake.start();
      stack = await startStack('mimir-tools', {
        config: { ANTHROPIC_API_KEY: 'sk-test-key', ANTHROPIC_BASE_URL: baseURL, KODA_LLM_RETRY_BASE_MS: 5, KODA_LLM_RETRY_ATTEMPTS: 2 },
      });
    });
    afterEach(() => fake.reset());
    afterAll(async () => {
      await stack.close();
      await fake.stop();
    });

    it('lets the model search in both languages, shows each search, and cites the notes the answer used', async () => {
      fake.enqueue(
        scenarios.toolCalls([
          { name: 'search_notes', input: { query: 'sleep habits' } },
          { name: 'search_notes', input: { query: 'sommeil' } },
        ]),
        scenarios.text(`You aim for 7.5 hours and a fixed wake-up time [${SLEEP_NOTE}].`),
      );
      const result = await streamRun(stack.baseUrl, { message: 'How much do I sleep, according to my notes?', mode: 'mimir' });
      const complete = expectWellFormedRun(result) as CompleteEvent;
      expect(searches(result.events).map((e) => e.query)).toEqual(['sleep habits', 'sommeil']);
      expect(searches(result.events).every((e) => e.hits > 0)).toBe(true);
      const results = lastToolResults(fake.requests[1]).map((r) => JSON.parse(String(r.content)));
      expect(results[1].hits[0]).toMatchObject({ id: SLEEP_NOTE });
      expect(cited(complete)).toEqual([SLEEP_NOTE]);
      expect(complete.result.metadata).toMatchObject({ provider: 'anthropic' });
      expect(fake.requests[0].tools).toEqual([expect.objectContaining({ name: 'search_notes' })]);
    });

    it('answers from the offline search when the model is unreachable', async () => {
      fake.setDefault(scenarios.overloaded());
      const result = await streamRun(stack.baseUrl, { message: 'What did I write about sleep?', mode: 'mimir' });
      const complete = expectWellFormedRun(result) as CompleteEvent;
      expect(cited(complete)[0]).toBe(SLEEP_NOTE);
      expect(complete.result.metadata).toMatchObject({ provider: 'offline' });
      expect(searches(result.events)).toHaveLength(1);
    });
  });

  describe('with embeddings (KODA_EMBEDDINGS_URL)', () => {
    const embeddings = new FakeEmbeddingsServer({ synonyms: [['twowheeler', 'velo', 'vélo']] });
    let stack: KodaStack;
    beforeAll(async () => {
      process.env.KODA_EMBEDDINGS_URL = await embeddings.start();
      process.env.KODA_EMBEDDINGS_MIN_SIMILARITY = '0.2';
      stack = await startStack('mimir-embeddings', { agents: ['mimir'] });
    });
    afterAll(async () => {
      delete process.env.KODA_EMBEDDINGS_URL;
      delete process.env.KODA_EMBEDDINGS_MIN_SIMILARITY;
      await stack.close();
      await embeddings.stop();
    });

    it('embeds the notes as they enter the log and the question, and fuses both searches', async () => {
      const result = await streamRun(stack.baseUrl, { message: 'Do I have notes about my twowheeler?', mode: 'mimir' });
      const complete = expectWellFormedRun(result) as CompleteEvent;
      expect(cited(complete)[0]).toBe(noteIdFromPath('voyage-bretagne-velo.md'));
      const embeddedNotes = embeddings.requests.flatMap((r) => r.input).filter((text) => text.includes('\n'));
      expect(embeddedNotes.length).toBeGreaterThanOrEqual(30);
      expect(embeddings.requests.at(-1)?.input).toEqual(['twowheeler']);
    });

    it('answers lexically, never failing the run, while the endpoint is down', async () => {
      embeddings.down = true;
      const complete = expectWellFormedRun(await streamRun(stack.baseUrl, { message: 'What did I write about sleep?', mode: 'mimir' })) as CompleteEvent;
      embeddings.down = false;
      expect(cited(complete)[0]).toBe(SLEEP_NOTE);
    });
  });
});
