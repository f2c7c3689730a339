import Redis from 'ioredis';
import { keys, STREAM_FIELD, type Note } from '@koda/contracts';
import { appendNote, readAllNotes, readNotesLog, removeNote } from './notes-log';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-notes-log-${process.pid}-${Date.now()}`;
const redis = new Redis(REDIS_URL);

const note = (id: string, created = '2024-01-01T00:00:00.000Z'): Note => ({
  id,
  title: `Title ${id}`,
  content: `Content of ${id}`,
  tags: ['t'],
  created_at: created,
});

afterAll(async () => {
  await redis.del(keys.notesLog(prefix));
  await redis.quit();
});

describe('notes log', () => {
  it('appends, removes and folds the log into the current notes', async () => {
    await appendNote(redis, prefix, note('a', '2024-01-02T00:00:00.000Z'));
    await appendNote(redis, prefix, note('b'));
    await appendNote(redis, prefix, { ...note('a', '2024-01-02T00:00:00.000Z'), title: 'A v2' });
    await appendNote(redis, prefix, note('c'));
    await removeNote(redis, prefix, 'c');
    const notes = await readAllNotes(redis, prefix);
    expect(notes.map((n) => [n.id, n.title])).toEqual([
      ['b', 'Title b'],
      ['a', 'A v2'],
    ]);
  });

  it('rejects an invalid note before writing it', async () => {
    const before = await redis.xlen(keys.notesLog(prefix));
    await expect(appendNote(redis, prefix, { ...note('x'), id: '' })).rejects.toThrow();
    expect(await redis.xlen(keys.notesLog(prefix))).toBe(before);
  });

  it('skips malformed entries and reports them', async () => {
    const key = keys.notesLog(prefix);
    await redis.xadd(key, '*', STREAM_FIELD, 'not json');
    await redis.xadd(key, '*', STREAM_FIELD, JSON.stringify({ type: 'note_added', note: { id: 'z' } }));
    await redis.xadd(key, '*', 'other', 'x');
    await appendNote(redis, prefix, note('d'));
    const warn = jest.fn();
    const { entries } = await readNotesLog(redis, prefix, { logger: { warn } });
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls.map(([obj]) => obj.reason)).toEqual(['not JSON', expect.stringMatching(/^note\./), `missing field "${STREAM_FIELD}"`]);
    expect(entries.at(-1)?.entry).toEqual({ type: 'note_added', note: note('d') });
  });

  it('pages through the log and resumes after a given id', async () => {
    const all = await readNotesLog(redis, prefix);
    const paged = await readNotesLog(redis, prefix, { pageSize: 2 });
    expect(paged).toEqual(all);
    const after = await readNotesLog(redis, prefix, { after: all.entries[1].id });
    expect(after.entries).toEqual(all.entries.slice(2));
    expect(after.lastId).toBe(all.lastId);
  });
});
