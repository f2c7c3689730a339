import { splitPassages, truncateAround } from '../passages';
import { foldAccents } from '../text-analysis';
import { indexTerms } from './bm25-index';
import { detectSearchLang } from './detect-language';

const HEADING = /^\s{0,3}#{1,6}\s+(.*)$/;

interface Passage {
  text: string;
  heading: boolean;
  /** Index of the heading this passage sits under (-1 before any heading). */
  section: number;
}

/** A note's passages in order, headings marked, each knowing its section. */
function passagesOf(markdown: string): Passage[] {
  const passages: Passage[] = [];
  let section = -1;
  for (const line of markdown.split(/\r?\n\s*\r?\n|\r?\n(?=\s{0,3}#{1,6}\s)|\r?\n(?=\s*(?:[-*+]|\d+[.)])\s)/)) {
    const heading = HEADING.exec(line.split(/\r?\n/)[0]);
    if (heading) {
      section = passages.length;
      passages.push({ text: heading[1].trim(), heading: true, section });
      const rest = line.split(/\r?\n/).slice(1).join('\n');
      for (const text of splitPassages(rest)) passages.push({ text, heading: false, section });
      continue;
    }
    for (const text of splitPassages(line)) passages.push({ text, heading: false, section });
  }
  return passages;
}

/** How much of the query a passage holds: sum of the weights of the query forms it contains. */
function passageWeight(text: string, forms: ReadonlyMap<string, number>, lang: 'fr' | 'en'): number {
  let weight = 0;
  for (const term of new Set(indexTerms(text, lang))) weight += forms.get(term) ?? 0;
  return weight;
}

/**
 * The passage of a note that answers the query: the one holding most of the query's forms;
 * when that is a heading (or a bare label), the heading names the subject but says nothing, so
 * the best passage under it is taken, else its first. At most `max` characters.
 */
export function bestPassage(markdown: string, forms: ReadonlyMap<string, number>, max = 240): string {
  const passages = passagesOf(markdown);
  if (passages.length === 0) return '';
  const lang = detectSearchLang(markdown);
  const scored = passages.map((p, i) => ({ p, i, w: passageWeight(p.text, forms, lang) }));
  const best = scored.reduce((a, b) => (b.w > a.w ? b : a), scored[0]);
  let chosen = best;
  if (best.p.heading || best.p.text.split(/\s+/).length < 4) {
    const under = scored.filter((s) => !s.p.heading && s.i > best.i && s.p.section === (best.p.heading ? best.i : best.p.section));
    const substantive = under.filter((s) => s.p.text.split(/\s+/).length >= 4);
    const pool = substantive.length > 0 ? substantive : under;
    // A title heading with sub-sections right under it: the next passage that says something.
    const next = scored.find((s) => s.i > best.i && !s.p.heading && s.p.text.split(/\s+/).length >= 4);
    if (pool.length > 0) chosen = pool.reduce((a, b) => (b.w > a.w ? b : a), pool[0]);
    else if (next) chosen = next;
  }
  const anchors = [...forms.keys()].map(foldAccents);
  return truncateAround(chosen.p.text, anchors, max);
}
