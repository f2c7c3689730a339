import { tokenize } from '../text-analysis';
import type { SearchLang } from './stemming';
import { stopWordVotes } from './stop-words';

/** French or English, by their stop words; English on a tie (most technical jargon is). */
export function detectSearchLang(text: string): SearchLang {
  const votes = stopWordVotes(tokenize(text));
  if (votes.fr > votes.en) return 'fr';
  if (votes.en > votes.fr) return 'en';
  return /[àâçéèêëîïôûùœ]/i.test(text) ? 'fr' : 'en';
}
