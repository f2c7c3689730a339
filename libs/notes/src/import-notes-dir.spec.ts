import Redis from 'ioredis';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys } from '@koda/contracts';
import { importNotesDir, importRegistryKey } from './import-notes-dir';
import { readAllNotes, readNotesLog, removeNote } from './notes-log';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SAMPLE_DIR = join(__dirname, '../../../notes');
const runId = `${process.pid}-${Date.now()}`;
const prefixes: string[] = [];
const connections: Redis[] = [];
let tmp: string;

function connect(): Redis {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  return redis;
}
function newPrefix(name: string): string {
  const prefix = `test-notes-import-${name}-${runId}`;
  prefixes.push(prefix);
  return prefix;
}
const logLength = (redis: Redis, prefix: string) => redis.xlen(keys.notesLog(prefix));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'koda-notes-'));
});

afterAll(async () => {
  const redis = connect();
  for (const prefix of prefixes) await redis.del(keys.notesLog(prefix), importRegistryKey(prefix));
  await Promise.all(connections.map((c) => c.quit()));
  await rm(tmp, { recursive: true, force: true });
});

describe('importNotesDir', () => {
  it('imports the sample corpus once, then skips every note', async () => {
    const redis = connect();
    const prefix = newPrefix('twice');
    const files = (await readdir(SAMPLE_DIR)).filter((f) => f.endsWith('.md'));
    const first = await importNotesDir(redis, prefix, SAMPLE_DIR);
    expect(first).toEqual({ imported: files.length, skipped: 0, invalid: 0 });
    const second = await importNotesDir(redis, prefix, SAMPLE_DIR);
    expect(second).toEqual({ imported: 0, skipped: files.length, invalid: 0 });
    expect(await logLength(redis, prefix)).toBe(files.length);
    const notes = await readAllNotes(redis, prefix);
    expect(notes.length).toBeGreaterThanOrEqual(32);
    const redisNote = notes.find((n) => n.source === 'file:redis-streams.md');
    expect(redisNote?.title).toBe("Redis Streams — notes d'apprentissage");
    expect(redisNote?.tags).toEqual(['redis', 'streams', 'backend']);
    expect(redisNote?.created_at).toBe('2024-02-03T00:00:00.000Z');
  });

  it('appends each note once when replicas import concurrently', async () => {
    const prefix = newPrefix('concurrent');
    const results = await Promise.all([0, 1, 2, 3].map(() => importNotesDir(connect(), prefix, SAMPLE_DIR)));
    const imported = results.reduce((sum, r) => sum + r.imported, 0);
    const files = (await readdir(SAMPLE_DIR)).filter((f) => f.endsWith('.md')).length;
    expect(imported).toBe(files);
    expect(results.every((r) => r.imported + r.skipped === files)).toBe(true);
    expect(await logLength(connect(), prefix)).toBe(files);
  });

  it('re-imports a note whose file changed, and only that one', async () => {
    const redis = connect();
    const prefix = newPrefix('changed');
    const dir = join(tmp, 'changed');
    await mkdir(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'a.md'), '---\ntitle: A\n---\nfirst version');
    await writeFile(join(dir, 'sub', 'b.md'), '# B title\nbody of b');
    await writeFile(join(dir, 'empty.md'), '---\ntitle: Empty\n---\n');
    await writeFile(join(dir, 'ignored.txt'), 'not a note');
    const warn = jest.fn();
    expect(await importNotesDir(redis, prefix, dir, { logger: { warn } })).toEqual({ imported: 2, skipped: 0, invalid: 1 });
    expect(warn).toHaveBeenCalledWith({ file: 'empty.md', reason: 'empty note' }, expect.any(String));
    await writeFile(join(dir, 'a.md'), '---\ntitle: A\n---\nsecond version');
    expect(await importNotesDir(redis, prefix, dir)).toEqual({ imported: 1, skipped: 1, invalid: 1 });
    const notes = await readAllNotes(redis, prefix);
    expect(notes.map((n) => [n.title, n.content]).sort()).toEqual([
      ['A', 'second version'],
      ['B title', '# B title\nbody of b'],
    ]);
  });

  it('does not resurrect a note removed through the API while its file is unchanged', async () => {
    const redis = connect();
    const prefix = newPrefix('removed');
    const dir = join(tmp, 'removed');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'gone.md'), '# Gone\nremove me');
    await importNotesDir(redis, prefix, dir);
    const [note] = await readAllNotes(redis, prefix);
    await removeNote(redis, prefix, note.id);
    expect(await importNotesDir(redis, prefix, dir)).toEqual({ imported: 0, skipped: 1, invalid: 0 });
    expect(await readAllNotes(redis, prefix)).toEqual([]);
  });

  it('imports again when the log was deleted but the registry survived', async () => {
    const redis = connect();
    const prefix = newPrefix('lostlog');
    const dir = join(tmp, 'lostlog');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'n.md'), '# N\ncontent');
    await importNotesDir(redis, prefix, dir);
    await redis.del(keys.notesLog(prefix));
    expect(await importNotesDir(redis, prefix, dir)).toEqual({ imported: 1, skipped: 0, invalid: 0 });
    expect((await readNotesLog(redis, prefix)).entries).toHaveLength(1);
  });
});
