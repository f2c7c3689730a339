import type { SessionMessage } from '@koda/contracts';

/** What the user asks Plume to do, read from simple cues in the message. */
export type PlumeIntent = 'summarise' | 'reformulate' | 'greet' | 'draft';

const SUMMARISE = /(r[ée]sum[eéè]|synth[ée]tis|r[ée]capitul|\brecap|summari[sz]|sum up|\btl;?dr)/i;
const REFORMULATE = /(reformul|r[ée][ée]cri|paraphras|rephrase|rewrite|reword|simplifi|plus clair|clearer)/i;
const GREETING = /^(bonjour|bonsoir|salut|coucou|hello|hi|hey|good (morning|evening|afternoon))\b[\s!,.?]*([\p{L}]+[\s!,.?]*){0,3}$/iu;

export function plumeIntent(message: string): PlumeIntent {
  if (REFORMULATE.test(message)) return 'reformulate';
  if (SUMMARISE.test(message)) return 'summarise';
  if (GREETING.test(message.trim())) return 'greet';
  return 'draft';
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
