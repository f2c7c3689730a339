import { splitPassages } from '@koda/notes';

/**
 * Sentences of a text. Chat messages and notes are both Markdown-ish (bullets, headings, bold),
 * so this is the notes library's passage splitter: one passage per list item or heading,
 * paragraphs cut at sentence ends.
 */
export function splitSentences(text: string): string[] {
  return splitPassages(text);
}

/** Cut to `max` chars on a word boundary, with an ellipsis when something was cut. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

/** Ensure a sentence ends with punctuation, so generated prose reads as prose. */
export function endSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…:»”"]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a, b et c" / "a, b and c". */
export function joinList(items: string[], lastJoiner: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${lastJoiner} ${items[items.length - 1]}`;
}
