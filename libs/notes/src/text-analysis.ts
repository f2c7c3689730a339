/**
 * Term analysis shared by indexing and querying, so both sides agree on what a "term" is.
 * French and English are mixed in one corpus, hence one analyser for both languages:
 * lowercase, accent folding, stop words of both languages, a light plural strip.
 */

/** Folded (accent-free, lowercase) stop words of French and English. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  [
    // French
    'a au aux avec ce ces cet cette ci ca cela celle celui chez comme dans de des du donc elle',
    'elles en entre est et etait ete etre eu il ils je la le les leur leurs lui ma mais me meme',
    'mes moi mon ne ni nos notre nous on ont ou par pas peu plus pour qu que quel quelle quels',
    'qui quoi sa sans se ses si son sont sous sur ta te tes toi ton tous tout toute toutes tres',
    'tu un une vos votre vous y ai as avons avez avait sera fait faire dont ou aussi alors bien',
    'encore deja ici ceci oui non puis car or apres avant comment pourquoi quand combien',
    // French words too generic to tell notes apart ("comment MIEUX dormir", "de BONNES habitudes")
    'mieux bon bonne bons bonnes garder faire fais chose choses truc trucs quelque quelques',
    'beaucoup plutot toujours jamais souvent veux voudrais peux pouvoir dois faut besoin',
    // English
    'about above after again all also am an and any are as at be been before being below but by',
    'can could did do does doing down during each few for from further had has have having he',
    'her here hers him his how i if in into is it its itself just me more most my no nor not',
    'now of off on once only or other our ours out over own same she should so some such than',
    'that the their theirs them then there these they this those through to too under until up',
    'very was we were what when where which while who whom why will with would you your yours',
    // English words too generic to tell notes apart
    'better best good keep make get thing things want need way lot really much many like please',
  ]
    .join(' ')
    .split(/\s+/),
);

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lowercase and strip diacritics: "Éte" and "ete" must be the same term. */
export function foldAccents(text: string): string {
  return text.toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').normalize('NFD').replace(COMBINING_MARKS, '');
}

/**
 * Split on anything that is not a letter or digit. Apostrophes split too, so French elisions
 * ("l'index", "qu'est") leave a one-letter stop word behind instead of gluing onto the word.
 */
export function tokenize(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

/**
 * A light plural strip, applied identically to documents and queries, so "notes" finds "note".
 * Deliberately crude (no real stemmer for two languages): it only removes a final s/x.
 */
function stripPlural(term: string): string {
  if (term.length > 5 && term.endsWith('ies')) return `${term.slice(0, -3)}y`;
  if (term.length > 4 && /[^su]s$/.test(term) && !term.endsWith('is')) return term.slice(0, -1);
  if (term.length > 4 && term.endsWith('aux')) return `${term.slice(0, -3)}al`;
  return term;
}

/** One raw token to its index form, or null when it carries no meaning (stop word, 1 char). */
export function normalizeTerm(token: string): string | null {
  const folded = foldAccents(token);
  if (folded.length < 2 || STOP_WORDS.has(folded)) return null;
  return stripPlural(folded);
}

/** Text to its meaningful terms, in order (duplicates kept: callers count frequencies). */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) {
    const term = normalizeTerm(token);
    if (term) terms.push(term);
  }
  return terms;
}
