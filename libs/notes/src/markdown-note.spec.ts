import { noteContentHash, noteIdFromPath, parseFrontMatter, parseMarkdownNote } from './markdown-note';

describe('markdown notes', () => {
  it('reads title and tags from front-matter, in every list style', () => {
    expect(parseFrontMatter('title: "A: b"\ntags: [x, "y z"]')).toEqual({ title: 'A: b', tags: ['x', 'y z'] });
    expect(parseFrontMatter('tags:\n  - one\n  - two')).toEqual({ tags: ['one', 'two'] });
    const parsed = parseMarkdownNote('---\ntitle: T\ntags: a, b\ncreated: 2024-01-02\n---\n# H\nBody', 'x.md');
    expect(parsed).toEqual({ title: 'T', tags: ['a', 'b'], content: '# H\nBody', created: '2024-01-02' });
  });

  it('falls back to the first heading, then to the file name', () => {
    expect(parseMarkdownNote('intro\n# Heading here\ntext', 'f.md').title).toBe('Heading here');
    expect(parseMarkdownNote('just text', 'dir/my-note.md').title).toBe('my-note');
  });

  it('derives a stable, readable id from the relative path', () => {
    expect(noteIdFromPath('voyages/Japon été.md')).toBe(noteIdFromPath('voyages/Japon été.md'));
    expect(noteIdFromPath('voyages/Japon été.md')).toMatch(/^md-voyages-japon-ete-[0-9a-f]{8}$/);
    expect(noteIdFromPath('a/b.md')).not.toBe(noteIdFromPath('a-b.md'));
  });

  it('hashes what a note says', () => {
    const a = { title: 't', content: 'c', tags: ['x'] };
    expect(noteContentHash(a)).toBe(noteContentHash({ ...a }));
    expect(noteContentHash(a)).not.toBe(noteContentHash({ ...a, content: 'd' }));
  });
});
