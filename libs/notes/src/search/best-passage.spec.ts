import { bestPassage } from './best-passage';

const NOTE = [
  '# Sourdough routine',
  '',
  '## Starter',
  '',
  'Feed the starter at 8 pm with equal weights of flour and water.',
  '',
  '## Baking',
  '',
  '- Preheat the oven to 250 °C with the Dutch oven inside.',
  '- Bake 20 minutes covered, then 25 minutes uncovered.',
].join('\n');

describe('bestPassage', () => {
  it('quotes the passage under a matching heading, not the heading', () => {
    expect(bestPassage(NOTE, new Map([['starter', 1]]))).toBe('Feed the starter at 8 pm with equal weights of flour and water.');
  });

  it('picks, under a heading, the passage that holds the query', () => {
    expect(
      bestPassage(
        NOTE,
        new Map([
          ['bake', 1],
          ['uncov', 1],
        ]),
      ),
    ).toBe('Bake 20 minutes covered, then 25 minutes uncovered.');
  });

  it('falls back to the first sentence under the title when nothing matches a passage', () => {
    expect(bestPassage(NOTE, new Map([['zzz', 1]]))).toBe('Feed the starter at 8 pm with equal weights of flour and water.');
  });
});
