import { foldAccents } from '../text-analysis';
import type { Bm25Index } from './bm25-index';
import { allowedEdits, editDistanceWithin } from './edit-distance';
import type { Lexicon } from './lexicon';
import { stemVariants } from './stemming';

/** How a query word may match: each form an index term, with how much a match counts. */
export interface QueryConcept {
  word: string;
  forms: Map<string, number>;
  /** The word, or a form of it, is in the index (else it is a word no note uses). */
  known: boolean;
}

/** What each kind of match counts, relative to the word itself (1). Calibrated: see README. */
export interface MatchWeights {
  /** A lexicon translation or synonym ("sleep" for "sommeil"); 0 turns the lexicon off. */
  synonym: number;
  /** A word one or two edits away ("ratatouile"); 0 turns typo tolerance off. */
  fuzzy: number;
  /** A longer index word starting with the query word ("postgres" → "postgresql"). */
  prefix: number;
}

export const DEFAULT_MATCH_WEIGHTS: MatchWeights = { synonym: 0.7, fuzzy: 0.8, prefix: 0.6 };

function put(forms: Map<string, number>, form: string, weight: number): void {
  if (weight > (forms.get(form) ?? 0)) forms.set(form, weight);
}

/** Index terms within the allowed edits of one of `forms` (typos, missing or extra letters). */
function fuzzyForms(index: Bm25Index, word: string, weight: number, into: Map<string, number>): void {
  const typed = foldAccents(word);
  const max = allowedEdits(typed.length);
  if (max === 0) return;
  for (const [surface, terms] of index.surfaceWords()) {
    if (Math.abs(surface.length - typed.length) > max) continue;
    const edits = editDistanceWithin(typed, surface, max);
    if (edits <= max) for (const term of terms) put(into, term, weight * (edits === 1 ? 1 : 0.75));
  }
}

function prefixForms(index: Bm25Index, forms: string[], weight: number, into: Map<string, number>): void {
  const long = forms.filter((f) => f.length >= 5);
  if (long.length === 0) return;
  for (const term of index.vocabulary()) {
    if (long.some((f) => term.length > f.length && term.startsWith(f))) put(into, term, weight);
  }
}

/**
 * A query word's concept: its own forms (stems in both languages) at full weight, then,
 * weaker, its lexicon translations and synonyms, longer words it starts, and, only for a word
 * no note holds, the index words a typo away from it.
 */
export function conceptOf(word: string, index: Bm25Index, lexicon: Lexicon | null, weights: MatchWeights): QueryConcept {
  const own = stemVariants(word);
  const forms = new Map<string, number>();
  for (const form of own) if (index.has(form)) put(forms, form, 1);
  const known = forms.size > 0;
  if (weights.prefix > 0) prefixForms(index, own, weights.prefix, forms);
  if (!known && weights.fuzzy > 0) fuzzyForms(index, word, weights.fuzzy, forms);
  if (lexicon && weights.synonym > 0) {
    for (const form of lexicon.related(word)) if (index.has(form)) put(forms, form, weights.synonym);
  }
  return { word, forms, known: known || forms.size > 0 };
}
