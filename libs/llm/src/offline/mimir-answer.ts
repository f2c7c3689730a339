import type { RetrievedNote } from '../provider';
import { detectLanguage, type Lang, quote, say } from './language';
import { citation, evidence, queryOf } from './note-evidence';

/** Notes quoted in an answer at most. */
const QUOTED_NOTES = 3;
/** A hit is quoted only when it scores at least this share of the best hit: the answer uses it. */
const USED_SHARE = 0.6;

/** The hits an answer quotes, hence cites: the best one, and those nearly as relevant. */
export function usedHits(hits: RetrievedNote[]): RetrievedNote[] {
  const best = hits[0]?.score ?? 0;
  return hits.filter((hit, i) => i === 0 || hit.score >= best * USED_SHARE).slice(0, QUOTED_NOTES);
}

/**
 * Mimir, offline: an answer made only of the hits' own sentences (the passage that answers,
 * not the heading above it), each cited. With no hit, it
 * says so and cites nothing: inventing a note is the one thing Mimir must never do.
 */
export function mimirAnswer(message: string, hits: RetrievedNote[]): string {
  const lang = detectLanguage(message);
  const { query, terms } = queryOf(message);
  if (hits.length === 0) return noNoteAnswer(query, lang);
  const intro = say(
    lang,
    `D'après vos notes, voici ce que j'ai trouvé sur ${quote(lang, query)} :`,
    `Here is what your notes say about ${quote(lang, query)}:`,
  );
  const used = usedHits(hits);
  const quoted = used.map((hit, i) => `${citation(i, hit)} — ${evidence(hit, terms).join(' ')}`);
  const best = say(lang, `La note la plus pertinente est ${citation(0, hits[0])}.`, `The most relevant note is ${citation(0, hits[0])}.`);
  // Sources: only the notes quoted above, never a hit the answer did not use.
  const sources = used.map((hit, i) => citation(i, hit)).join(', ');
  return [intro, '', ...quoted, '', best, say(lang, `Sources : ${sources}`, `Sources: ${sources}`)].join('\n');
}

function noNoteAnswer(query: string, lang: Lang): string {
  return say(
    lang,
    `Je n'ai trouvé aucune note qui corresponde à ${quote(lang, query)}. Plutôt que d'inventer une réponse, je vous propose d'essayer d'autres mots-clés, ou d'ajouter une note sur ce sujet.`,
    `I found no note matching ${quote(lang, query)}. Rather than make up an answer, try other keywords, or add a note on this topic.`,
  );
}
