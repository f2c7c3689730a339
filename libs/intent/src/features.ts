import { normalizeText, tokenize } from './normalize';

/** Which n-grams describe a message. Tuned by cross-validation on the train split only. */
export interface FeatureOptions {
  /** Word n-grams from 1 to this size (2 = unigrams + bigrams). */
  maxWordNgram: number;
  /** Character n-gram sizes, taken inside each word padded with spaces (robust to typos). */
  minCharNgram: number;
  maxCharNgram: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  maxWordNgram: 2,
  minCharNgram: 4,
  maxCharNgram: 4,
};

// Sentence boundaries as pseudo-words: "<s> cherche" (an imperative opening the message) is a
// stronger cue than "cherche" anywhere.
const BOS = '<s>';
const EOS = '</s>';

/** Feature counts of one message, keyed by a prefixed n-gram ("w:", "c:") so kinds never clash. */
export function extractFeatures(message: unknown, options: FeatureOptions): Map<string, number> {
  const counts = new Map<string, number>();
  const tokens = tokenize(normalizeText(message));
  if (tokens.length === 0) return counts;
  addWordNgrams(counts, [BOS, ...tokens, EOS], options.maxWordNgram);
  for (const token of tokens) addCharNgrams(counts, token, options);
  return counts;
}

function addWordNgrams(counts: Map<string, number>, words: string[], maxN: number): void {
  for (let n = 1; n <= maxN; n++) {
    for (let i = 0; i + n <= words.length; i++) {
      if (n === 1 && (i === 0 || i === words.length - 1)) continue; // lone boundary markers
      increment(counts, 'w:' + words.slice(i, i + n).join(' '));
    }
  }
}

function addCharNgrams(counts: Map<string, number>, token: string, options: FeatureOptions): void {
  const padded = ` ${token} `;
  for (let n = options.minCharNgram; n <= options.maxCharNgram; n++) {
    for (let i = 0; i + n <= padded.length; i++) increment(counts, 'c:' + padded.slice(i, i + n));
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
