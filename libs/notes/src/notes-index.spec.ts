import type { Note, NotesLogEntry } from '@koda/contracts';
import { join } from 'node:path';
import { listMarkdownFiles, readMarkdownNote } from './import-notes-dir';
import { NotesIndex } from './notes-index';
import { extractSearchQuery } from './query-extract';

const NOTES_DIR = join(__dirname, '../../../notes');

function note(id: string, title: string, content: string, tags: string[] = []): Note {
  return { id, title, content, tags, created_at: '2024-01-01T00:00:00.000Z' };
}
const added = (n: Note): NotesLogEntry => ({ type: 'note_added', note: n });

describe('NotesIndex folding', () => {
  const redis = note('n1', 'Redis Streams', 'XADD appends, XREAD BLOCK waits for new entries.', ['redis']);
  const bread = note('n2', 'Sourdough', 'Feed the starter the evening before baking.', ['baking']);

  it('is idempotent: replaying the same entries yields the same index', () => {
    const once = new NotesIndex();
    once.applyAll([added(redis), added(bread)]);
    const twice = new NotesIndex();
    twice.applyAll([added(redis), added(bread), added(redis), added(bread)]);
    expect(twice.size).toBe(2);
    expect(twice.search('xread', 5)).toEqual(once.search('xread', 5));
    expect(twice.apply(added(redis))).toBe(false);
  });

  it('removes a note from results and ignores unknown removals', () => {
    const index = new NotesIndex();
    index.applyAll([added(redis), added(bread), { type: 'note_removed', id: 'n1' }]);
    expect(index.size).toBe(1);
    expect(index.search('xread')).toEqual([]);
    expect(index.apply({ type: 'note_removed', id: 'n1' })).toBe(false);
    expect(index.apply({ type: 'note_removed', id: 'nope' })).toBe(false);
  });

  it('replaces a note re-added under the same id', () => {
    const index = new NotesIndex();
    index.applyAll([added(redis), added({ ...redis, content: 'Consumer groups share the work.' })]);
    expect(index.size).toBe(1);
    expect(index.search('xread')).toEqual([]);
    expect(index.search('consumer groups')[0]?.id).toBe('n1');
  });

  it('re-adds a removed note', () => {
    const index = new NotesIndex();
    index.applyAll([added(redis), { type: 'note_removed', id: 'n1' }, added(redis)]);
    expect(index.search('xread')[0]?.id).toBe('n1');
  });

  it('lists all notes oldest first', () => {
    const index = new NotesIndex();
    index.applyAll([added({ ...bread, created_at: '2025-01-01T00:00:00Z' }), added(redis)]);
    expect(index.all().map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(index.get('n2')?.title).toBe('Sourdough');
  });
});

describe('NotesIndex search over the sample corpus', () => {
  const index = new NotesIndex();
  beforeAll(async () => {
    const files = await listMarkdownFiles(NOTES_DIR);
    for (const file of files) index.apply(added((await readMarkdownNote(NOTES_DIR, file)) as Note));
  });

  it('holds the whole sample corpus', () => {
    expect(index.size).toBeGreaterThanOrEqual(32);
  });

  it.each([
    ["cherche dans mes notes ce que j'ai écrit sur Redis Streams", 'Redis Streams'],
    ['Qu’est-ce que j’ai noté sur le sommeil ?', 'sommeil'],
    ['recette de ratatouille', 'ratatouille'],
    ['soupe de lentilles', 'lentilles'],
    ['voyage au japon', 'Japon'],
    ['réunion Atlas mise en production', 'Atlas'],
    ['asyncio pièges', 'asyncio'],
    ['What did I write about Server-Sent Events?', 'Server-Sent Events'],
    ['sourdough bread', 'Sourdough'],
    ['search my notes for git rebase', 'Git'],
    ['postgres index', 'PostgreSQL'],
    ['deep work', 'Deep Work'],
    ['typescript discriminated unions', 'discriminated unions'],
    ['running plan 10k', 'Running'],
    ['Lisbonne', 'Lisbon'],
  ])('"%s" finds the note titled like "%s"', (message, title) => {
    const hits = index.search(extractSearchQuery(message), 3);
    expect(hits[0]?.title).toContain(title);
  });

  it.each(['quantum chromodynamics', 'xyzzy blorp frobnicate', 'football world cup', 'zèbre girafe'])('nonsense or unrelated "%s" finds nothing', (query) => {
    expect(index.search(query, 5)).toEqual([]);
  });

  it('finds nothing for an empty or stop-word-only query', () => {
    expect(index.search('', 5)).toEqual([]);
    expect(index.search('le la les the of', 5)).toEqual([]);
  });

  it('lowers the score of a note by the share of the query it misses, without collapsing it', () => {
    // "lessons" is in a note's title; "piano" in no note.
    const [full] = index.search('lessons', 1);
    const [half] = rankedAll('piano lessons');
    expect(half.id).toBe(full.id);
    expect(half.score).toBeLessThan(full.score * 0.7);
    expect(half.score).toBeGreaterThan(full.score * 0.3);
  });

  it('cites nothing for a question whose subject no note holds, even when a generic word matches', () => {
    for (const q of ['Mes notes sur le parapente ?', 'What did I write about the plumber?', 'quantum chromodynamics lecture']) {
      expect(index.search(q, 5)).toEqual([]);
    }
  });

  it('finds a note from a question in the other language, a paraphrase, a typo, or a long message', () => {
    expect(index.search('What did I note about sleep?', 3)[0]?.title).toContain('sommeil');
    expect(index.search('Quelles sont mes astuces pour le pain au levain ?', 3)[0]?.title).toContain('Sourdough');
    expect(index.search('meditaton log', 3)[0]?.title).toContain('Meditation');
    const chatty =
      "Salut ! J'ai passé une journée épuisante et je n'arrive plus à me concentrer. Tu peux me rappeler ce que j'avais noté sur le livre Deep Work ?";
    expect(index.search(chatty, 3)[0]?.title).toContain('Deep Work');
  });

  function rankedAll(query: string) {
    const all = new NotesIndex({ minScore: 0 });
    for (const n of index.all()) all.apply(added(n));
    return all.search(query, 1);
  }

  it('returns normalised scores, best first, at most k hits', () => {
    const hits = index.search('habitudes', 2);
    expect(hits.length).toBe(2);
    for (const hit of hits) {
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThanOrEqual(1);
    }
    expect(hits[0].score).toBeGreaterThanOrEqual(hits[1].score);
  });

  it('gives the best-matching passage as snippet, at most 240 chars', () => {
    const [hit] = index.search('XREAD bloquant', 1);
    expect(hit.snippet).toMatch(/XREAD BLOCK/);
    for (const h of index.search('python', 5)) expect(h.snippet.length).toBeLessThanOrEqual(240);
  });

  it('returns the full note with the hit', () => {
    const [hit] = index.search('ratatouille', 1);
    expect(hit.content).toContain('aubergines');
    expect(hit.tags).toContain('recette');
    expect(hit.id).toMatch(/^md-recette-ratatouille-/);
  });

  it('folds accents and case', () => {
    expect(index.search('MEDITATION', 1)[0]?.title).toContain('Meditation');
    expect(index.search('meditation', 1)).toEqual(index.search('méditation', 1));
  });
});
