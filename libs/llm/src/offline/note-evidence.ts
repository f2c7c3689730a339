import { analyze, extractSearchQuery, passageScore, splitPassages } from '@koda/notes';
import type { RetrievedNote } from '../provider';
import { clip, endSentence } from './sentences';

const EVIDENCE_CHARS = 220;

/** The query a message searches for, and its terms, as the notes index sees them. */
export function queryOf(message: string): { query: string; terms: string[] } {
  const query = extractSearchQuery(message);
  return { query, terms: [...new Set(analyze(query))] };
}

/**
 * The sentences of a note that answer the query: the `max` passages matching the most query
 * terms, in the note's order, completed by the note's opening sentence; the hit's snippet
 * (the index's own best passage) when the note has no sentence at all.
 */
export function evidence(hit: RetrievedNote, terms: string[], max = 2): string[] {
  const passages = splitPassages(hit.content).filter((p) => p !== hit.title && p.split(/\s+/).length > 3);
  const ranked = passages
    .map((passage, index) => ({ passage, index, score: passageScore(passage, terms) }))
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, max);
  // Too few matching sentences: the note's opening sentence usually says what it is about.
  if (ranked.length < max && passages.length > 0 && !ranked.some((p) => p.index === 0)) {
    ranked.push({ passage: passages[0], index: 0, score: 0 });
  }
  if (ranked.length === 0) return [endSentence(clip(hit.snippet || hit.title, EVIDENCE_CHARS))];
  return ranked.sort((a, b) => a.index - b.index).map((p) => endSentence(clip(p.passage, EVIDENCE_CHARS)));
}

/** `[1] "Title"`: the citation form the UI and the tests look for. */
export function citation(index: number, hit: RetrievedNote): string {
  return `[${index + 1}] "${hit.title}"`;
}
