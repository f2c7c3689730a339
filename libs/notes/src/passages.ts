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

const HEADING = /^\s{0,3}#{1,6}\s/;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+/;
const FENCE = /^\s*```/;

/**
 * Group lines into blocks: headings and fenced code lines stand alone, a list item starts a
 * block, and any other non-blank line continues the current block (hard-wrapped paragraphs
 * and list items spanning several lines are one block, not one per line).
 */
function markdownBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string | null = null;
  let inCode = false;
  const flush = () => {
    if (current !== null) blocks.push(current);
    current = null;
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (FENCE.test(line)) {
      flush();
      inCode = !inCode;
    } else if (inCode || HEADING.test(line)) {
      flush();
      if (line.trim()) blocks.push(line);
    } else if (!line.trim() || /^---\s*$/.test(line)) {
      flush();
    } else if (LIST_ITEM.test(line) || current === null) {
      flush();
      current = line;
    } else {
      current = `${current} ${line.trim()}`;
    }
  }
  flush();
  return blocks;
}

/**
 * A note's passages: headings and list items are passages of their own (notes are often
 * bullet lists), paragraphs are split into sentences. Code lines are kept, since a "tips" note
 * is often searched for the code it holds.
 */
export function splitPassages(markdown: string): string[] {
  const passages: string[] = [];
  for (const block of markdownBlocks(markdown)) {
    const text = stripMarkdown(block);
    for (const sentence of text.split(/(?<=[.!?…])\s+(?=[\p{Lu}\p{N}«"([])/u)) {
      if (sentence.trim()) passages.push(sentence.trim());
    }
  }
  return passages;
}

/**
 * How well a passage matches the query terms: 1 per query term present as such, 0.75 when only
 * a longer word starts with it ("xread" in "XREADGROUP"), so the exact mention wins a tie.
 */
export function passageScore(passage: string, queryTerms: readonly string[]): number {
  const terms = new Set(analyze(passage));
  let score = 0;
  for (const q of queryTerms) {
    if (terms.has(q)) score += 1;
    else if (q.length >= 4 && [...terms].some((t) => t.startsWith(q))) score += 0.75;
  }
  return score;
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
    // A heading or a two-word item names the subject but rarely says anything about it.
    const weight = passage.split(/\s+/).length < 4 ? 0.5 : 1;
    const score = passageScore(passage, queryTerms) * weight;
    if (score > bestScore) {
      best = passage;
      bestScore = score;
    }
  }
  return truncateAround(best, queryTerms);
}
