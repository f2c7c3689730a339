import type { SessionMessage } from '@koda/contracts';
import { type Lang, quote, say } from './language';
import { speakerName } from './request-parsing';
import { clip, endSentence, joinList, splitSentences } from './sentences';
import { bestSentenceIndex, termFrequencies, topKeywords } from './summarize';

/** Turns shown one by one; older ones are folded into a single line of topics. */
const MAX_LISTED_TURNS = 10;
const TURN_CHARS = 220;

/**
 * Sentences in which an answer speaks for itself. Those quoting someone (« », “ ”) restate the
 * user, and framing lines ("Voici…", "Vous me demandez…", an earlier summary's "- Vous avez
 * écrit…") describe the answer rather than say anything: attributing them to the agent would
 * put the user's words in its mouth.
 */
const FRAMING =
  /^(?:voici|here is|here's|vous me demandez|you asked|you wrote|vous avez (?:écrit|demandé)|dites-moi|tell me|je m’appuie|i’m building|noté|noted|une (?:première|proposition)|a (?:first|proposed)|c’est le début|this is the start|\(|changements|changes|thèmes|main topics|en bref|in short|objet|subject|je peux|i can|je vous écris au sujet|i’m writing about|\[|\p{Lu}\p{Ll}+ (?:a répondu|answered))/iu;

export function ownSentences(content: string): string[] {
  return splitSentences(content).filter((s) => !/[«»“”]/.test(s) && !FRAMING.test(s));
}

/** What an answer did, when it has no sentence of its own (a summary, a rewrite, a draft…). */
function answerKind(content: string, lang: Lang): string {
  const start = content.trim();
  if (/^(?:voici un résumé|here is a summary|voici l’essentiel|here is the gist)/i.test(start)) return say(lang, 'a résumé', 'summarised');
  if (/^(?:voici une (?:reformulation|version)|here is a (?:clearer|more|shorter|version))/i.test(start))
    return say(lang, 'a reformulé le texte', 'rewrote the text');
  if (/^(?:vous me demandez|you asked)/i.test(start)) {
    const subject = /^(?:objet|subject) ?: (.+)$/im.exec(start)?.[1];
    return subject
      ? say(lang, `a proposé un brouillon de mail (objet : ${clip(subject, 80)})`, `drafted an email (subject: ${clip(subject, 80)})`)
      : say(lang, 'a proposé un brouillon', 'drafted an outline');
  }
  if (/^(?:noté|noted)/i.test(start)) return say(lang, 'en a pris note', 'took note of it');
  return say(lang, 'a répondu', 'answered');
}

function userLine(message: SessionMessage, sentence: string, lang: Lang): string {
  const colon = lang === 'fr' ? ' : ' : ': ';
  const asked = /\?\s*$/.test(message.content);
  const verb = asked ? say(lang, 'Vous avez demandé', 'You asked') : say(lang, 'Vous avez écrit', 'You wrote');
  return `- ${verb}${colon}${quote(lang, clip(sentence, TURN_CHARS))}`;
}

function answerLine(message: SessionMessage, frequencies: Map<string, number>, lang: Lang): string {
  const colon = lang === 'fr' ? ' : ' : ': ';
  const interrupted = message.status && message.status !== 'complete' ? say(lang, ' (interrompu)', ' (interrupted)') : '';
  const kind = answerKind(message.content, lang);
  const own = kind === say(lang, 'a répondu', 'answered') ? ownSentences(message.content) : [];
  const index = bestSentenceIndex(own, frequencies);
  if (index < 0) return `- ${speakerName(message)} ${kind}${interrupted}.`;
  return `- ${speakerName(message)} ${say(lang, 'a répondu', 'answered')}${interrupted}${colon}${endSentence(clip(own[index], TURN_CHARS))}`;
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
    say(
      lang,
      `Voici un résumé de notre conversation (${exchanges} échange${exchanges > 1 ? 's' : ''}) :`,
      `Here is a summary of our conversation (${exchanges} exchange${exchanges > 1 ? 's' : ''}):`,
    ),
    '',
  ];
  if (older.length > 0) {
    const topics = joinList(
      topKeywords(
        older.map((m) => m.content),
        4,
      ),
      say(lang, 'et', 'and'),
    );
    lines.push(say(lang, `- Au début, nous avons parlé de ${topics}.`, `- Earlier on, we talked about ${topics}.`));
  }
  for (const message of listed) {
    if (message.role === 'assistant') {
      lines.push(answerLine(message, frequencies, lang));
      continue;
    }
    const sentences = splitSentences(message.content);
    const index = bestSentenceIndex(sentences, frequencies);
    if (index >= 0) lines.push(userLine(message, sentences[index], lang));
  }
  // The topics are what the user brought up; the answers' own wording ("Noté", "Voici") is not one.
  const userTexts = history.filter((m) => m.role === 'user').map((m) => m.content);
  const topics = topKeywords(userTexts.length > 0 ? userTexts : history.map((m) => m.content), 5);
  if (topics.length > 0) {
    lines.push('', say(lang, `Thèmes principaux : ${topics.join(', ')}.`, `Main topics: ${topics.join(', ')}.`));
  }
  return lines.join('\n');
}
