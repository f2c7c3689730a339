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
 * The sentences of a note that answer the query: first the hit's snippet (the index's best
 * passage: under a matching heading, the passage below it, whatever the query's language),
 * then the passages matching the most query terms, in the note's order; the note's opening
 * sentence when nothing else matches.
 */
export function evidence(hit: RetrievedNote, terms: string[], max = 2): string[] {
  // A heading repeating the title ("Soupe de lentilles corail") says nothing the citation does not.
  const passages = splitPassages(hit.content).filter((p) => !hit.title.startsWith(p) && p.split(/\s+/).length > 3);
  const lead = snippetPassage(hit, passages);
  const ranked = passages
    .map((passage, index) => ({ passage, index, score: passageScore(passage, terms) }))
    .filter((p) => p.score > 0 && p.index !== lead?.index)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, max - (lead ? 1 : 0));
  if (lead) ranked.unshift({ ...lead, score: Infinity });
  // Too few matching sentences: the note's opening sentence usually says what it is about.
  if (ranked.length < max && passages.length > 0 && !ranked.some((p) => p.index === 0)) {
    ranked.push({ passage: passages[0], index: 0, score: 0 });
  }
  if (ranked.length === 0) return [endSentence(clip(hit.snippet || hit.title, EVIDENCE_CHARS))];
  return ranked.sort((a, b) => a.index - b.index).map((p) => endSentence(clip(p.passage, EVIDENCE_CHARS)));
}

/** The passage the hit's snippet was cut from, if the snippet is one (not just the title). */
function snippetPassage(hit: RetrievedNote, passages: string[]): { passage: string; index: number } | undefined {
  const core = (hit.snippet ?? '').replace(/^…|…$/g, '').trim();
  if (core.length < 12 || core === hit.title) return undefined;
  const index = passages.findIndex((p) => p.includes(core) || core.includes(p));
  return index >= 0 ? { passage: passages[index], index } : undefined;
}

/** `[1] "Title"`: the citation form the UI and the tests look for. */
export function citation(index: number, hit: RetrievedNote): string {
  return `[${index + 1}] "${hit.title}"`;
}
