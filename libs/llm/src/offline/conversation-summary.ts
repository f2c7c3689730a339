import type { SessionMessage } from '@koda/contracts';
import { type Lang, quote, say } from './language';
import { speakerName } from './request-parsing';
import { clip, endSentence, joinList, splitSentences } from './sentences';
import { bestSentenceIndex, termFrequencies, topKeywords } from './summarize';

/** Turns shown one by one; older ones are folded into a single line of topics. */
const MAX_LISTED_TURNS = 10;
const TURN_CHARS = 220;

function turnLine(message: SessionMessage, keySentence: string, lang: Lang): string {
  const text = clip(keySentence, TURN_CHARS);
  const colon = lang === 'fr' ? ' : ' : ': ';
  const interrupted = message.status && message.status !== 'complete' ? say(lang, ' (interrompu)', ' (interrupted)') : '';
  if (message.role === 'user') {
    const asked = /\?\s*$/.test(message.content);
    const verb = asked ? say(lang, 'Vous avez demandé', 'You asked') : say(lang, 'Vous avez écrit', 'You wrote');
    return `- ${verb}${colon}${quote(lang, text)}`;
  }
  const verb = say(lang, 'a répondu', 'answered');
  return `- ${speakerName(message)} ${verb}${interrupted}${colon}${endSentence(text)}`;
}

/**
 * Extractive summary of a conversation: for each turn, its key sentence, where "key" is scored
 * against the term frequencies of the WHOLE conversation, so a turn is represented by what it
 * says about the conversation's main topics; then those topics.
 */
export function summariseConversation(history: SessionMessage[], lang: Lang): string {
  if (history.length === 0) {
    return say(
      lang,
      "Nous n'avons encore rien échangé dans cette conversation, il n'y a donc rien à résumer. Posez-moi une question ou donnez-moi un texte, et je pourrai le résumer ensuite.",
      "We haven't exchanged anything in this conversation yet, so there is nothing to summarise. Ask me something or give me a text, and I can summarise it afterwards.",
    );
  }
  const frequencies = termFrequencies(history.map((m) => m.content));
  const listed = history.slice(-MAX_LISTED_TURNS);
  const older = history.slice(0, history.length - listed.length);
  const exchanges = history.filter((m) => m.role === 'user').length;
  const lines = [
    say(lang, `Voici un résumé de notre conversation (${exchanges} échange${exchanges > 1 ? 's' : ''}) :`, `Here is a summary of our conversation (${exchanges} exchange${exchanges > 1 ? 's' : ''}):`),
    '',
  ];
  if (older.length > 0) {
    const topics = joinList(topKeywords(older.map((m) => m.content), 4), say(lang, 'et', 'and'));
    lines.push(say(lang, `- Au début, nous avons parlé de ${topics}.`, `- Earlier on, we talked about ${topics}.`));
  }
  for (const message of listed) {
    const sentences = splitSentences(message.content);
    const index = bestSentenceIndex(sentences, frequencies);
    if (index >= 0) lines.push(turnLine(message, sentences[index], lang));
  }
  const topics = topKeywords(history.map((m) => m.content), 5);
  if (topics.length > 0) {
    lines.push('', say(lang, `Thèmes principaux : ${topics.join(', ')}.`, `Main topics: ${topics.join(', ')}.`));
  }
  return lines.join('\n');
}
