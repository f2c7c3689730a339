import Redis from 'ioredis';
import { keys, STREAM_FIELD, type Note } from '@koda/contracts';
import { appendNote, removeNote } from './notes-log';
import { NotesProjection } from './notes-projection';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test-notes-proj-${process.pid}-${Date.now()}`;
const admin = new Redis(REDIS_URL);
const projections: NotesProjection[] = [];
const connections: Redis[] = [admin];

const note = (id: string, title: string, content: string): Note => ({
  id,
  title,
  content,
  tags: [],
  created_at: '2024-01-01T00:00:00.000Z',
});

/** A replica: its own connection, its own projection. */
function replica(logger?: { warn: jest.Mock }): { redis: Redis; projection: NotesProjection } {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  const projection = new NotesProjection({ redis, prefix, logger, blockMs: 2_000 });
  projections.push(projection);
  return { redis, projection };
}

async function eventually(check: () => boolean, withinMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

afterAll(async () => {
  await Promise.all(projections.map((p) => p.stop()));
  await admin.del(keys.notesLog(prefix));
  await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
});

describe('NotesProjection', () => {
  it('folds the existing log before it is ready', async () => {
    await appendNote(admin, prefix, note('p1', 'Redis Streams', 'XREAD BLOCK waits for entries.'));
    await appendNote(admin, prefix, note('p2', 'Bread', 'Sourdough needs a starter.'));
    const { projection } = replica();
    await projection.start();
    await projection.ready;
    expect(projection.size).toBe(2);
    expect(projection.index.search('sourdough')[0]?.id).toBe('p2');
  });

  it('makes a note appended through one replica searchable on another within a second', async () => {
    const a = replica();
    const b = replica();
    await Promise.all([a.projection.start(), b.projection.start()]);
    await appendNote(a.redis, prefix, note('p3', 'Ratatouille', 'Cook each vegetable separately.'));
    const elapsed = await eventually(() => b.projection.index.search('ratatouille').length > 0, 1_000);
    expect(elapsed).toBeLessThan(1_000);
    await removeNote(b.redis, prefix, 'p3');
    await eventually(() => a.projection.index.search('ratatouille').length === 0, 1_000);
  });

  it('skips malformed live entries, reports them, and keeps following', async () => {
    const warn = jest.fn();
    const { projection } = replica({ warn });
    await projection.start();
    await admin.xadd(keys.notesLog(prefix), '*', STREAM_FIELD, '{"type":"note_added"}');
    await appendNote(admin, prefix, note('p4', 'Japan trip', 'Fushimi Inari at dawn.'));
    await eventually(() => projection.index.search('fushimi').length > 0, 1_000);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ reason: expect.any(String) }), expect.any(String));
    expect(projection.position).toBe((await admin.xrevrange(keys.notesLog(prefix), '+', '-', 'COUNT', 1))[0][0]);
  });

  it('stops promptly, closing its blocking connection', async () => {
    const blocking = new Redis(REDIS_URL);
    const projection = new NotesProjection({ redis: admin, prefix, blockingRedis: blocking, blockMs: 10_000 });
    await projection.start();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await projection.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(blocking.status).toBe('end');
    await projection.stop();
  });

  it('can be stopped before it was started', async () => {
    const blocking = new Redis(REDIS_URL);
    const projection = new NotesProjection({ redis: admin, prefix, blockingRedis: blocking });
    await projection.stop();
    expect(blocking.status).toBe('end');
  });
});
