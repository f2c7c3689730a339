import type { RetrievedNote } from '@koda/llm';

/**
 * The hits an answer actually cites: by number (`[2]`, the offline answer's and the prompt's
 * form) or by note id (the tool-use answer's form). Only those become `clickable_objects`:
 * a note the answer did not use is not a source.
 */
export function citedHits(answer: string, hits: RetrievedNote[]): RetrievedNote[] {
  return hits.filter((hit, i) => answer.includes(hit.id) || new RegExp(`\\[${i + 1}\\]`).test(answer));
}
