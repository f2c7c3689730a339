import StemmerEn from '@nlpjs/lang-en-min/src/stemmer-en';
import StemmerFr from '@nlpjs/lang-fr/src/stemmer-fr';
import { foldAccents } from '../text-analysis';

export type SearchLang = 'fr' | 'en';

const STEMMERS: Record<SearchLang, { stemWord(word: string): string }> = {
  fr: new StemmerFr(),
  en: new StemmerEn(),
};

/**
 * Below this length only a plural is stripped: Snowball stems of short words collide across
 * languages and with names ("redis" → French "red", then English "red lentils" finds Redis).
 */
const SHORT_WORD = 5;

function stripPlural(folded: string): string {
  if (/[^su]s$/.test(folded) && !folded.endsWith('is') && folded.length > 3) return folded.slice(0, -1);
  if (folded.endsWith('x') && folded.length > 3 && /[aeiou]x$/.test(folded)) return folded.slice(0, -1);
  return folded;
}

/**
 * A word's index form in `lang`: Snowball stem (the French stemmer wants the accents, so it runs
 * before folding), folded. "réunions" → "reunion", "meetings" → "meet", "habitudes" → "habitud".
 */
export function stem(token: string, lang: SearchLang): string {
  const lower = token.toLowerCase();
  if (lower.length <= SHORT_WORD || /\d/.test(lower)) return stripPlural(foldAccents(lower));
  return foldAccents(STEMMERS[lang].stemWord(lower));
}

/** Every form a query word may take in a note of either language, the word itself first. */
export function stemVariants(token: string): string[] {
  return [...new Set([stem(token, 'fr'), stem(token, 'en'), foldAccents(token)])];
}
