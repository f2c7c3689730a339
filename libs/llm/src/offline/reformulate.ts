import type { Lang } from './language';
import { capitalise, endSentence, splitSentences } from './sentences';

/** A whole-word, case-insensitive phrase; `\b` would fail next to accented letters. */
function phrase(source: string): RegExp {
  return new RegExp(`(?<!\\p{L})(?:${source})(?!\\p{L})`, 'giu');
}

/** Wordy phrasings and their plain equivalents. Longest first: they are applied in order. */
const PLAIN_WORDS: Record<Lang, [RegExp, string][]> = {
  fr: [
    [phrase('malgré le fait que'), 'bien que'],
    [phrase('dans le but de'), 'pour'],
    [phrase('en ce qui concerne'), 'pour'],
    [phrase("à l'heure actuelle"), "aujourd'hui"],
    [phrase('un grand nombre de'), 'beaucoup de'],
    [phrase('il est nécessaire de'), 'il faut'],
    [phrase('étant donné que'), 'comme'],
    [phrase('en raison de'), 'à cause de'],
    [phrase('de manière rapide'), 'rapidement'],
    [phrase('de façon claire'), 'clairement'],
    [phrase('afin de'), 'pour'],
    [phrase('suite à'), 'après'],
    [phrase('au niveau de'), 'pour'],
  ],
  en: [
    [phrase('in spite of the fact that'), 'although'],
    [phrase('due to the fact that'), 'because'],
    [phrase('at this point in time'), 'now'],
    [phrase('in the event that'), 'if'],
    [phrase('a large number of'), 'many'],
    [phrase('has the ability to'), 'can'],
    [phrase('with regard to'), 'about'],
    [phrase('it is necessary to'), 'we need to'],
    [phrase('in order to'), 'to'],
    [phrase('prior to'), 'before'],
    [phrase('utili[sz]e'), 'use'],
    [phrase('facilitate'), 'help'],
  ],
};

/** Hedges and fillers that add length but no meaning. */
const FILLERS: Record<Lang, RegExp> = {
  fr: phrase('en fait,?|du coup,?|en quelque sorte|il faut dire que|je pense que|je crois que|il me semble que|vraiment|franchement|bon,|voilà,'),
  en: phrase('basically,?|actually,?|really|kind of|sort of|I think that|I believe that|it seems that|in fact,?|you know,'),
};

/** Where a long sentence can be cut in two, and how the second half starts. */
const SPLIT_POINTS: Record<Lang, [RegExp, string][]> = {
  fr: [
    [/\s*;\s*/, ''],
    [/,\s+mais\s+/i, 'Mais '],
    [/,\s+car\s+/i, 'En effet, '],
    [/,\s+donc\s+/i, 'Donc '],
  ],
  en: [
    [/\s*;\s*/, ''],
    [/,\s+but\s+/i, 'But '],
    [/,\s+because\s+/i, 'This is because '],
    [/,\s+so\s+/i, 'So '],
  ],
};

const LONG_SENTENCE_WORDS = 22;

function simplify(sentence: string, lang: Lang): string {
  let out = sentence.replace(FILLERS[lang], '');
  for (const [pattern, plain] of PLAIN_WORDS[lang]) out = out.replace(pattern, plain);
  // Spaces left where a filler was cut; French keeps its space before ; : ! ? but not , or .
  const tidy = out.replace(/\s+/g, ' ').replace(/\s+([,.])/g, '$1');
  return capitalise((lang === 'en' ? tidy.replace(/\s+([;:!?])/g, '$1') : tidy).trim());
}

/** Cut a long sentence at its natural joints until the pieces are short; short ones stay whole. */
function splitLong(sentence: string, lang: Lang): string[] {
  if (sentence.split(/\s+/).length <= LONG_SENTENCE_WORDS) return [sentence];
  for (const [joint, lead] of SPLIT_POINTS[lang]) {
    const match = joint.exec(sentence);
    if (!match || match.index < 20) continue;
    const head = sentence.slice(0, match.index);
    const tail = sentence.slice(match.index + match[0].length);
    const rest = endSentence(`${lead}${lead ? tail : capitalise(tail)}`);
    return [...splitLong(endSentence(head), lang), ...splitLong(rest, lang)];
  }
  return [sentence];
}

/**
 * A plainer version of `text`: fillers dropped, wordy phrasings replaced, long sentences cut
 * at their joints. Meaning is kept because nothing is invented, only removed or restructured.
 */
export function reformulate(text: string, lang: Lang): string[] {
  return splitSentences(text)
    .map((s) => simplify(s, lang))
    .filter((s) => s.length > 0)
    .flatMap((s) => splitLong(endSentence(s), lang));
}
