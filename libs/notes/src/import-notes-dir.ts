import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Redis } from 'ioredis';
import { keys, LIMITS, LOCAL_USER, NoteSchema, STREAM_FIELD, type Note, type NotesLogEntry } from '@koda/contracts';
import { noteContentHash, noteIdFromPath, parseMarkdownNote } from './markdown-note';
import type { NotesLogger } from './notes-log';

export interface ImportResult {
  imported: number;
  skipped: number;
  /** Files that could not become a note (empty, too large, unreadable); logged. */
  invalid: number;
}

export interface ImportOptions {
  logger?: NotesLogger;
  /** Owner of the imported notes (absent: the local user). */
  userId?: string;
}

/**
 * Check-and-append in one atomic step, so N replicas importing the same folder at once append
 * each note once. The registry maps note id to "<content hash>|<stream entry id>"; a note is
 * skipped only if that same hash was appended AND the entry is still in the log (a registry
 * that outlived a deleted log must not hide notes). A note removed through the API is not
 * resurrected while its file is unchanged: the user's later decision wins; editing the file
 * (new hash) imports it again.
 */
const IMPORT_SCRIPT = `
local current = redis.call('HGET', KEYS[2], ARGV[1])
if current then
  local bar = string.find(current, '|', 1, true)
  if bar and string.sub(current, 1, bar - 1) == ARGV[2] then
    local at = string.sub(current, bar + 1)
    if #redis.call('XRANGE', KEYS[1], at, at) > 0 then return false end
  end
end
local id = redis.call('XADD', KEYS[1], '*', ARGV[3], ARGV[4])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. '|' .. id)
return id
`;

/**
 * The import registry's key. Its hash tag is the notes log's whole key name, so both keys hash
 * to the same Redis Cluster slot and the script may touch both.
 */
export function importRegistryKey(prefix: string): string {
  return `{${keys.notesLog(prefix)}}:imported`;
}

/** Every `.md` file under `dir`, as paths relative to it, sorted (stable order everywhere). */
export async function listMarkdownFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) found.push(full);
    }
  };
  await walk(dir);
  return found.map((full) => relative(dir, full).split(sep).join('/')).sort();
}

/** Read one Markdown file into a `Note`, or a reason why it cannot be one. */
export async function readMarkdownNote(dir: string, relPath: string): Promise<Note | string> {
  const full = join(dir, relPath);
  const [text, info] = await Promise.all([readFile(full, 'utf8'), stat(full)]);
  const parsed = parseMarkdownNote(text, relPath);
  if (!parsed.content.trim()) return 'empty note';
  if (parsed.content.length > LIMITS.noteContentMaxChars) return 'content too large';
  const created = parsed.created && !Number.isNaN(Date.parse(parsed.created)) ? parsed.created : null;
  const note = NoteSchema.safeParse({
    id: noteIdFromPath(relPath),
    title: parsed.title.slice(0, LIMITS.noteTitleMaxChars),
    content: parsed.content,
    tags: parsed.tags.slice(0, LIMITS.noteTagsMax).map((t) => t.slice(0, LIMITS.noteTagMaxChars)),
    source: `file:${relPath}`,
    created_at: new Date(created ?? info.mtime).toISOString(),
  });
  return note.success ? note.data : note.error.issues[0].message;
}

/** Append `note` unless the log already holds it with the same content. True if appended. */
export async function importNote(redis: Redis, prefix: string, note: Note): Promise<boolean> {
  const entry: NotesLogEntry = { type: 'note_added', note };
  const appended = await redis.eval(
    IMPORT_SCRIPT,
    2,
    keys.notesLog(prefix),
    importRegistryKey(prefix),
    note.id,
    noteContentHash(note),
    STREAM_FIELD,
    JSON.stringify(entry),
  );
  return appended !== null;
}

/**
 * Import a folder of Markdown notes into the notes log, idempotently: safe to run at every
 * start, on every replica at once.
 */
export async function importNotesDir(redis: Redis, prefix: string, dir: string, options: ImportOptions = {}): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, skipped: 0, invalid: 0 };
  for (const relPath of await listMarkdownFiles(dir)) {
    const note = await readMarkdownNote(dir, relPath).catch((err: unknown) => String(err));
    if (typeof note === 'string') {
      options.logger?.warn({ file: relPath, reason: note }, 'skipping invalid note file');
      result.invalid += 1;
    } else if (await importNote(redis, prefix, ownedBy(note, options.userId))) {
      result.imported += 1;
    } else {
      result.skipped += 1;
    }
  }
  return result;
}

/** Notes of the local user carry no owner, so a default import writes exactly what it always did. */
function ownedBy(note: Note, userId: string | undefined): Note {
  return userId && userId !== LOCAL_USER ? { ...note, user_id: userId } : note;
}
