import type { RetrievedNote } from '../provider';
import { detectLanguage, type Lang, quote, say } from './language';
import { citation, evidence, queryOf } from './note-evidence';
import { argumentsFromMessage, argumentsFromNotes, collectArguments } from './debate-arguments';
import { clip, splitSentences } from './sentences';
import { keySentence, topKeywords } from './summarize';

/** Ends a discussion turn that agrees with the previous one; the discussion may stop there. */
export const CONSENSUS_MARKER = '[CONSENSUS]';

export type Stance = 'open' | 'contrast' | 'add' | 'agree';
export interface TranscriptTurn {
  agent: string;
  content: string;
}

/**
 * The deterministic stance rule: turn 1 opens; turn 2 answers the opening, Mimir by adding
 * facts from the notes when it has some, anyone else by nuancing; from turn 3 on, each persona
 * has stated a view and heard the other, so the turn agrees and carries the consensus marker.
 */
export function stanceOf(persona: string, turn: number, hasPrevious: boolean, hasHits: boolean): Stance {
  if (turn <= 1 || !hasPrevious) return 'open';
  if (turn >= 3) return 'agree';
  return persona === 'mimir' && hasHits ? 'add' : 'contrast';
}

export function displayName(agent: string): string {
  return agent.charAt(0).toUpperCase() + agent.slice(1);
}

/**
 * A turn's own sentences: those quoting someone else (« », “ ”) restate, they don't state,
 * and the consensus marker is protocol, not content.
 */
export function ownSentences(content: string): string[] {
  return splitSentences(content.replace(CONSENSUS_MARKER, '')).filter((s) => !/[«“]/.test(s) && s.split(/\s+/).length >= 4);
}

/** What the previous speaker said, in one quoted sentence. */
function echo(previous: TranscriptTurn, lang: Lang): string {
  const own = ownSentences(previous.content);
  const key = own.length > 0 ? keySentence(own.join('\n')) : previous.content;
  return quote(lang, clip(key, 160).replace(/[.!?]+$/, ''));
}

/** Mimir's contribution: the best sentence of the top notes, cited; or an honest "nothing". */
function notesPoint(message: string, hits: RetrievedNote[], lang: Lang): string {
  if (hits.length === 0) {
    return say(
      lang,
      "Je n'ai aucune note sur ce point, je ne peux donc rien y ajouter de factuel.",
      'I have no note on this point, so I cannot add any fact to it.',
    );
  }
  const { terms } = queryOf(message);
  const colon = lang === 'fr' ? ' : ' : ': ';
  // The best note gets two sentences, the runner-up one: enough to ground, short enough to discuss.
  // Sentences of the notes that argue one way or the other make the best contribution to a debate.
  const { pro, con } = argumentsFromNotes(hits, withoutInstruction(message), lang, citation);
  const cited =
    pro || con ? [pro, con].filter(Boolean) : hits.slice(0, 2).map((hit, i) => `${citation(i, hit)}${colon}${evidence(hit, terms, 2 - i).join(' ')}`);
  return say(lang, `Mes notes disent ceci. ${cited.join(' ')}`, `My notes say this. ${cited.join(' ')}`);
}

/** Plume's contribution: the question weighed from both sides, an argument for and one against. */
function argumentsPoint(message: string, lang: Lang): string {
  const { pro, con } = argumentsFromMessage(withoutInstruction(message), lang);
  return `${pro} ${con}`;
}

function ownPoint(persona: string, message: string, hits: RetrievedNote[], lang: Lang): string {
  return persona === 'mimir' ? notesPoint(message, hits, lang) : argumentsPoint(message, lang);
}

/** Why a persona agrees, in its own voice. */
function agreement(persona: string, hits: RetrievedNote[], lang: Lang): string {
  if (persona === 'mimir') {
    return hits.length > 0
      ? say(lang, `Mes notes vont dans le même sens, voir ${citation(0, hits[0])}.`, `My notes point the same way, see ${citation(0, hits[0])}.`)
      : say(lang, 'Je n’ai pas de note qui le contredise.', 'I have no note that contradicts it.');
  }
  return say(lang, 'Cela suffit pour répondre clairement à la question.', 'That is enough to answer the question clearly.');
}

/** One persona-voiced discussion turn, responding to the previous one. */
export function discussionTurn(message: string, persona: string, turn: number, transcript: TranscriptTurn[], hits: RetrievedNote[]): string {
  const lang = detectLanguage(message);
  const previous = transcript[transcript.length - 1];
  const stance = stanceOf(persona, turn, previous !== undefined, hits.length > 0);
  if (stance === 'open' || !previous) {
    const lead = say(
      lang,
      `Pour répondre à ${quote(lang, clip(message, 160))}, voici mon angle.`,
      `To answer ${quote(lang, clip(message, 160))}, here is my angle.`,
    );
    return `${lead} ${ownPoint(persona, message, hits, lang)}`;
  }
  const other = displayName(previous.agent);
  const said = echo(previous, lang);
  if (stance === 'agree') {
    const lead = say(lang, `Je suis d’accord avec ${other} : ${said}.`, `I agree with ${other}: ${said}.`);
    return `${lead} ${agreement(persona, hits, lang)} ${CONSENSUS_MARKER}`;
  }
  const point = ownPoint(persona, message, hits, lang);
  if (stance === 'add') {
    return `${say(lang, `Je complète ce que dit ${other} : ${said}.`, `Let me add to what ${other} says: ${said}.`)} ${point}`;
  }
  return `${say(lang, `Je nuancerais ce que dit ${other} : ${said}.`, `I would qualify what ${other} says: ${said}.`)} ${point}`;
}

/** A sentence stating a side of the debate: listed under "Pour"/"Contre", not as a key point. */
const SIDE = /^(?:argument pour|argument contre|côté pour|côté contre|for\b|against\b|on the (?:for|against) side)/i;

/** Titles cited as `[n] "Title"` in a transcript, in order of first citation. */
function citedTitles(transcript: TranscriptTurn[]): string[] {
  const titles = transcript.flatMap((t) => [...t.content.matchAll(/\[\d+\] "([^"]+)"/g)].map((m) => m[1]));
  return [...new Set(titles)];
}

/**
 * The synthesis: each persona's key point, the topics and notes, and where it landed. Key
 * points come from the turns before the agreement (turn 3 on, per the stance rule, only agree).
 */
export function discussionSynthesis(message: string, transcript: TranscriptTurn[]): string {
  const lang = detectLanguage(message);
  const question = quote(lang, clip(message, 160));
  if (transcript.length === 0) {
    return say(
      lang,
      `La discussion sur ${question} n'a pas eu lieu : aucun tour n'a été pris.`,
      `The discussion on ${question} did not happen: no turn was taken.`,
    );
  }
  const colon = lang === 'fr' ? ' : ' : ': ';
  const lines = [say(lang, `Synthèse de la discussion sur ${question} :`, `Synthesis of the discussion on ${question}:`), ''];
  const own = new Map<string, string[]>();
  transcript.forEach((turn, i) => {
    const sentences = i < 2 || !own.get(turn.agent)?.length ? ownSentences(turn.content) : [];
    own.set(turn.agent, [...(own.get(turn.agent) ?? []), ...sentences]);
  });
  for (const [agent, sentences] of own) {
    const points = sentences.filter((s) => !SIDE.test(s) && !/^(?:mes notes disent ceci|my notes say this)/i.test(s));
    if (points.length > 0) lines.push(`- ${displayName(agent)}${colon}${clip(keySentence(points.join('\n')), 220)}`);
  }
  const { pro, con } = collectArguments(transcript.flatMap((t) => ownSentences(t.content)));
  if (pro.length > 0 || con.length > 0) lines.push('');
  for (const argument of pro.slice(0, 2)) lines.push(`- ${say(lang, 'Pour', 'For')}${colon}${clip(argument, 220)}`);
  for (const argument of con.slice(0, 2)) lines.push(`- ${say(lang, 'Contre', 'Against')}${colon}${clip(argument, 220)}`);
  const topics = topKeywords([withoutInstruction(message)], 4);
  if (topics.length > 0) lines.push('', say(lang, `Thèmes abordés : ${topics.join(', ')}.`, `Topics covered: ${topics.join(', ')}.`));
  const titles = citedTitles(transcript);
  if (titles.length > 0) {
    const list = titles.map((t) => `"${t}"`).join(', ');
    lines.push(say(lang, `Notes citées : ${list}.`, `Notes cited: ${list}.`));
  }
  // Mirrors the stance rule: a discussion that reached turn 3 ended on an agreement.
  const converged = transcript.length >= 3;
  lines.push(
    '',
    converged
      ? say(
          lang,
          `Conclusion : les agents ont convergé en ${transcript.length} tours ; les points ci-dessus forment la réponse.`,
          `Conclusion: the agents converged in ${transcript.length} turns; the points above are the answer.`,
        )
      : say(
          lang,
          'Conclusion : les points de vue se complètent ; les éléments ci-dessus devraient vous aider à trancher.',
          'Conclusion: the views complement each other; the points above should help you decide.',
        ),
  );
  return lines.join('\n');
}

/** "Débattez : faut-il tout noter ?" is about noting, not debating: drop the instruction. */
export function withoutInstruction(message: string): string {
  return message.replace(/^\s*(d[ée]bat\w*|discut\w*|debate|discuss|compare[sz]?|comparez)\b[^:?]*[:,-]\s*/i, '');
}
