import type { RetrievedNote } from '../provider';
import { mimirAnswer } from './mimir-answer';

const hit = (id: string, title: string, content: string, score = 0.8): RetrievedNote => ({
  type: 'note',
  id,
  title,
  content,
  tags: [],
  snippet: content.slice(0, 100),
  score,
});

const hits = [
  hit(
    'n1',
    'Redis Streams — notes',
    '# Redis Streams\n\nUn stream Redis est un journal append-only.\n\n- XREAD BLOCK attend les nouvelles entrées.\n- XTRIM borne la taille du stream.',
  ),
  hit('n2', 'Event-driven architecture', 'We used BullMQ for jobs and Redis Streams for the event log. Dead letter queues catch failures.', 0.6),
];

describe('mimirAnswer', () => {
  it('answers from the hits, citing each one', () => {
    const answer = mimirAnswer("Cherche dans mes notes ce que j'ai écrit sur Redis Streams", hits);
    expect(answer).toContain("D'après vos notes, voici ce que j'ai trouvé sur « Redis Streams »");
    expect(answer).toContain('[1] "Redis Streams — notes" — Un stream Redis est un journal append-only.');
    expect(answer).toContain('[2] "Event-driven architecture"');
    expect(answer).toContain('Redis Streams for the event log');
    expect(answer).toContain('Sources : [1] "Redis Streams — notes", [2] "Event-driven architecture"');
  });

  it("quotes the passage under the heading the index matched, in the question's language", () => {
    const note = hit(
      'n3',
      'Sourdough bread routine',
      '# Sourdough\n\n## Starter\n\nFeed the starter at 8 pm with equal weights of flour and water.\n\n## Baking\n\nBake 45 minutes.',
      0.7,
    );
    note.snippet = 'Feed the starter at 8 pm with equal weights of flour and water.';
    const answer = mimirAnswer('Comment je nourris mon levain ?', [note]);
    expect(answer).toContain('[1] "Sourdough bread routine" — Feed the starter at 8 pm with equal weights of flour and water.');
  });

  it('lists as sources only the notes the answer quotes', () => {
    const weak = hit('n9', 'Python tips', 'Use enumerate instead of range(len(x)) in loops.', 0.2);
    const answer = mimirAnswer('What did I write about Redis Streams?', [...hits, weak]);
    expect(answer).toContain('Sources: [1] "Redis Streams — notes", [2] "Event-driven architecture"');
    expect(answer).not.toContain('Python tips');
  });

  it('answers in English to an English question', () => {
    const answer = mimirAnswer('What did I write about Redis Streams?', hits);
    expect(answer).toMatch(/^Here is what your notes say about “Redis Streams”/);
    expect(answer).toContain('The most relevant note is [1] "Redis Streams — notes".');
  });

  it('says clearly that no note matches, and cites nothing', () => {
    const fr = mimirAnswer('Que disent mes notes sur la physique quantique ?', []);
    expect(fr).toContain("Je n'ai trouvé aucune note qui corresponde à « physique quantique »");
    const en = mimirAnswer('Search my notes for quantum physics', []);
    expect(en).toContain('I found no note matching “quantum physics”');
    for (const answer of [fr, en]) expect(answer).not.toMatch(/\[\d+\]/);
  });
});
