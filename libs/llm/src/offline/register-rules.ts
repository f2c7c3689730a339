/**
 * The machinery of a register change: ordered rewrite rules, each with a label saying what it
 * changed, applied line by line so an email keeps its shape (greeting, paragraphs, closing).
 */
export interface RewriteRule {
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
  /** What the rule changes, in the answer's language ("abréviations développées"). */
  label: string;
}

/** A whole-word, case-insensitive phrase; `\b` would fail next to accented letters. */
export function words(source: string, flags = 'giu'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}'’])(?:${source})(?![\\p{L}\\p{N}])`, flags);
}

/** Applies the rules in order; `changes` collects the labels of those that changed something. */
export function applyRules(text: string, rules: RewriteRule[], changes: Set<string>): string {
  let out = text;
  for (const rule of rules) {
    const next = out.replace(rule.pattern, rule.replace as string);
    if (next !== out) changes.add(rule.label);
    out = next;
  }
  return out;
}

/** Keeps the case of the word replaced: "Salut" → "Bonjour", "salut" → "bonjour". */
export function sameCase(original: string, replacement: string): string {
  return /^\p{Lu}/u.test(original) ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
}

/** Emoji and ASCII smileys: no register keeps them in a formal text. */
export const EMOJI = /\s*(?:\p{Extended_Pictographic}\uFE0F?|(?<!\S)[:;xX]-?[)(DPp](?!\S)|<3)/gu;

/** Each sentence starts with a capital (after rules lowercased or removed its first word). */
export function capitaliseSentences(line: string): string {
  return line.replace(/(^|[.!?]\s+)(\p{Ll})/gu, (_, lead: string, letter: string) => `${lead}${letter.toUpperCase()}`);
}

/** Spaces left by removed words, and doubled punctuation. */
export function tidy(line: string): string {
  return line
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/\s+([,.])/g, '$1')
    .replace(/([!?]){2,}/g, '$1')
    .replace(/,([.!?])/g, '$1')
    .replace(/^[\s,]+/, '')
    .trimEnd();
}
