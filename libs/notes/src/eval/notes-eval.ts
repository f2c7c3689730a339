import { readFile } from 'node:fs/promises';
import type { Note } from '@koda/contracts';
import { listMarkdownFiles, readMarkdownNote } from '../import-notes-dir';
import { EmbeddingsClient } from '../embeddings/embeddings-client';
import { fusedSearch } from '../embeddings/fused-search';
import { NoteVectors } from '../embeddings/note-vectors';
import { NotesIndex, type NotesIndexOptions } from '../notes-index';

export const KINDS = ['direct', 'paraphrase', 'cross-language', 'typo', 'conversational', 'no-match'] as const;
export type QuestionKind = (typeof KINDS)[number];

export interface LabelledQuestion {
  kind: QuestionKind;
  split: 'dev' | 'test';
  question: string;
  /** Note files (relative to the notes folder) that answer it; [] when none does. */
  notes: string[];
}

/** What one question's search returned, as note files, best first. */
export type Searcher = (question: string) => Promise<string[]> | string[];

export interface KindFigures {
  kind: QuestionKind | 'answerable' | 'all';
  count: number;
  /** Share of answerable questions whose note is the first hit / among the first three. */
  recallAt1: number;
  recallAt3: number;
  /** Share of no-match questions answered with no hit at all (no citation). */
  noMatchPrecision: number;
}

export async function loadQuestions(file: string): Promise<LabelledQuestion[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as LabelledQuestion[];
  for (const q of parsed) {
    if (!KINDS.includes(q.kind)) throw new Error(`${file}: unknown kind "${q.kind}" for "${q.question}"`);
    if ((q.kind === 'no-match') !== (q.notes.length === 0)) throw new Error(`${file}: "${q.question}" labels do not fit its kind`);
  }
  return parsed;
}

/** The notes folder as `Note`s, keyed by file so labels can name files. */
export async function loadNotes(dir: string): Promise<Map<string, Note>> {
  const notes = new Map<string, Note>();
  for (const file of await listMarkdownFiles(dir)) {
    const note = await readMarkdownNote(dir, file);
    if (typeof note !== 'string') notes.set(file, note);
  }
  return notes;
}

/** The offline searcher: a `NotesIndex` over the notes, with these options. */
export function indexSearcher(notes: Map<string, Note>, options: NotesIndexOptions = {}): Searcher {
  const index = new NotesIndex(options);
  const fileOf = new Map<string, string>();
  for (const [file, note] of notes) {
    index.apply({ type: 'note_added', note });
    fileOf.set(note.id, file);
  }
  return (question) => index.search(question, 5).map((hit) => fileOf.get(hit.id) ?? hit.id);
}

/** The offline searcher fused with embeddings from an OpenAI-compatible endpoint. */
export async function fusedSearcher(notes: Map<string, Note>, client: EmbeddingsClient, minSimilarity?: number): Promise<Searcher> {
  const index = new NotesIndex();
  const vectors = new NoteVectors(client, { warn: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`) });
  const fileOf = new Map<string, string>();
  for (const [file, note] of notes) {
    index.apply({ type: 'note_added', note });
    vectors.apply({ type: 'note_added', note });
    fileOf.set(note.id, file);
  }
  await vectors.flush();
  return async (question) => (await fusedSearch(index, vectors, question, 5, minSimilarity)).map((hit) => fileOf.get(hit.id) ?? hit.id);
}

function figures(kind: KindFigures['kind'], results: { q: LabelledQuestion; found: string[] }[]): KindFigures {
  const answerable = results.filter((r) => r.q.notes.length > 0);
  const unanswerable = results.filter((r) => r.q.notes.length === 0);
  const share = (n: number, of: number) => (of === 0 ? NaN : n / of);
  const within = (k: number) => answerable.filter((r) => r.found.slice(0, k).some((f) => r.q.notes.includes(f))).length;
  return {
    kind,
    count: results.length,
    recallAt1: share(within(1), answerable.length),
    recallAt3: share(within(3), answerable.length),
    noMatchPrecision: share(unanswerable.filter((r) => r.found.length === 0).length, unanswerable.length),
  };
}

/** Per-kind figures, then all answerable questions, then everything. */
export async function evaluate(questions: LabelledQuestion[], search: Searcher): Promise<KindFigures[]> {
  const results: { q: LabelledQuestion; found: string[] }[] = [];
  for (const q of questions) results.push({ q, found: await search(q.question) });
  const rows = KINDS.map((kind) =>
    figures(
      kind,
      results.filter((r) => r.q.kind === kind),
    ),
  ).filter((r) => r.count > 0);
  rows.push(
    figures(
      'answerable',
      results.filter((r) => r.q.notes.length > 0),
    ),
  );
  rows.push(figures('all', results));
  return rows;
}

const pct = (x: number) => (Number.isNaN(x) ? '    —' : `${(x * 100).toFixed(0).padStart(4)}%`);

export function formatTable(title: string, rows: KindFigures[]): string {
  const lines = [title, `${'kind'.padEnd(16)} ${'n'.padStart(3)}  recall@1  recall@3  no-match→no citation`];
  for (const r of rows) {
    lines.push(`${r.kind.padEnd(16)} ${String(r.count).padStart(3)}     ${pct(r.recallAt1)}     ${pct(r.recallAt3)}     ${pct(r.noMatchPrecision)}`);
  }
  return lines.join('\n');
}
