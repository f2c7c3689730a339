import { Lexicon } from './lexicon';

describe('Lexicon', () => {
  const lexicon = new Lexicon('# comment\nsommeil sleep dormir\nlevain sourdough\nsolo');

  it('reads one concept a line, skipping comments and single words', () => {
    expect(lexicon.size).toBe(2);
  });

  it('relates a word to its translations and synonyms, in any inflection, not to itself', () => {
    expect(lexicon.related('sleeping')).toEqual(expect.arrayContaining(['sommeil', 'dorm']));
    expect(lexicon.related('sleeping')).not.toContain('sleep');
    expect(lexicon.related('Levain')).toContain('sourdough');
    expect(lexicon.related('unknown')).toEqual([]);
  });
});
