import { eng, fra } from 'stopword';
import { foldAccents, STOP_WORDS } from '../text-analysis';

/**
 * Words a search query drops. Three sources, folded (lowercase, no accents) so "où" and "ou"
 * agree: the French and English lists of the `stopword` package, KODA's own lists of words too
 * generic to tell notes apart (`STOP_WORDS`), and the vocabulary of chatting and of asking Mimir
 * (greetings, thanks, "remind me", "what did I write", "in my notes"): in a request those words
 * are about the asking, never about the subject.
 */
const CHAT_FILLER = [
  // Greetings, thanks, politeness, addressing Mimir
  'salut bonjour bonsoir coucou hello hi hey hiya morning evening afternoon merci thanks thank cheers',
  'mimir koda please stp svp plait ok okay alors bon bah ben euh hmm oh ah well anyway quick question',
  // Asking and recalling, French
  'cherche chercher cherches cherchez recherche rechercher trouve trouver trouves trouvez retrouve',
  'retrouver retrouves retrouvez rappelle rappeler rappelles rappeler montre montrer montres donne donner',
  'dis dire raconte raconter sais savoir souviens souvenir rappel peux pourrais pouvez pourriez',
  'aide aider veux voulais voudrais aimerais besoin ecrit ecrits ecrite ecrire note notes noter notee',
  'notees avais avait mis mettre garde retenu retenir retiens pris prise prises parle parler dit disent',
  'encore deja rapidement vite petit petite question truc idee sujet propos concernant selon apres',
  'dedans parmi quoi qu est ce cest etait ete sont etaient fois aujourd hui',
  // Asking and recalling, English
  'search find look looking show tell remind remember recall help know wondering wonder wrote write',
  'written writing jot jotted noted note notes down say says said again back real quick question',
  'mind something anything stuff thing things bit little regarding related topic subject mean',
  'could would can will shall may might let lets gonna wanna got get',
].join(' ');

const FOLDED: ReadonlySet<string> = new Set([...fra, ...eng, ...STOP_WORDS, ...CHAT_FILLER.split(/\s+/)].map((w) => foldAccents(w)).filter(Boolean));

/** Language stop words only (no chat filler): what a note's own text drops when indexed. */
const LANGUAGE_ONLY: ReadonlySet<string> = new Set([...fra, ...eng, ...STOP_WORDS].map((w) => foldAccents(w)));

/** True when `token` carries no subject in a search request. */
export function isQueryStopWord(token: string): boolean {
  const folded = foldAccents(token);
  if (folded.length < 2 || FOLDED.has(folded)) return true;
  // "est-ce", "dis-moi", "peux-tu": a hyphenated word made only of stop words.
  const parts = folded.split(/[-_.]/);
  return parts.length > 1 && parts.every((part) => part.length < 2 || FOLDED.has(part));
}

/** True when `token` carries no meaning in a note (language stop words only). */
export function isIndexStopWord(token: string): boolean {
  const folded = foldAccents(token);
  return folded.length < 2 || LANGUAGE_ONLY.has(folded);
}

/** How many of `tokens` are French, and English, stop words: a cheap language guess. */
export function stopWordVotes(tokens: readonly string[]): { fr: number; en: number } {
  let frVotes = 0;
  let enVotes = 0;
  for (const token of tokens) {
    const lower = token.toLowerCase();
    if (FRENCH.has(lower)) frVotes += 1;
    if (ENGLISH.has(lower)) enVotes += 1;
  }
  return { fr: frVotes, en: enVotes };
}

const FRENCH: ReadonlySet<string> = new Set(fra.filter((w) => !eng.includes(w)));
const ENGLISH: ReadonlySet<string> = new Set(eng.filter((w) => !fra.includes(w)));
