import type { SessionMessage } from '@koda/contracts';
import { type Lang, say } from './language';
import { reformulate } from './reformulate';
import { rewriteRegister } from './register';
import { lastOf, looksLikeEmail, payloadOf, rewriteTarget, type RewriteTarget } from './request-parsing';
import { clip, joinList } from './sentences';
import { extractiveSummary, keySentence } from './summarize';

const INTROS: Record<RewriteTarget, [string, string]> = {
  professional: ['Voici une version plus professionnelle :', 'Here is a more professional version:'],
  casual: ['Voici une version plus détendue :', 'Here is a more relaxed version:'],
  shorter: ['Voici une version plus courte :', 'Here is a shorter version:'],
  clearer: ['Voici une reformulation plus claire :', 'Here is a clearer version:'],
};

const ALREADY: Record<RewriteTarget, [string, string]> = {
  professional: [
    'Ce texte est déjà d’un registre professionnel : je n’y vois rien à changer.',
    'This text already reads as professional: I see nothing to change.',
  ],
  casual: ['Ce texte n’a pas de formule à alléger : je le laisserais tel quel.', 'This text has no formal phrasing to relax: I would leave it as is.'],
  shorter: [
    'Ce texte est déjà court : je ne vois rien à retirer sans perdre de sens.',
    'This text is already short: I see nothing to cut without losing meaning.',
  ],
  clearer: ['Ce texte est déjà clair et direct : je ne vois rien à simplifier.', 'This text is already clear and direct: I see nothing to simplify.'],
};

/**
 * A rewrite of the text the request carries (or of the last message): to a register
 * (professional, casual), shorter, or clearer. Every change comes from a rule that applied to
 * the text; the answer says which, and says so when none did rather than echo the text back.
 */
export function rewriteAnswer(message: string, past: SessionMessage[], lang: Lang): string {
  const source = payloadOf(message) ?? lastOf(past, 'assistant')?.content ?? lastOf(past, 'user')?.content;
  if (!source) {
    return say(
      lang,
      'Je peux reformuler un texte, mais je n’en vois aucun : collez-le après deux-points, par exemple « Rends ce mail plus professionnel : votre texte ».',
      'I can rewrite a text, but I don’t see one: paste it after a colon, for example “Make this email more professional: your text”.',
    );
  }
  const target = rewriteTarget(message);
  const { text, changes } = rewrite(source, target, lang, looksLikeEmail(message, source));
  if (changes.length === 0 || normalised(text) === normalised(source)) return say(lang, ...ALREADY[target]);
  const lines = [say(lang, ...INTROS[target]), '', text, '', say(lang, `Changements : ${joinList(changes, 'et')}.`, `Changes: ${joinList(changes, 'and')}.`)];
  return lines.join('\n');
}

function rewrite(source: string, target: RewriteTarget, lang: Lang, isEmail: boolean): { text: string; changes: string[] } {
  if (target === 'professional' || target === 'casual') return rewriteRegister(source, target, lang, isEmail);
  if (target === 'shorter') return shorten(source, lang);
  return clearer(source, lang);
}

/** Plainer words, fillers out, long sentences cut at their joints (see reformulate.ts). */
function clearer(source: string, lang: Lang): { text: string; changes: string[] } {
  const sentences = reformulate(source, lang);
  const text = sentences.join(' ');
  const changes = normalised(text) === normalised(source) ? [] : [say(lang, 'mots plus simples, phrases plus courtes', 'plainer words, shorter sentences')];
  if (sentences.length >= 3) {
    const gist = clip(keySentence(sentences.join('\n')), 200);
    return { text: `${text}\n\n${say(lang, `En bref : ${gist}`, `In short: ${gist}`)}`, changes };
  }
  return { text, changes };
}

/** The clearer version, then only its most central sentences: about half, at least one. */
function shorten(source: string, lang: Lang): { text: string; changes: string[] } {
  const plain = reformulate(source, lang);
  const kept = plain.length >= 3 ? extractiveSummary(plain.join('\n'), Math.ceil(plain.length / 2)) : plain;
  const text = kept.join(' ');
  const before = wordCount(source);
  const after = wordCount(text);
  if (after >= before) return { text: source, changes: [] };
  return { text, changes: [say(lang, `${before} mots → ${after}`, `${before} words → ${after}`)] };
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;
const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();
