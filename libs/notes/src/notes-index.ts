import { LOCAL_USER, type Note, type NotesLogEntry } from '@koda/contracts';
import { bestPassage } from './search/best-passage';
import { Bm25Index } from './search/bm25-index';
import { defaultLexicon } from './search/lexicon';
import { conceptOf, DEFAULT_MATCH_WEIGHTS, type MatchWeights } from './search/query-concepts';
import { understandQuery } from './search/query-understanding';
import { rankNotes } from './search/rank';
import { isIndexStopWord } from './search/stop-words';
import { tokenize } from './text-analysis';

/** A search hit: the note, its relevance in [0, 1], and its best-matching passage. */
export interface NoteHit {
  id: string;
  title: string;
  tags: string[];
  content: string;
  snippet: string;
  /** Normalised relevance in [0, 1); see `rankNotes`. */
  score: number;
  source?: string;
  created_at: string;
}

export interface NotesIndexOptions {
  /** Hits scoring below this are dropped: a question no note answers must find nothing. */
  minScore?: number;
  /** Hits scoring below this fraction of the best hit are dropped (weak tail). */
  relativeCutoff?: number;
  /** What a word no note holds weighs against a query (see `rankNotes`). */
  unknownWeight?: number;
  /** Weights of translations/synonyms, typo matches and prefix matches (0 turns one off). */
  weights?: Partial<MatchWeights>;
  /** Use the bilingual lexicon (default true). */
  lexicon?: boolean;
  /**
   * Keep only the question's content words (default true); false searches every word of the
   * text but language stop words (what each part buys is measured by `npm run eval:notes`).
   */
  queryUnderstanding?: boolean;
}

/**
 * Calibrated on the dev split of `libs/notes/eval/questions.json` (`npm run eval:notes --
 * --calibrate`): the threshold that best trades recall@3 of answerable questions against
 * questions no note answers citing nothing. See the README's "Mimir search" section.
 */
export const DEFAULT_MIN_SCORE = 0.325;
export const DEFAULT_RELATIVE_CUTOFF = 0.4;
export const DEFAULT_UNKNOWN_WEIGHT = 0.75;

/**
 * Full-text index over notes (BM25F with per-language stemming, a FR↔EN lexicon and typo
 * tolerance), folded from the notes log. `apply` is idempotent: replaying a log, or the same
 * entry twice, yields the same index.
 */
export class NotesIndex {
  private readonly notes = new Map<string, Note>();
  private readonly bm25 = new Bm25Index();
  private readonly minScore: number;
  private readonly relativeCutoff: number;
  private readonly unknownWeight: number;
  private readonly weights: MatchWeights;
  private readonly useLexicon: boolean;
  private readonly understanding: boolean;

  constructor(options: NotesIndexOptions = {}) {
    this.minScore = options.minScore ?? DEFAULT_MIN_SCORE;
    this.relativeCutoff = options.relativeCutoff ?? DEFAULT_RELATIVE_CUTOFF;
    this.unknownWeight = options.unknownWeight ?? DEFAULT_UNKNOWN_WEIGHT;
    this.weights = { ...DEFAULT_MATCH_WEIGHTS, ...options.weights };
    this.useLexicon = options.lexicon ?? true;
    this.understanding = options.queryUnderstanding ?? true;
  }

  get size(): number {
    return this.notes.size;
  }

  get(id: string): Note | undefined {
    return this.notes.get(id);
  }

  /** Every note, oldest first (ties by id, so the order is stable across replicas). */
  all(): Note[] {
    return [...this.notes.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
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
    this.notes.set(note.id, note);
    this.bm25.add(note);
    return true;
  }

  private remove(id: string): boolean {
    if (!this.notes.delete(id)) return false;
    this.bm25.remove(id);
    return true;
  }

  /**
   * The `k` most relevant notes for `text` (a chat message or a query: the question's content
   * words are kept either way), most relevant first; [] when nothing is relevant enough.
   */
  search(text: string, k = 5, owner?: string): NoteHit[] {
    return this.rank(text, owner)
      .filter((hit, _, all) => hit.score >= this.minScore && hit.raw >= all[0].raw * this.relativeCutoff)
      .slice(0, Math.max(0, k))
      .map(({ id, score, forms }) => this.toHit(id, score, forms));
  }

  /** Every note matching `text` at all, best first, with no threshold: for evaluation. */
  rank(text: string, owner?: string): { id: string; raw: number; score: number; forms: Map<string, number> }[] {
    const words = this.understanding ? understandQuery(text).words : tokenize(text).filter((t) => !isIndexStopWord(t));
    if (words.length === 0 || this.notes.size === 0) return [];
    const lexicon = this.useLexicon ? defaultLexicon() : null;
    const concepts = [...new Set(words.map((w) => w.toLowerCase()))].map((w) => conceptOf(w, this.bm25, lexicon, this.weights));
    const forms = new Map<string, number>();
    for (const concept of concepts) for (const [form, w] of concept.forms) forms.set(form, Math.max(w, forms.get(form) ?? 0));
    return rankNotes(this.bm25, concepts, this.unknownWeight)
      .filter((hit) => owner === undefined || this.isOwnedBy(hit.id, owner))
      .map((hit) => ({ ...hit, forms }));
  }

  /** Hits for notes chosen elsewhere (semantic search), their passages located for `text`. */
  hitsFor(text: string, scored: { id: string; score: number }[], owner?: string): NoteHit[] {
    const forms = this.rank(text)[0]?.forms ?? new Map<string, number>();
    return scored
      .filter(({ id }) => this.notes.has(id) && (owner === undefined || this.isOwnedBy(id, owner)))
      .map(({ id, score }) => this.toHit(id, score, forms));
  }

  /** Whether `owner` may search the note (a note without owner is the local user's). */
  isOwnedBy(id: string, owner: string): boolean {
    const note = this.notes.get(id);
    return note !== undefined && (note.user_id ?? LOCAL_USER) === owner;
  }

  private toHit(id: string, score: number, forms: Map<string, number>): NoteHit {
    const note = this.notes.get(id) as Note;
    return {
      id: note.id,
      title: note.title,
      tags: note.tags,
      content: note.content,
      snippet: bestPassage(note.content, forms) || note.title,
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
