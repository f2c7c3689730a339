import { bestSnippet, splitPassages, truncateAround } from './passages';

describe('passages', () => {
  it('splits Markdown into lines and sentences without markup', () => {
    const md = '# Title\n\n- **Bold** item with [a link](http://x)\n\nFirst one. Second one!\n```\ncode\n```';
    expect(splitPassages(md)).toEqual(['Title', 'Bold item with a link', 'First one.', 'Second one!', 'code']);
  });

  it('joins hard-wrapped paragraphs and list items before splitting sentences', () => {
    const md = 'A paragraph wrapped\nover two lines. Next one.\n- an item\n  continued here\n- second item';
    expect(splitPassages(md)).toEqual(['A paragraph wrapped over two lines.', 'Next one.', 'an item continued here', 'second item']);
  });

  it('prefers an exact mention over a longer word sharing the prefix', () => {
    const md = 'XREADGROUP shares the work between consumers.\nXREAD BLOCK waits for new entries.';
    expect(bestSnippet(md, ['xread'])).toBe('XREAD BLOCK waits for new entries.');
  });

  it('picks the passage with the most query terms', () => {
    const md = 'Redis is fast.\nA stream is an append-only log in Redis.\nUnrelated line.';
    expect(bestSnippet(md, ['stream', 'redi'])).toBe('A stream is an append-only log in Redis.');
  });

  it('truncates long passages around the first match, within the limit', () => {
    const text = `${'word '.repeat(80)}needle ${'tail '.repeat(60)}`.trim();
    const cut = truncateAround(text, ['needle'], 240);
    expect(cut.length).toBeLessThanOrEqual(240);
    expect(cut).toContain('needle');
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
  });
});
