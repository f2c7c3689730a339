import type { Bm25Index } from './bm25-index';
import type { QueryConcept } from './query-concepts';

export interface RankedHit {
  id: string;
  /** Sum over query concepts of the best BM25F value of one of its forms in the note. */
  raw: number;
  /** `raw` over what a full match of every concept would bring, in [0, 1): comparable across queries. */
  score: number;
}

/**
 * Ranks notes by BM25F summed over query concepts, a concept counting its best form only (so
 * "sommeil" and its translation "sleep" in one note do not count twice).
 *
 * score = raw / Σ reference, where a concept's reference is the best weighted idf it could
 * reach, or, for a word no note holds, `unknownWeight` × the idf of a word found in one note:
 * a question about "bœuf bourguignon" is not answered by a note that merely says "recette".
 * Extra words lower the score by their share only (no coverage² collapse).
 */
export function rankNotes(index: Bm25Index, concepts: QueryConcept[], unknownWeight: number): RankedHit[] {
  const raw = new Map<string, number>();
  let reference = 0;
  for (const concept of concepts) {
    const best = new Map<string, number>();
    let conceptReference = concept.known ? 0 : unknownWeight * index.rareIdf;
    for (const [form, weight] of concept.forms) {
      conceptReference = Math.max(conceptReference, weight * index.idf(form));
      for (const [id, value] of index.termScores(form)) best.set(id, Math.max(best.get(id) ?? 0, weight * value));
    }
    reference += conceptReference;
    for (const [id, value] of best) raw.set(id, (raw.get(id) ?? 0) + value);
  }
  if (reference === 0) return [];
  return [...raw].map(([id, value]) => ({ id, raw: value, score: round(value / reference) })).sort((a, b) => b.raw - a.raw || a.id.localeCompare(b.id));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
