import MiniSearch, { type SearchResult } from 'minisearch';
import type { Note, NotesLogEntry } from '@koda/contracts';
import { bestSnippet } from './passages';
import { analyze, normalizeTerm, tokenize } from './text-analysis';

/** A search hit: the note, its relevance in [0, 1], and its best-matching passage. */
export interface NoteHit {
  id: string;
  title: string;
  tags: string[];
  content: string;
  snippet: string;
  /** Normalised relevance in [0, 1]; see `normaliseScore`. */
  score: number;
  source?: string;
  created_at: string;
}

export interface NotesIndexOptions {
  /** Hits scoring below this are dropped: an unrelated query must find nothing. */
  minScore?: number;
  /** Hits scoring below this fraction of the best hit are dropped (weak tail). */
  relativeCutoff?: number;
  /** Mean IDF-relative BM25+ value of a matched term at which the saturation reaches 0.5. */
  halfScore?: number;
}

export const DEFAULT_MIN_SCORE = 0.3;
export const DEFAULT_RELATIVE_CUTOFF = 0.4;
export const DEFAULT_HALF_SCORE = 1.25;

interface IndexedNote {
  id: string;
  title: string;
  tags: string;
  content: string;
}

const processTerm = (term: string): string | null => normalizeTerm(term);

/**
 * Full-text index over notes (MiniSearch, BM25+), folded from the notes log.
 * `apply` is idempotent: replaying a log, or the same entry twice, yields the same index.
 */
export class NotesIndex {
  private readonly notes = new Map<string, Note>();
  private readonly mini: MiniSearch<IndexedNote>;
  private readonly minScore: number;
  private readonly relativeCutoff: number;
  private readonly halfScore: number;

  constructor(options: NotesIndexOptions = {}) {
    this.minScore = options.minScore ?? DEFAULT_MIN_SCORE;
    this.relativeCutoff = options.relativeCutoff ?? DEFAULT_RELATIVE_CUTOFF;
    this.halfScore = options.halfScore ?? DEFAULT_HALF_SCORE;
    this.mini = new MiniSearch<IndexedNote>({
      fields: ['title', 'tags', 'content'],
      tokenize,
      processTerm,
      searchOptions: {
        boost: { title: 2, tags: 1.5 },
        combineWith: 'OR',
        // Prefix and fuzzy only on longer terms: on short ones they match nearly anything.
        prefix: (term) => term.length >= 4,
        fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
        maxFuzzy: 2,
        weights: { prefix: 0.5, fuzzy: 0.3 },
      },
    });
  }

  get size(): number {
    return this.notes.size;
  }

  get(id: string): Note | undefined {
    return this.notes.get(id);
  }

  /** Every note, oldest first (ties by id, so the order is stable across replicas). */
  all(): Note[] {
    return [...this.notes.values()].sort(
      (a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id),
    );
  }

  /** Fold one log entry. Returns whether the index changed. */
  apply(entry: NotesLogEntry): boolean {
    return entry.type === 'note_added' ? this.put(entry.note) : this.remove(entry.id);
  }

  applyAll(entries: Iterable<NotesLogEntry>): void {
    for (const entry of entries) this.apply(entry);
  }

  private put(note: Note): boolean {
    const current = this.notes.get(note.id);
    if (current && sameNote(current, note)) return false;
    if (current) this.mini.discard(note.id);
    this.notes.set(note.id, note);
    this.mini.add({ id: note.id, title: note.title, tags: note.tags.join(' '), content: note.content });
    return true;
  }

  private remove(id: string): boolean {
    if (!this.notes.delete(id)) return false;
    this.mini.discard(id);
    return true;
  }

  /** The `k` most relevant notes for `query`, most relevant first; [] when nothing is relevant. */
  search(query: string, k = 5): NoteHit[] {
    const queryTerms = [...new Set(analyze(query))];
    if (queryTerms.length === 0 || this.notes.size === 0) return [];
    const scored = this.mini
      .search(query)
      .map((result) => ({ result, score: this.normaliseScore(result, queryTerms.length) }))
      .filter(({ score }) => score >= this.minScore);
    if (scored.length === 0) return [];
    const floor = scored[0].score * this.relativeCutoff;
    return scored
      .filter(({ score }) => score >= floor)
      .sort((a, b) => b.score - a.score || String(a.result.id).localeCompare(String(b.result.id)))
      .slice(0, Math.max(0, k))
      .map(({ result, score }) => this.toHit(result, score, queryTerms));
  }

  /**
   * Normalised score = saturation(strength) × coverage².
   * - strength: MiniSearch's score is a sum of per-term BM25+ values (boosted by field,
   *   discounted for prefix/fuzzy matches) multiplied by the number m of query terms matched;
   *   dividing by m² gives the mean BM25+ value of a matched term.
   *   That value carries the term's IDF, which grows with the corpus (a term found in one note
   *   of 2 weighs 0.69, of 40 weighs 3.3): dividing by the IDF of a term found in exactly one
   *   note keeps scores comparable between a user with 3 notes and one with 3,000.
   * - saturation x / (x + halfScore) maps it into [0, 1): absolute, so comparable across
   *   queries, unlike dividing by the best hit, which calls the best of bad matches a perfect 1.
   * - coverage = m / query terms, squared, so one incidental word of a two-word query ("piano
   *   LESSONS" in "lessons from the migration") scores a quarter of a full match.
   * With the defaults, a full match of a term present in a few notes scores 0.6–0.85, an
   *   incidental half match < 0.25, under the 0.3 floor.
   */
  private normaliseScore(result: SearchResult, queryTermCount: number): number {
    const matched = Math.max(1, result.queryTerms.length);
    const perTerm = result.score / matched / matched / maxIdf(this.mini.documentCount);
    const coverage = Math.min(1, matched / queryTermCount);
    return round((perTerm / (perTerm + this.halfScore)) * coverage * coverage);
  }

  private toHit(result: SearchResult, score: number, queryTerms: string[]): NoteHit {
    const note = this.notes.get(String(result.id)) as Note;
    // Document terms reached only by fuzzy matching ("lisbon" for "lisbonne") locate the passage
    // too; those reached by prefix would count the same query term twice.
    const fuzzyOnly = result.terms.filter((t) => !queryTerms.some((q) => t.startsWith(q)));
    const matchedTerms = [...queryTerms, ...fuzzyOnly];
    return {
      id: note.id,
      title: note.title,
      tags: note.tags,
      content: note.content,
      snippet: bestSnippet(note.content, matchedTerms) || note.title,
      score,
      source: note.source,
      created_at: note.created_at,
    };
  }
}

function sameNote(a: Note, b: Note): boolean {
  return (
    a.title === b.title &&
    a.content === b.content &&
    a.source === b.source &&
    a.created_at === b.created_at &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => tag === b.tags[i])
  );
}

/** MiniSearch's BM25+ IDF of a term present in a single document out of `documentCount`. */
function maxIdf(documentCount: number): number {
  return Math.log(1 + (Math.max(1, documentCount) - 0.5) / 1.5);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
