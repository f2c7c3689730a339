import type { SessionMessage } from '@koda/contracts';
import { analyze } from '@koda/notes';
import { detectLanguageIn, type Lang, quote, say } from './language';
import { summariseConversation } from './conversation-summary';
import { rewriteAnswer } from './rewrite-answer';
import { payloadOf, plumeIntent, priorHistory } from './request-parsing';
import { draftAnswer } from './draft';
import { clip, splitSentences } from './sentences';
import { smallTalkOf, smallTalkReply } from './small-talk';
import { bestSentenceIndex, extractiveSummary, termFrequencies } from './summarize';

/**
 * Plume, offline: summarise, rewrite or draft from the message and the conversation; answer
 * small talk briefly; and say plainly what it cannot do (it has no knowledge of its own).
 */
export function plumeAnswer(message: string, history: SessionMessage[]): string {
  const past = priorHistory(history, message);
  const lang = detectLanguageIn(
    message,
    past.filter((m) => m.role === 'user').map((m) => m.content),
  );
  switch (plumeIntent(message)) {
    case 'summarise':
      return summariseAnswer(message, past, lang);
    case 'reformulate':
      return rewriteAnswer(message, past, lang);
    case 'small-talk':
      return smallTalkReply(smallTalkOf(message) ?? 'greet', message, lang, past.length > 0);
    case 'question':
      return questionAnswer(message, past, lang);
    case 'statement':
      return statementAnswer(message, lang);
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

/**
 * A question the offline model cannot know the answer to: say so, point to what can answer
 * (Mimir, a real model), and recall what the conversation already said on it, if anything.
 */
function questionAnswer(message: string, past: SessionMessage[], lang: Lang): string {
  const honest = say(
    lang,
    'Je suis le modèle hors ligne de KODA : je n’ai pas de connaissances propres, je ne fais que résumer, reformuler et rédiger à partir de vos messages.',
    'I am KODA’s offline model: I have no knowledge of my own, I only summarise, rewrite and draft from your messages.',
  );
  const lines = [honest];
  const recalled = relatedSentence(message, past);
  if (recalled)
    lines.push(
      say(
        lang,
        `Notre conversation en dit ceci : ${quote(lang, clip(recalled, 200))}`,
        `Our conversation says this about it: ${quote(lang, clip(recalled, 200))}`,
      ),
    );
  lines.push(
    say(
      lang,
      'Pour une vraie réponse, demandez à Mimir de chercher dans vos notes (mode mimir), ou démarrez KODA avec une clé ANTHROPIC_API_KEY.',
      'For a real answer, ask Mimir to search your notes (mimir mode), or start KODA with an ANTHROPIC_API_KEY.',
    ),
  );
  return lines.join('\n\n');
}

/** The sentence of the conversation that shares the most terms with the question, if any does. */
function relatedSentence(message: string, past: SessionMessage[]): string | undefined {
  const terms = new Set(analyze(message));
  const sentences = past.flatMap((m) => splitSentences(m.content)).filter((s) => analyze(s).some((t) => terms.has(t)));
  const index = bestSentenceIndex(sentences, termFrequencies([message]));
  return index >= 0 ? sentences[index] : undefined;
}

/** Something the user tells: acknowledged in their words, with what Plume can make of it. */
function statementAnswer(message: string, lang: Lang): string {
  const said = quote(lang, clip(message, 200).replace(/[.!]+$/, ''));
  return say(
    lang,
    `Noté : ${said}. Je peux en tirer un plan, une liste de choses à faire ou un mail : dites-moi lequel.`,
    `Noted: ${said}. I can turn it into a plan, a to-do list or an email: tell me which.`,
  ).replace(/\.\./g, '.');
}
