/** The two languages the offline model answers in. */
export type Lang = 'fr' | 'en';

/**
 * Function words that are frequent in one language and rare in the other. Words shared by both
 * ("a", "on", "in" as a prefix...) are left out, they would only add noise.
 */
const FRENCH = new Set(
  (
    'le la les des du de un une et est sont je tu il elle nous vous ils que qui quoi pour dans sur ' +
    'pas mon ma mes ton ta tes notre nos votre vos ce cette ces avec sans mais ou donc car comment ' +
    'pourquoi quand quel quelle bonjour salut merci peux veux résume reformule cherche écris ' +
    'rédige qu j c l d n s y au aux être avoir fait très aussi ça parfait génial revoir bonne journée soirée ' +
    'tes ton toi te stp svp'
  ).split(' '),
);
const ENGLISH = new Set(
  (
    'the an and is are was were i you we they he she it what how why when which who to of for ' +
    'with my your our this that these those do does did can could would should please hello hi ' +
    'thanks about summarize summarise rewrite write find search from have has be not bye goodbye great perfect ' +
    'make hey thank'
  ).split(' '),
);

const ACCENTED = /[àâäçéèêëîïôöùûüÿœæ]/i;

/**
 * Detect French versus English by counting function words, plus one point per accented word
 * for French. English on a tie (including a message with no clue at all, like "Redis").
 */
export function detectLanguage(text: string): Lang {
  const { fr, en } = scores(text);
  return fr > en ? 'fr' : 'en';
}

/**
 * The message's language, or, when it gives no clue at all ("OK", "Parfait", "Redis"), the
 * language of the conversation so far: a French conversation keeps a French answer.
 */
export function detectLanguageIn(message: string, context: string[]): Lang {
  const { fr, en } = scores(message);
  if (fr === 0 && en === 0 && context.length > 0) return detectLanguage(context.join('\n'));
  return fr > en ? 'fr' : 'en';
}

function scores(text: string): { fr: number; en: number } {
  let fr = 0;
  let en = 0;
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    if (!word) continue;
    if (FRENCH.has(word)) fr += 1;
    if (ENGLISH.has(word)) en += 1;
    if (ACCENTED.test(word)) fr += 1;
  }
  return { fr, en };
}

/** Pick the wording of the detected language. */
export function say(lang: Lang, fr: string, en: string): string {
  return lang === 'fr' ? fr : en;
}

/** Quote a passage the way each language does. */
export function quote(lang: Lang, text: string): string {
  return lang === 'fr' ? `« ${text} »` : `“${text}”`;
}
