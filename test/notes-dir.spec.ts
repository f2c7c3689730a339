import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { startStack } from '@koda/testing';

/** What the README promises about KODA_NOTES_DIR: the sample by default, your folder, or nothing. */
describe('KODA_NOTES_DIR', () => {
  const notesOf = async (baseUrl: string) => ((await (await fetch(`${baseUrl}/api/v1/notes`)).json()) as { notes: { title: string; tags: string[] }[] }).notes;

  it('"none" starts KODA with no notes at all', async () => {
    const stack = await startStack('notes-none', { agents: [], orchestrator: false, config: { KODA_NOTES_DIR: 'none' } });
    try {
      expect(await notesOf(stack.baseUrl)).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it('imports your own folder, with the front matter’s title and tags', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'koda-notes-'));
    writeFileSync(path.join(dir, 'courses.md'), '---\ntitle: Liste de courses\ntags: [maison, courses]\n---\n\n- pain\n- café\n');
    writeFileSync(path.join(dir, 'idee.md'), '# Une idée\n\nÉcrire moins, relire plus.\n');
    const stack = await startStack('notes-own', { agents: [], orchestrator: false, config: { KODA_NOTES_DIR: dir } });
    try {
      const notes = await notesOf(stack.baseUrl);
      expect(notes.map((n) => [n.title, n.tags]).sort()).toEqual([
        ['Liste de courses', ['maison', 'courses']],
        ['Une idée', []],
      ]);
    } finally {
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
