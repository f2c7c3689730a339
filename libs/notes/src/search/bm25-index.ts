import { foldAccents, tokenize } from '../text-analysis';
import { detectSearchLang } from './detect-language';
import { stem, type SearchLang } from './stemming';
import { isIndexStopWord } from './stop-words';

/** A note as the ranking sees it: weighted fields of stemmed terms. */
export interface RankedDoc {
  id: string;
  title: string;
  tags: string[];
  content: string;
}

/** Field weights of BM25F: a word of the title says more about a note than one of its body. */
export const FIELD_BOOST = { title: 3, tags: 2, content: 1 } as const;
const K1 = 1.2;
const B = 0.75;

interface DocStats {
  length: number;
  lang: SearchLang;
}

/** The terms of a text in `lang`, stop words dropped, stemmed. */
export function indexTerms(text: string, lang: SearchLang): string[] {
  return tokenize(text)
    .filter((token) => !isIndexStopWord(token))
    .map((token) => stem(token, lang));
}

/**
 * A BM25F inverted index (Robertson's BM25 over boosted fields), small and exact, so the scores
 * mean something stable: `termScore` ∈ [0, idf), additive across query concepts, so a missing
 * word lowers a note's score by its share instead of collapsing it.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Map<string, number>>();
  private readonly docs = new Map<string, DocStats>();
  /** Folded words as written in notes → their index terms (typos are closer to words than to stems). */
  private readonly surfaces = new Map<string, Set<string>>();
  private totalLength = 0;

  get documentCount(): number {
    return this.docs.size;
  }

  /** Every indexed term (for fuzzy matching). */
  vocabulary(): IterableIterator<string> {
    return this.postings.keys();
  }

  /** Words as written in notes (folded), each with its index terms: what typos are matched against. */
  surfaceWords(): IterableIterator<[string, Set<string>]> {
    return this.surfaces.entries();
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  add(doc: RankedDoc): void {
    this.remove(doc.id);
    const lang = detectSearchLang(`${doc.title}\n${doc.content}`);
    const counts = new Map<string, number>();
    let length = 0;
    const fields: [string, number][] = [
      [doc.title, FIELD_BOOST.title],
      [doc.tags.join(' '), FIELD_BOOST.tags],
      [doc.content, FIELD_BOOST.content],
    ];
    for (const [text, boost] of fields) {
      for (const token of tokenize(text)) {
        if (isIndexStopWord(token)) continue;
        const term = stem(token, lang);
        const surface = foldAccents(token);
        this.surfaces.set(surface, (this.surfaces.get(surface) ?? new Set()).add(term));
        counts.set(term, (counts.get(term) ?? 0) + boost);
        length += boost;
      }
    }
    for (const [term, tf] of counts) {
      const posting = this.postings.get(term) ?? new Map<string, number>();
      posting.set(doc.id, tf);
      this.postings.set(term, posting);
    }
    this.docs.set(doc.id, { length, lang });
    this.totalLength += length;
  }

  remove(id: string): void {
    const stats = this.docs.get(id);
    if (!stats) return;
    for (const [term, posting] of this.postings) {
      if (posting.delete(id) && posting.size === 0) this.postings.delete(term);
    }
    this.docs.delete(id);
    this.totalLength -= stats.length;
  }

  /** BM25 inverse document frequency; 0 for a term no note holds. */
  idf(term: string): number {
    const df = this.postings.get(term)?.size ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + (this.docs.size - df + 0.5) / (df + 0.5));
  }

  /** The idf a word found in a single note would have: what an unknown word is worth. */
  get rareIdf(): number {
    return Math.log(1 + (Math.max(1, this.docs.size) - 0.5) / 1.5);
  }

  /** Every note holding `term`, with idf × saturated term frequency (∈ [0, idf)). */
  termScores(term: string): Map<string, number> {
    const scores = new Map<string, number>();
    const posting = this.postings.get(term);
    if (!posting) return scores;
    const idf = this.idf(term);
    const avg = this.totalLength / Math.max(1, this.docs.size);
    for (const [id, tf] of posting) {
      const length = this.docs.get(id)?.length ?? avg;
      const saturated = tf / (tf + K1 * (1 - B + (B * length) / avg));
      scores.set(id, idf * saturated);
    }
    return scores;
  }
}
