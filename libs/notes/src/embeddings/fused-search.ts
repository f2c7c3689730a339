import type { NoteHit, NotesIndex } from '../notes-index';
import { understandQuery } from '../search/query-understanding';
import type { NoteVectors } from './note-vectors';
import { reciprocalRankFusion } from './vector-math';

/** Cosine similarity from which a note counts as answering on meaning alone. */
export const DEFAULT_MIN_SIMILARITY = 0.5;

/**
 * Lexical and semantic results fused by reciprocal rank fusion. A note is a hit when either
 * side finds it relevant on its own (the lexical threshold, or a cosine similarity of at least
 * `minSimilarity`); RRF only orders them. Without vectors (endpoint down), lexical only.
 */
export async function fusedSearch(
  index: NotesIndex,
  vectors: NoteVectors,
  text: string,
  k = 5,
  minSimilarity = DEFAULT_MIN_SIMILARITY,
  owner?: string,
): Promise<NoteHit[]> {
  const lexicalHits = index.search(text, k, owner);
  const ranking = await vectors.rank(understandQuery(text).query);
  if (!ranking) return lexicalHits;
  const semantic = owner === undefined ? ranking : ranking.filter((s) => index.isOwnedBy(s.id, owner));
  const lexical = index.rank(text, owner).map((r) => r.id);
  const relevant = new Set([...lexicalHits.map((h) => h.id), ...semantic.filter((s) => s.similarity >= minSimilarity).map((s) => s.id)]);
  const fused = reciprocalRankFusion([lexical, semantic.map((s) => s.id)]);
  const lexicalScore = new Map(lexicalHits.map((h) => [h.id, h.score]));
  const similarity = new Map(semantic.map((s) => [s.id, s.similarity]));
  const ranked = [...relevant]
    .sort((a, b) => (fused.get(b) ?? 0) - (fused.get(a) ?? 0) || a.localeCompare(b))
    .slice(0, k)
    .map((id) => ({ id, score: round(Math.max(lexicalScore.get(id) ?? 0, similarity.get(id) ?? 0)) }));
  return index.hitsFor(text, ranked, owner);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
