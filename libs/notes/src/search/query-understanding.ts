import { tokenize } from '../text-analysis';
import { detectSearchLang } from './detect-language';
import type { SearchLang } from './stemming';
import { isQueryStopWord } from './stop-words';

/** What a chat message asks the notes for. */
export interface UnderstoodQuery {
  /** The question's subject as the user wrote it ("recette de ratatouille"): shown, and searched. */
  query: string;
  /** Its content words, in order (stop words, chat and request words removed). */
  words: string[];
  lang: SearchLang;
}

/** Cues that a sentence is the one asking something (folded to lowercase, accents kept loose). */
const QUESTION_CUE =
  /\?|^\s*(?:qu|que|quoi|quel|quelle|quels|quelles|comment|combien|pourquoi|quand|o[uù]|est-ce|est ce|peux|pourrais|tu peux|cherche|recherche|trouve|retrouve|rappelle|montre|donne|dis-moi|what|how|when|where|which|who|why|do i|did i|have i|is there|are there|can you|could you|would you|remind|find|search|look|show|tell|give|list)\b|\b(?:mes notes|my notes|j'ai not|j’ai not|ai-je|avais-je|i wrote|i noted|i note|i write|i jotted)/iu;

/**
 * Splits on sentence ends and line breaks. A "." inside a word ("Node.js", "v2.1") does not end
 * a sentence: only ".!?…" followed by a space or the end.
 */
export function splitSentences(message: string): string[] {
  return message
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Word tokens with their offsets, apostrophes splitting French elisions ("l'index"). */
function wordSpans(sentence: string): { word: string; start: number; end: number }[] {
  return [...sentence.matchAll(/[\p{L}\p{N}]+(?:[-_.][\p{L}\p{N}]+)*/gu)].map((m) => ({
    word: m[0],
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
  }));
}

function contentSpans(sentence: string) {
  return wordSpans(sentence).filter((s) => !isQueryStopWord(s.word) && !/^[\p{N}]$/u.test(s.word));
}

/**
 * The sentences that carry the question: those ending with "?" or opening with a question or
 * request cue; in a message of background then question, the background is left out (its
 * words would match other notes). When no sentence reads as a question, the whole message is
 * the query; when the question sentence is empty of content ("Tu peux m'aider ?"), the
 * sentence before it is taken too.
 */
function questionSentences(sentences: string[]): string[] {
  const asking = sentences.map((s) => QUESTION_CUE.test(s));
  if (!asking.some(Boolean)) return sentences;
  const picked: string[] = [];
  sentences.forEach((sentence, i) => {
    if (!asking[i]) return;
    if (contentSpans(sentence).length === 0 && i > 0 && !asking[i - 1]) picked.push(sentences[i - 1]);
    picked.push(sentence);
  });
  return picked;
}

/** The span from the first to the last content word of a sentence, as written. */
function subjectOf(sentence: string): string {
  const spans = contentSpans(sentence);
  if (spans.length === 0) return '';
  return sentence.slice(spans[0].start, spans[spans.length - 1].end);
}

/**
 * Query understanding, offline: keep the question's content words whatever its phrasing.
 * "Salut ! J'ai une journée chargée. Tu peux me rappeler ce que j'avais noté sur Redis ?" →
 * "Redis". Language-aware stop words (see `stop-words.ts`) remove question words, politeness,
 * greetings and first-person filler; no list of whole phrasings to keep in sync.
 */
export function understandQuery(message: string): UnderstoodQuery {
  const text = message.trim().replace(/[ \t]+/g, ' ');
  const sentences = questionSentences(splitSentences(text));
  const subjects = sentences.map(subjectOf).filter((s) => s.length > 0);
  const words = sentences.flatMap((s) => contentSpans(s).flatMap((span) => tokenize(span.word))).filter((word) => !isQueryStopWord(word));
  const lang = detectSearchLang(text);
  if (subjects.length === 0) return { query: text, words: [], lang };
  return { query: subjects.join(' ; '), words, lang };
}
