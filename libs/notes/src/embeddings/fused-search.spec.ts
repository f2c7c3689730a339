import type { Note } from '@koda/contracts';
import { FakeEmbeddingsServer } from '../../testing/fake-embeddings-server';
import { NotesIndex } from '../notes-index';
import { EmbeddingsClient, embeddingsEndpoint, parseEmbeddingsUrl } from './embeddings-client';
import { fusedSearch } from './fused-search';
import { NoteVectors } from './note-vectors';

const note = (id: string, title: string, content: string): Note => ({ id, title, content, tags: [], created_at: '2024-01-01T00:00:00.000Z' });
const NOTES = [
  note('car', 'Entretien de la voiture', 'Vidange tous les 15 000 km, pneus hiver en novembre.'),
  note('bread', 'Sourdough', 'Feed the starter the evening before baking.'),
  note('redis', 'Redis Streams', 'XADD appends, XREAD BLOCK waits for new entries.'),
];

describe('semantic search fused with the lexical one', () => {
  const fake = new FakeEmbeddingsServer({ synonyms: [['voiture', 'automobile', 'car']] });
  let url: string;
  beforeAll(async () => {
    url = await fake.start();
  });
  afterEach(() => {
    fake.down = false;
    fake.requests.length = 0;
  });
  afterAll(() => fake.stop());

  function setUp(model = 'fake-embed-1') {
    const index = new NotesIndex();
    const warn = jest.fn();
    const vectors = new NoteVectors(new EmbeddingsClient({ url, model }), { warn });
    for (const n of NOTES) {
      index.apply({ type: 'note_added', note: n });
      vectors.apply({ type: 'note_added', note: n });
    }
    return { index, vectors, warn };
  }

  it('embeds notes as they arrive, in one batch, and finds what the lexical search misses', async () => {
    const { index, vectors } = setUp();
    await vectors.flush();
    expect(vectors.size).toBe(3);
    expect(fake.requests[0]).toMatchObject({ model: 'fake-embed-1', input: expect.arrayContaining([expect.stringContaining('Sourdough')]) });
    expect(index.search('my automobile', 3)).toEqual([]);
    // The fake's bag-of-words vectors are far less similar than a real model's: a low bar.
    const hits = await fusedSearch(index, vectors, 'my automobile', 3, 0.25);
    expect(hits.map((h) => h.id)).toEqual(['car']);
    expect(await fusedSearch(index, vectors, 'my automobile', 3, 0.9)).toEqual([]);
  });

  it('keeps lexical hits first when both agree, and cites nothing when neither finds anything', async () => {
    const { index, vectors } = setUp();
    expect((await fusedSearch(index, vectors, 'xread block', 3))[0]?.id).toBe('redis');
    expect(await fusedSearch(index, vectors, 'quantum chromodynamics', 3)).toEqual([]);
  });

  it('re-embeds a note whose text changed, and forgets a removed one', async () => {
    const { vectors } = setUp();
    await vectors.flush();
    vectors.apply({ type: 'note_added', note: { ...NOTES[1], content: 'Bake at 250 °C.' } });
    vectors.apply({ type: 'note_removed', id: 'redis' });
    await vectors.flush();
    expect(fake.requests[1].input).toEqual([expect.stringContaining('Bake at 250')]);
    expect(vectors.size).toBe(2);
  });

  it('falls back to the lexical search with one warning when the endpoint is down', async () => {
    fake.down = true;
    const { index, vectors, warn } = setUp();
    await vectors.flush();
    const first = await fusedSearch(index, vectors, 'sourdough starter', 3);
    await fusedSearch(index, vectors, 'redis', 3);
    expect(first.map((h) => h.id)).toEqual(['bread']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][1]).toMatch(/lexically only/);
  });

  it('builds the endpoint URL and refuses a bad one naming the variable', () => {
    expect(embeddingsEndpoint('http://localhost:11434')).toBe('http://localhost:11434/v1/embeddings');
    expect(embeddingsEndpoint('http://h/v1/')).toBe('http://h/v1/embeddings');
    expect(embeddingsEndpoint('http://h/v1/embeddings')).toBe('http://h/v1/embeddings');
    expect(() => parseEmbeddingsUrl('localhost:11434')).toThrow(/KODA_EMBEDDINGS_URL/);
  });
});
