import { LEXICON_LINES } from './lexicon-data';
import { stemVariants } from './stemming';

/**
 * The bilingual lexicon as a lookup: any form of a word (its French stem, English stem, folded
 * self) → the concepts it belongs to → every form of every word of those concepts.
 */
export class Lexicon {
  private readonly conceptsOf = new Map<string, number[]>();
  private readonly concepts: string[][] = [];

  constructor(lines: string = LEXICON_LINES) {
    for (const line of lines.split('\n')) {
      const words = line.trim().split(/\s+/).filter(Boolean);
      if (words.length < 2 || words[0].startsWith('#')) continue;
      const forms = [...new Set(words.flatMap(stemVariants))];
      const id = this.concepts.push(forms) - 1;
      for (const form of forms) this.conceptsOf.set(form, [...(this.conceptsOf.get(form) ?? []), id]);
    }
  }

  get size(): number {
    return this.concepts.length;
  }

  /** Forms meaning the same as `word` in either language, not counting `word`'s own forms. */
  related(word: string): string[] {
    const own = stemVariants(word);
    const ids = new Set(own.flatMap((form) => this.conceptsOf.get(form) ?? []));
    const related = new Set([...ids].flatMap((id) => this.concepts[id]));
    for (const form of own) related.delete(form);
    return [...related];
  }
}

let shared: Lexicon | undefined;

/** The lexicon shipped with KODA, built once. */
export function defaultLexicon(): Lexicon {
  shared ??= new Lexicon();
  return shared;
}
