/**
 * Text normalisation shared by training and inference. Both sides must see exactly the same
 * transformation, so it lives in one place and is deliberately simple and deterministic.
 */

/** Longer inputs are cut: intent is carried by a few phrases, and cost must stay bounded. */
export const MAX_CLASSIFIED_CHARS = 2_000;

// Ligatures NFKD leaves alone; French writes "œ" (sœur, œuvre) and users type "oe".
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' };

/**
 * Lowercases, folds accents ("débattez" → "debattez", so unaccented typing matches), turns
 * apostrophes and punctuation into spaces ("j'ai" → "j ai") and squeezes letters repeated
 * three times or more ("salutttt" → "salutt") which users type for emphasis.
 */
export function normalizeText(input: unknown): string {
  if (typeof input !== 'string') return '';
  return input
    .slice(0, MAX_CLASSIFIED_CHARS)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[œæß]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/([a-z])\1{2,}/g, '$1$1')
    .trim();
}

/** Word tokens of a normalised text. */
export function tokenize(normalized: string): string[] {
  return normalized.length === 0 ? [] : normalized.split(' ');
}
