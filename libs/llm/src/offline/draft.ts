import type { SessionMessage } from '@koda/contracts';
import { analyze } from '@koda/notes';
import { type Lang, quote, say } from './language';
import { lastOf } from './request-parsing';
import { capitalise, clip, endSentence, joinList } from './sentences';
import { keySentence, termFrequencies, topKeywords } from './summarize';

type DraftShape = 'email' | 'list' | 'text';

const POLITE = /^(?:(?:can|could|would) you(?: please)?|please|peux-tu|pourrais-tu|tu peux|aide-moi à|aidez-moi à|help me(?: to)?)\s+/iu;
const VERB =
  /^(?:write|draft|compose|prepare|plan|make|create|give me|écris|écrire|écrivez|rédige|rédiger|prépare|préparer|fais|faire|planifie|planifier|organise|organiser|propose|proposer|donne-moi|crée|créer)(?:-moi|\s+moi)?\s+/iu;
const OBJECT =
  /^(?:(?:un|une|le|la|les|des|a|an|the|some|my|mon|ma|mes)\s+)?(?:(?:short|quick|petit|petite|court|courte)\s+)?(?:mail|e-?mail|courriel|lettre|letter|message|liste|list|plan|checklist|texte|text|draft|brouillon)(?:\s+d[e'’]\s*|\s+of\s+)?\s*/iu;
const RECIPIENT = /^(?:à|a|au|to|for|pour)\s+(\p{Lu}[\p{L}-]*)\s*/u;
const CONNECTOR = /^(?:pour|afin de|sur|au sujet de|à propos de|concernant|about|regarding|on|to|for|de|d['’])\s*/iu;
const ARTICLE = /^(?:a|an|the|un|une|le|la|les)\s+/iu;

export interface DraftRequest {
  shape: DraftShape;
  /** What the draft is about, the request words stripped ("décaler la mise en production"). */
  purpose: string;
  /** A capitalised name after "à"/"to", when the request names one. */
  recipient?: string;
}

/** Read the kind of draft, its purpose and its recipient from the request. */
export function parseDraftRequest(message: string): DraftRequest {
  const shape: DraftShape = /(\bmail\b|e-?mail|courriel|lettre|letter)/i.test(message)
    ? 'email'
    : /(\bliste\b|\blist\b|idées|ideas|étapes|steps|\bplan\b|checklist)/i.test(message)
      ? 'list'
      : 'text';
  let rest = message
    .trim()
    .replace(/[?!.\s]+$/, '')
    .replace(POLITE, '')
    .replace(VERB, '')
    .replace(OBJECT, '');
  const recipient = RECIPIENT.exec(rest)?.[1];
  if (recipient) rest = rest.replace(RECIPIENT, '');
  const purpose = rest.replace(CONNECTOR, '').replace(ARTICLE, '').trim();
  return { shape, purpose: purpose || message.trim(), recipient };
}

/**
 * How the draft relates to the conversation: built on it when they share terms, otherwise the
 * conversation is only recalled in a line, so an unrelated request isn't bent towards it.
 */
function contextLine(message: string, past: SessionMessage[], lang: Lang): string {
  if (past.length === 0) return say(lang, 'C’est le début de notre conversation.', 'This is the start of our conversation.');
  const frequencies = termFrequencies(past.map((m) => m.content));
  const related = analyze(message).some((term) => frequencies.has(term));
  const topics = joinList(
    topKeywords(
      past.map((m) => m.content),
      3,
    ),
    say(lang, 'et', 'and'),
  );
  const lastAnswer = lastOf(past, 'assistant');
  if (!related || !lastAnswer) return say(lang, `(Nous parlions jusqu’ici de ${topics}.)`, `(So far we talked about ${topics}.)`);
  const gist = quote(lang, clip(keySentence(lastAnswer.content, frequencies), 160));
  return say(
    lang,
    `Je m’appuie sur notre échange à propos de ${topics}, en particulier : ${gist}`,
    `I’m building on our exchange about ${topics}, in particular: ${gist}`,
  );
}

function emailBody({ purpose, recipient }: DraftRequest, lang: Lang): string {
  const hello = say(lang, `Bonjour${recipient ? ` ${recipient}` : ''},`, `Hello${recipient ? ` ${recipient}` : ''},`);
  return say(
    lang,
    `Voici un brouillon :\n\nObjet : ${capitalise(purpose)}\n\n${hello}\n\nJe vous écris au sujet suivant : ${endSentence(purpose)} [Le contexte, en une ou deux phrases.] [Ce que vous attendez de votre interlocuteur, et pour quand.]\n\nJe reste disponible pour en parler.\n\nBien cordialement,`,
    `Here is a draft:\n\nSubject: ${capitalise(purpose)}\n\n${hello}\n\nI’m writing about the following: ${endSentence(purpose)} [The context, in one or two sentences.] [What you need from them, and by when.]\n\nHappy to discuss it.\n\nBest regards,`,
  );
}

function listBody({ purpose }: DraftRequest, lang: Lang): string {
  const points = joinList(topKeywords([purpose], 4), say(lang, 'et', 'and'));
  return say(
    lang,
    `Une première structure :\n1. Objectif : ${endSentence(purpose)}\n2. Points à régler : ${endSentence(points || purpose)}\n3. Ce qu’il faut préparer ou réserver, et qui s’en charge.\n4. Les risques ou les options de repli.\n5. La prochaine étape concrète, avec une date.`,
    `A first structure:\n1. Goal: ${endSentence(purpose)}\n2. Points to settle: ${endSentence(points || purpose)}\n3. What to prepare or book, and who does it.\n4. Risks or fallback options.\n5. The next concrete step, with a date.`,
  );
}

function textBody({ purpose }: DraftRequest, lang: Lang): string {
  return say(
    lang,
    `Une proposition de plan :\n- Le sujet : ${endSentence(purpose)}\n- Le contexte et ce qui pose question.\n- Les options, avec leurs avantages et leurs limites.\n- Une recommandation et la prochaine étape.`,
    `A proposed outline:\n- The subject: ${endSentence(purpose)}\n- The context and the open question.\n- The options, with their pros and cons.\n- A recommendation and the next step.`,
  );
}

/** A drafted answer: the request restated, the conversation referenced, a structured draft. */
export function draftAnswer(message: string, past: SessionMessage[], lang: Lang): string {
  const request = parseDraftRequest(message);
  const head = say(lang, `Vous me demandez : ${quote(lang, clip(message, 200))}`, `You asked: ${quote(lang, clip(message, 200))}`);
  const body = request.shape === 'email' ? emailBody(request, lang) : request.shape === 'list' ? listBody(request, lang) : textBody(request, lang);
  const offer = say(
    lang,
    'Dites-moi si vous voulez que je développe une partie, que je change le ton ou que je le raccourcisse.',
    'Tell me if you want me to expand a part, change the tone or make it shorter.',
  );
  return [head, contextLine(message, past, lang), '', body, '', offer].join('\n');
}
