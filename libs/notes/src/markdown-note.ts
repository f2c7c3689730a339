import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';

/** What a Markdown file yields before it becomes a `Note`. */
export interface ParsedMarkdownNote {
  title: string;
  tags: string[];
  content: string;
  /** Front-matter `created` or `date`, when present. */
  created?: string;
}

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function unquote(value: string): string {
  const v = value.trim();
  const quoted = v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0];
  return quoted ? v.slice(1, -1).trim() : v;
}

function inlineList(value: string): string[] {
  const inner = value.trim().replace(/^\[|\]$/g, '');
  return inner.split(',').map(unquote).filter(Boolean);
}

/**
 * The YAML subset notes use: `key: value`, `tags: [a, b]`, `tags: a, b`, or a block list of
 * `- a` lines. A full YAML parser is not a dependency we need for three keys.
 */
export function parseFrontMatter(block: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  let listKey: string | null = null;
  for (const line of block.split(/\r?\n/)) {
    const item = /^\s+-\s+(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey) {
      (fields[listKey] as string[]).push(unquote(item[1]));
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!pair) continue;
    const [, key, value] = pair;
    listKey = value.trim() === '' ? key : null;
    fields[key] = listKey ? [] : value.trim().startsWith('[') ? inlineList(value) : unquote(value);
  }
  return fields;
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : inlineList(value)).filter((t) => t.length > 0);
}

/** Title from front-matter, else the first `# heading`, else the file name. */
export function parseMarkdownNote(text: string, fileName: string): ParsedMarkdownNote {
  const match = FRONT_MATTER.exec(text);
  const fields = match ? parseFrontMatter(match[1]) : {};
  const content = (match ? text.slice(match[0].length) : text).trim();
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(content)?.[1];
  const title = (typeof fields.title === 'string' && fields.title) || heading || basename(fileName, extname(fileName));
  const created = typeof fields.created === 'string' ? fields.created : fields.date;
  return {
    title,
    tags: asList(fields.tags),
    content,
    created: typeof created === 'string' && created ? created : undefined,
  };
}

/**
 * Deterministic note id from the file's path relative to the notes folder: every replica and
 * every restart derives the same id, which is what makes the import idempotent. A readable
 * slug plus a hash of the exact path (slugs alone collide: `a/b.md` and `a-b.md`).
 */
export function noteIdFromPath(relativePath: string): string {
  const posix = relativePath.split('\\').join('/');
  const slug = foldSlug(posix.replace(/\.md$/i, '')).slice(0, 48);
  const hash = createHash('sha1').update(posix).digest('hex').slice(0, 8);
  return `md-${slug}-${hash}`;
}

function foldSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Hash of what a note says (not when it was imported): same file content, same hash. */
export function noteContentHash(note: { title: string; content: string; tags: string[] }): string {
  const canonical = JSON.stringify([note.title, note.content, note.tags]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}
