import type { SessionMessage } from '@koda/contracts';
import { detectLanguage, type Lang, say } from './language';
import { summariseConversation } from './conversation-summary';
import { reformulate } from './reformulate';
import { lastOf, payloadOf, plumeIntent, priorHistory } from './request-parsing';
import { draftAnswer } from './draft';
import { clip } from './sentences';
import { extractiveSummary, keySentence } from './summarize';

/** Plume, offline: summarise, reformulate or draft, from the message and the conversation. */
export function plumeAnswer(message: string, history: SessionMessage[]): string {
  const lang = detectLanguage(message);
  const past = priorHistory(history, message);
  switch (plumeIntent(message)) {
    case 'summarise':
      return summariseAnswer(message, past, lang);
    case 'reformulate':
      return reformulateAnswer(message, past, lang);
    case 'greet':
      return greeting(lang);
    case 'draft':
      return draftAnswer(message, past, lang);
  }
}

function summariseAnswer(message: string, past: SessionMessage[], lang: Lang): string {
  const text = payloadOf(message);
  if (!text) return summariseConversation(past, lang);
  const sentences = extractiveSummary(text, 3);
  const intro = say(lang, 'Voici l’essentiel du texte :', 'Here is the gist of the text:');
  return [intro, '', ...sentences.map((s) => `- ${s}`)].join('\n');
}

function reformulateAnswer(message: string, past: SessionMessage[], lang: Lang): string {
  const source = payloadOf(message) ?? lastOf(past, 'assistant')?.content ?? lastOf(past, 'user')?.content;
  if (!source) {
    return say(
      lang,
      'Je peux reformuler un texte, mais je n’en vois aucun : collez-le après deux-points, par exemple « Reformule : votre texte ».',
      'I can rewrite a text, but I don’t see one: paste it after a colon, for example “Rewrite: your text”.',
    );
  }
  const rewritten = reformulate(source, lang);
  const lines = [say(lang, 'Voici une reformulation plus claire :', 'Here is a clearer version:'), '', rewritten.join(' ')];
  // A one-line gist only helps when the text is long enough to need one.
  if (rewritten.length >= 3) {
    const gist = clip(keySentence(rewritten.join('\n')), 200);
    lines.push('', say(lang, `En bref : ${gist}`, `In short: ${gist}`));
  }
  return lines.join('\n');
}

function greeting(lang: Lang): string {
  return say(
    lang,
    'Bonjour ! Je suis Plume, l’agent d’écriture de KODA. Je peux résumer notre conversation, reformuler un texte ou rédiger un brouillon (mail, liste, plan). Mimir, lui, cherche dans vos notes. Que voulez-vous écrire ?',
    'Hello! I’m Plume, KODA’s writing agent. I can summarise our conversation, rewrite a text, or draft something (an email, a list, a plan). Mimir searches your notes. What would you like to write?',
  );
}
