import { analyze, passageScore, splitPassages } from '@koda/notes';
import type { RetrievedNote } from '../provider';
import { type Lang, say } from './language';
import { capitalise, clip, endSentence } from './sentences';

/** One argument of a debate, as a sentence that starts with its side ("Argument pour : …"). */
export interface DebateArguments {
  pro?: string;
  con?: string;
}

const YES_NO_FR =
  /^(?:faut-il|doit-on|dois-je|devrais-je|devrait-on|vaut-il mieux|est-ce qu['’]il faut|peut-on|est-il utile de|est-ce utile de)\s+(.+?)[\s?.!]*$/i;
const YES_NO_EN = /^(?:should (?:i|we|you|one)|must (?:i|we)|is it (?:worth|better|wise|useful) to|do (?:i|we) need to|can (?:i|we))\s+(.+?)[\s?.!]*$/i;
const HOW = /^(?:comment|pourquoi|how (?:to|can (?:i|we)|do (?:i|we))|why)\s+(.+?)[\s?.!]*$/i;
const EITHER = /^(?:(?:faut-il|dois-je|should (?:i|we)) (?:choisir |use |utiliser |prendre )?)?(.+?)\s+(?:ou|or)\s+(.+?)[\s?.!]*$/i;

/** The arguments a question carries in itself: for and against doing it, or for each option. */
export function argumentsFromMessage(question: string, lang: Lang): Required<DebateArguments> {
  const text = question.trim();
  const either = EITHER.exec(text);
  if (either && either[1].split(/\s+/).length <= 5 && either[2].split(/\s+/).length <= 5) return eitherArguments(either[1], either[2], lang);
  const action = (YES_NO_FR.exec(text) ?? YES_NO_EN.exec(text) ?? HOW.exec(text))?.[1] ?? text.replace(/[\s?.!]+$/, '');
  return {
    pro: say(
      lang,
      `Argument pour : ${action}, c’est un gain réel dès que cela répond à un besoin précis et régulier.`,
      `For: it pays off to ${action} as soon as that meets a precise, recurring need.`,
    ),
    con: say(
      lang,
      `Argument contre : ${action} demande du temps et de l’attention ; si l’effort dépasse le gain, mieux vaut s’en tenir à l’essentiel.`,
      `Against: trying to ${action} costs time and attention; if the effort outweighs the gain, keep to the essentials.`,
    ),
  };
}

function eitherArguments(first: string, second: string, lang: Lang): Required<DebateArguments> {
  return {
    pro: say(
      lang,
      `Argument pour ${first} : c’est souvent l’option la plus simple à mettre en place et à maintenir.`,
      `For ${first}: it is often the simpler option to set up and maintain.`,
    ),
    con: say(
      lang,
      `Argument contre ${first}, donc pour ${second} : si le besoin dépasse ce que ${first} couvre, ${second} évite de tout refaire plus tard.`,
      `Against ${first}, so for ${second}: if the need outgrows what ${first} covers, ${second} avoids a rewrite later.`,
    ),
  };
}

/** Words that make a sentence speak for (or against) what it describes. */
const PRO_CUES = new Set(
  analyze(
    'aide aider permet utile gagne gagner mieux facilite évite avantage efficace simple rapide plaisir retrouve helps allows useful saves better easier avoids benefit efficient fast',
  ),
);
const CON_CUES = new Set(
  analyze(
    'mais risque coût coûte perte perd trop difficile problème inconvénient lent lourd fatigue oublie jamais cher but risk cost lose loses too hard problem downside slow heavy never however expensive',
  ),
);

function cueScore(sentence: string, cues: Set<string>): number {
  return analyze(sentence).filter((term) => cues.has(term)).length;
}

/**
 * Arguments from the notes: the sentence of a hit that argues most for the question, and the
 * one that argues most against it, each cited. A side with no such sentence stays empty.
 */
export function argumentsFromNotes(hits: RetrievedNote[], question: string, lang: Lang, cite: (index: number, hit: RetrievedNote) => string): DebateArguments {
  const terms = [...new Set(analyze(question))];
  const candidates = hits.slice(0, 3).flatMap((hit, index) =>
    splitPassages(hit.content)
      .filter((p) => p.split(/\s+/).length > 4)
      .map((passage) => ({ passage, source: cite(index, hit), relevance: passageScore(passage, terms) })),
  );
  const best = (cues: Set<string>, taken?: string) =>
    candidates
      .filter((c) => c.passage !== taken && cueScore(c.passage, cues) > 0)
      .sort((a, b) => b.relevance + cueScore(b.passage, cues) - (a.relevance + cueScore(a.passage, cues)))[0];
  const pro = best(PRO_CUES);
  const con = best(CON_CUES, pro?.passage);
  const colon = lang === 'fr' ? ' : ' : ': ';
  return {
    pro:
      pro &&
      say(
        lang,
        `Côté pour, ${pro.source}${colon}${endSentence(clip(pro.passage, 200))}`,
        `On the for side, ${pro.source}${colon}${endSentence(clip(pro.passage, 200))}`,
      ),
    con:
      con &&
      say(
        lang,
        `Côté contre, ${con.source}${colon}${endSentence(clip(con.passage, 200))}`,
        `On the against side, ${con.source}${colon}${endSentence(clip(con.passage, 200))}`,
      ),
  };
}

const PRO_LEAD = /^(?:argument pour|côté pour|for\b|on the for side)/i;
const CON_LEAD = /^(?:argument contre|côté contre|against\b|on the against side)/i;

/** The arguments stated in a discussion's turns, for and against, in order, without repeats. */
export function collectArguments(sentences: string[]): { pro: string[]; con: string[] } {
  const strip = (s: string) =>
    capitalise(s.replace(/^(?:argument pour|argument contre|côté pour|côté contre|for|against|on the for side|on the against side)\s*[,:]?\s*/i, ''));
  const unique = (items: string[]) => [...new Set(items)];
  return {
    pro: unique(sentences.filter((s) => PRO_LEAD.test(s)).map(strip)),
    con: unique(sentences.filter((s) => CON_LEAD.test(s)).map(strip)),
  };
}
