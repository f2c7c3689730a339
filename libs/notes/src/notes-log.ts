import type { Redis } from 'ioredis';
import { keys, NoteSchema, NotesLogEntrySchema, STREAM_FIELD, streamEntryJson, type Note, type NotesLogEntry } from '@koda/contracts';

/** Where malformed log entries are reported (a pino logger fits). */
export interface NotesLogger {
  warn(obj: object, msg: string): void;
}

/** A raw stream entry as ioredis returns it: `[id, [field, value, ...]]`. */
export type RawStreamEntry = [id: string, fields: string[]];

export interface LoggedEntry {
  id: string;
  entry: NotesLogEntry;
}

const PAGE_SIZE = 500;

/** Append a note (added or replaced: the log is folded last-write-wins by id). */
export async function appendNote(redis: Redis, prefix: string, note: Note): Promise<string> {
  const entry: NotesLogEntry = { type: 'note_added', note: NoteSchema.parse(note) };
  return appendEntry(redis, prefix, entry);
}

export async function removeNote(redis: Redis, prefix: string, id: string): Promise<string> {
  return appendEntry(redis, prefix, NotesLogEntrySchema.parse({ type: 'note_removed', id }));
}

async function appendEntry(redis: Redis, prefix: string, entry: NotesLogEntry): Promise<string> {
  const id = await redis.xadd(keys.notesLog(prefix), '*', STREAM_FIELD, JSON.stringify(entry));
  if (!id) throw new Error('XADD returned no id');
  return id;
}

/**
 * Validate one raw stream entry. Never throws: a malformed entry (written by an older or buggy
 * producer) must not stop every replica's projection, so it is reported and skipped.
 */
export function parseLogEntry(raw: RawStreamEntry, logger?: NotesLogger): LoggedEntry | null {
  const [id, fields] = raw;
  const json = streamEntryJson(fields);
  let reason: string;
  try {
    const parsed = NotesLogEntrySchema.safeParse(JSON.parse(json ?? ''));
    if (parsed.success) return { id, entry: parsed.data };
    const issue = parsed.error.issues[0];
    reason = `${issue.path.join('.') || 'entry'}: ${issue.message}`;
  } catch {
    reason = json === undefined ? `missing field "${STREAM_FIELD}"` : 'not JSON';
  }
  logger?.warn({ stream_id: id, reason }, 'skipping malformed notes log entry');
  return null;
}

export interface ReadLogOptions {
  /** Read entries strictly after this stream id (default: from the beginning). */
  after?: string;
  logger?: NotesLogger;
  pageSize?: number;
}

/** Every valid entry of the notes log, in order, paging with XRANGE; and the last id seen. */
export async function readNotesLog(redis: Redis, prefix: string, options: ReadLogOptions = {}): Promise<{ entries: LoggedEntry[]; lastId: string }> {
  const key = keys.notesLog(prefix);
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const entries: LoggedEntry[] = [];
  let lastId = options.after ?? '0-0';
  for (;;) {
    const page = (await redis.xrange(key, `(${lastId}`, '+', 'COUNT', pageSize)) as RawStreamEntry[];
    for (const raw of page) {
      const parsed = parseLogEntry(raw, options.logger);
      if (parsed) entries.push(parsed);
    }
    if (page.length > 0) lastId = page[page.length - 1][0];
    if (page.length < pageSize) return { entries, lastId };
  }
}

/** Fold entries into the current notes, by id: the last `note_added` wins, removal deletes. */
export function foldNotes(entries: Iterable<NotesLogEntry>): Map<string, Note> {
  const notes = new Map<string, Note>();
  for (const entry of entries) {
    if (entry.type === 'note_added') notes.set(entry.note.id, entry.note);
    else notes.delete(entry.id);
  }
  return notes;
}

/** The current notes, folded from the whole log, oldest first. */
export async function readAllNotes(redis: Redis, prefix: string, logger?: NotesLogger): Promise<Note[]> {
  const { entries } = await readNotesLog(redis, prefix, { logger });
  return [...foldNotes(entries.map((e) => e.entry)).values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}
