import { analyze, foldAccents } from './text-analysis';

/** Longest snippet handed to clients and providers. */
export const SNIPPET_MAX_CHARS = 240;

/** Markdown syntax that means nothing inside a snippet. */
function stripMarkdown(line: string): string {
  return line
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?|\d+[.)]\s+)/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|`)/g, '')
    .trim();
}

/**
 * A note's passages: list items and headings are passages of their own (notes are often
 * bullet lists), paragraphs are split into sentences. Code fences are kept as lines, since a
 * "tips" note is often searched for the code it holds.
 */
export function splitPassages(markdown: string): string[] {
  const passages: string[] = [];
  for (const rawLine of markdown.split(/\r?\n/)) {
    if (/^\s*(```|---\s*$)/.test(rawLine)) continue;
    const line = stripMarkdown(rawLine);
    if (!line) continue;
    for (const sentence of line.split(/(?<=[.!?…])\s+(?=[\p{Lu}\p{N}«"(])/u)) {
      if (sentence.trim()) passages.push(sentence.trim());
    }
  }
  return passages;
}

/** Does a passage term match a query term? Prefix either way covers plural/conjugation drift. */
function termMatches(passageTerm: string, queryTerm: string): boolean {
  return passageTerm === queryTerm || (queryTerm.length >= 4 && passageTerm.startsWith(queryTerm));
}

/** How many distinct query terms a passage contains. */
export function passageScore(passage: string, queryTerms: readonly string[]): number {
  const terms = analyze(passage);
  return queryTerms.filter((q) => terms.some((t) => termMatches(t, q))).length;
}

/** Cut to `max` chars on a word boundary, keeping the first query match in view. */
export function truncateAround(text: string, queryTerms: readonly string[], max = SNIPPET_MAX_CHARS): string {
  if (text.length <= max) return text;
  const folded = foldAccents(text);
  const hits = queryTerms.map((q) => folded.indexOf(q)).filter((i) => i >= 0);
  const hit = hits.length ? Math.min(...hits) : 0;
  // Some context before the match reads better than a snippet starting on the matched word.
  let start = Math.min(Math.max(0, hit - 60), text.length - (max - 1));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < hit) start = space + 1;
  }
  const lead = start > 0 ? '…' : '';
  const budget = max - lead.length - 1;
  let piece = text.slice(start, start + budget);
  const reachesEnd = start + budget >= text.length;
  if (!reachesEnd) {
    const space = piece.lastIndexOf(' ');
    if (space > budget / 2) piece = piece.slice(0, space);
  }
  return `${lead}${piece.trimEnd()}${reachesEnd ? '' : '…'}`;
}

/** The passage of `markdown` that best matches the query terms, at most 240 chars. */
export function bestSnippet(markdown: string, queryTerms: readonly string[]): string {
  const passages = splitPassages(markdown);
  if (passages.length === 0) return '';
  let best = passages[0];
  let bestScore = 0;
  for (const passage of passages) {
    const score = passageScore(passage, queryTerms);
    // Prefer the richer passage on ties beyond a bare heading: headings rarely answer.
    if (score > bestScore || (score === bestScore && score > 0 && passage.length > best.length * 2)) {
      best = passage;
      bestScore = score;
    }
  }
  return truncateAround(best, queryTerms);
}
