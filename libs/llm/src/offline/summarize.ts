import { analyze, normalizeTerm, tokenize } from '@koda/notes';
import { splitSentences } from './sentences';

/** Term frequencies over a set of texts (stop words dropped, accents folded). */
export function termFrequencies(texts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) for (const term of analyze(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/**
 * Frequency scoring (Luhn-style, the simplest extractive summariser that works): a sentence
 * weighs the summed frequencies of its distinct terms, divided by the square root of its term
 * count so long sentences don't win by length alone. `frequencies` may come from a larger
 * text than `sentence` (a whole conversation), which is what makes "key" mean key overall.
 */
export function sentenceScore(sentence: string, frequencies: Map<string, number>): number {
  const terms = [...new Set(analyze(sentence))];
  if (terms.length === 0) return 0;
  const sum = terms.reduce((acc, t) => acc + (frequencies.get(t) ?? 0), 0);
  return sum / Math.sqrt(terms.length);
}

/** The index of the best sentence (the earliest on ties), or -1 when there is none. */
export function bestSentenceIndex(sentences: string[], frequencies: Map<string, number>): number {
  let best = -1;
  let bestScore = -1;
  sentences.forEach((sentence, i) => {
    const score = sentenceScore(sentence, frequencies);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/** The key sentence of `text`, scored against `frequencies` (default: the text's own). */
export function keySentence(text: string, frequencies?: Map<string, number>): string {
  const sentences = splitSentences(text);
  const index = bestSentenceIndex(sentences, frequencies ?? termFrequencies(sentences));
  return index >= 0 ? sentences[index] : text.trim();
}

/** The `max` best sentences of `text`, in their original order. */
export function extractiveSummary(text: string, max: number): string[] {
  const sentences = splitSentences(text);
  const frequencies = termFrequencies(sentences);
  return sentences
    .map((sentence, index) => ({ sentence, index, score: sentenceScore(sentence, frequencies) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, Math.max(0, max))
    .sort((a, b) => a.index - b.index)
    .map((s) => s.sentence);
}

/** Request words: frequent in messages, never a topic ("ÉCRIS un mail", "RÉSUME notre..."). */
const REQUEST_WORDS = new Set(
  (
    'ecris ecrire redige rediger resume resumer reformule reformuler cherche chercher trouve aide ' +
    'donne propose prepare explique utiliser mail email courriel message conversation question ' +
    'write draft rewrite summarize summarise search find help give explain prepare tell show use using email chat'
  )
    .split(' ')
    .map((w) => normalizeTerm(w) ?? w),
);

/**
 * The `n` most frequent terms of `texts`, each shown in a surface form met in the text ("Redis",
 * not the index form "redi"); a lowercase form wins over a sentence-initial capital.
 */
export function topKeywords(texts: string[], n: number): string[] {
  const surface = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const token of tokenize(text)) {
      const term = normalizeTerm(token);
      if (!term || term.length < 3 || /^\d+$/.test(term) || REQUEST_WORDS.has(term)) continue;
      const seen = surface.get(term);
      if (!seen || (seen !== token && seen.toLowerCase() === token)) surface.set(term, token);
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  const firstSeen = new Map([...surface.keys()].map((term, i) => [term, i]));
  return [...surface.keys()]
    .sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (firstSeen.get(a) ?? 0) - (firstSeen.get(b) ?? 0))
    .slice(0, n)
    .map((term) => surface.get(term) as string);
}
