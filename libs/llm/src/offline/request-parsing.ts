import type { SessionMessage } from '@koda/contracts';
import { smallTalkOf } from './small-talk';

/**
 * What the user asks Plume to do, read from simple cues in the message: a rewrite or a summary;
 * small talk (a greeting, thanks); a question it cannot know the answer to; something the user
 * tells ("Je prépare un voyage…"); otherwise a draft.
 */
export type PlumeIntent = 'summarise' | 'reformulate' | 'small-talk' | 'question' | 'statement' | 'draft';

const SUMMARISE = /(r[ée]sum[eéè]|synth[ée]tis|r[ée]capitul|\brecap|summari[sz]|sum up|\btl;?dr)/i;
const TONES =
  'professionn|formel|soutenu|poli|courtois|court|concis|d[ée]contract|familier|amical|professional|formal|polite|shorter|concise|casual|friendl|informal';
const REFORMULATE = new RegExp(
  `(reformul|r[ée][ée]cri|paraphras|rephrase|rewrite|reword|simplifi|plus clair|clearer|raccourci|shorten|condense|abr[èée]g` +
    `|(?:rends?|rendez|make|turn)\\b.{0,40}?(?:${TONES})` +
    `|(?:améliore|improve|polish|peaufine)\\s+(?:ce|cet|cette|mon|ma|this|my|the)\\s+(?:mail|e-?mail|message|texte|text|lettre|letter))`,
  'i',
);
/** A request to make something: what a draft answers. */
const DRAFT_CUE =
  /(écri|rédig|prépare[rz]? |propose|fais|faire|planifi|organise|donne-moi|crée|aide-moi|write|draft|compose|prepare|plan\b|make|create|give me|help me|\bliste?\b|\bmail\b|e-?mail|courriel|lettre|letter)/i;
/** First-person news ("Je pars à Lisbonne", "I'm moving"), unless it voices a wish ("je voudrais"). */
const STATEMENT = /^(?:je |j['’]|nous |on |mon |ma |mes |notre |nos |i |i['’]m |we |my |our )/i;
/** A command after the news ("J'ai une réunion demain, rédige un mail…"): the message is a request. */
const REQUEST_AFTER = /(?:[,;.:]\s*|\bet\s+|\band\s+)(?:rédige|écris|prépare|fais|propose|organise|donne-moi|write|draft|prepare|make|create|give me)\b/i;
const WISH = /^(?:je (?:voudrais|veux|souhaite|aimerais|cherche)|j['’]ai besoin|i (?:want|need|would like)|i['’]d like|we need)/i;

export function plumeIntent(message: string): PlumeIntent {
  const text = message.trim();
  if (REFORMULATE.test(text)) return 'reformulate';
  if (SUMMARISE.test(text)) return 'summarise';
  if (smallTalkOf(text)) return 'small-talk';
  if (/\?\s*$/.test(text) && !DRAFT_CUE.test(text)) return 'question';
  if (STATEMENT.test(text) && !WISH.test(text) && !/\?/.test(text) && !REQUEST_AFTER.test(text)) return 'statement';
  return 'draft';
}

/** The register or length a rewrite aims at, from the request's own words. */
export type RewriteTarget = 'professional' | 'casual' | 'shorter' | 'clearer';

export function rewriteTarget(message: string): RewriteTarget {
  const instruction = message.split(/[:\n]/)[0];
  if (
    /(professionn|formel|soutenu|poli(?:e|ment)?\b|courtois|vouvo|professional|formal|polite|courteous|améliore|improve|polish|peaufine)/i.test(instruction) &&
    !/(moins formel|less formal|informal)/i.test(instruction)
  )
    return 'professional';
  if (/(d[ée]contract|familier|amical|moins formel|sympa|casual|informal|friendl|relaxed|less formal)/i.test(instruction)) return 'casual';
  if (/(court|concis|raccourc|abr[èée]g|bref|brève|shorter|concise|shorten|brief|trim|condense)/i.test(instruction)) return 'shorter';
  return 'clearer';
}

/** The text reads as an email: the request says so, or it opens with a greeting. */
export function looksLikeEmail(message: string, text: string): boolean {
  return (
    /(\bmail\b|e-?mail|courriel|lettre|letter)/i.test(message.split(/[:\n]/)[0]) ||
    /^(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|dear|madame|monsieur|cher|chère)\b/i.test(text.trim())
  );
}

/** Below this, text after a colon is an instruction's tail, not a text to work on. */
const MIN_PAYLOAD_CHARS = 15;

/**
 * The text a request carries, if any: what follows the first colon or line break, or the
 * longest quoted passage ("reformule : <text>", "summarize this: <text>").
 */
export function payloadOf(message: string): string | null {
  const quoted = [...message.matchAll(/[«“"]([^«»“”"]+)[»”"]/g)].map((m) => m[1].trim());
  const longestQuote = quoted.sort((a, b) => b.length - a.length)[0];
  if (longestQuote && longestQuote.length >= MIN_PAYLOAD_CHARS) return longestQuote;
  const cut = message.search(/[:\n]/);
  const tail = cut >= 0 ? message.slice(cut + 1).trim() : '';
  return tail.length >= MIN_PAYLOAD_CHARS ? tail : null;
}

/**
 * The conversation before the current message: the session log may or may not already hold
 * the message being answered; a trailing copy of it is dropped so it is not summarised.
 */
export function priorHistory(history: SessionMessage[], message: string): SessionMessage[] {
  const last = history[history.length - 1];
  if (last && last.role === 'user' && last.content.trim() === message.trim()) return history.slice(0, -1);
  return history;
}

/** The latest message of a role, newest first search. */
export function lastOf(history: SessionMessage[], role: SessionMessage['role']): SessionMessage | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i].role === role) return history[i];
  return undefined;
}

/** Display name of who spoke a session message. */
export function speakerName(message: SessionMessage): string {
  if (message.role === 'user') return 'user';
  const agent = message.agent ?? 'plume';
  return agent.charAt(0).toUpperCase() + agent.slice(1);
}
