import type { Lang } from './language';
import { CASUAL_EN, CLOSING_EN, PROFESSIONAL_EN } from './register-en';
import { CASUAL_FR, CLOSING_FR, frenchSpacing, PROFESSIONAL_FR } from './register-fr';
import { applyRules, capitaliseSentences, type RewriteRule, tidy } from './register-rules';

/** The register a rewrite aims at. */
export type Register = 'professional' | 'casual';

export interface RegisterRewrite {
  text: string;
  /** What changed, as labels in the text's language; empty when no rule applied. */
  changes: string[];
}

const RULES: Record<Register, Record<Lang, RewriteRule[]>> = {
  professional: { fr: PROFESSIONAL_FR, en: PROFESSIONAL_EN },
  casual: { fr: CASUAL_FR, en: CASUAL_EN },
};

const GREETING_LINE = /^(?:bonjour|bonsoir|hello|hi|dear|madame|monsieur|cher|chère)\b/i;
/** Who a greeting addresses when it names no one ("Hello everyone"): not a name to capitalise. */
const NOT_A_NAME = /^(?:everyone|all|team|there|à|tous|toutes|madame|monsieur)$/i;

/**
 * `text` in another register, by rules that each apply to something actually in the text
 * (an abbreviation, "tu", a command, a smiley…). Line by line, so an email keeps its shape.
 * A professional email also gets a greeting's comma and a closing when it lacks them.
 */
export function rewriteRegister(text: string, register: Register, lang: Lang, isEmail: boolean): RegisterRewrite {
  const changes = new Set<string>();
  let lines = text.split('\n').map((line) => {
    if (!line.trim()) return '';
    let out = tidy(applyRules(line.trim(), RULES[register][lang], changes));
    out = capitaliseSentences(out);
    return lang === 'fr' ? frenchSpacing(out) : out;
  });
  if (register === 'professional') lines = frameEmail(lines, lang, isEmail, changes);
  return {
    text: lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    changes: [...changes],
  };
}

/** A greeting line ends with a comma, its name capitalised; an email without a closing gets one. */
function frameEmail(lines: string[], lang: Lang, isEmail: boolean, changes: Set<string>): string[] {
  const out = [...lines];
  const first = out.findIndex((l) => l.trim());
  const greeted = first >= 0 && GREETING_LINE.test(out[first]);
  if (greeted) {
    // "Bonjour paul, je voulais…" keeps its text; only the greeting's own words change.
    const [, greeting, name, rest] = /^(\p{L}+)(?:\s+(\p{L}[\p{L}-]*))?\s*[,.!]?\s*(.*)$/u.exec(out[first]) ?? [];
    if (greeting && (!rest || name)) {
      const named = !name ? '' : NOT_A_NAME.test(name) ? ` ${name}` : ` ${name.charAt(0).toUpperCase()}${name.slice(1)}`;
      const head = `${greeting}${named},`;
      out.splice(first, 1, head, ...(rest ? ['', capitaliseSentences(rest)] : []));
      if (head !== lines[first]) changes.add(lang === 'fr' ? 'salutation' : 'greeting');
    }
  }
  // A body line ends as a sentence does; the greeting and closing keep their comma.
  for (let i = 0; i < out.length; i++) if (/[\p{L}\p{N})»”]$/u.test(out[i]) && !(greeted && i === first)) out[i] = `${out[i]}.`;
  const closing = lang === 'fr' ? CLOSING_FR : CLOSING_EN;
  // A closing is a short last line ("Thank you.", "Cordialement,") or a last "Best regards," after the text.
  const lastLine = [...out].reverse().find((l) => l.trim()) ?? '';
  const lastSentence = lastLine.split(/(?<=[.!?])\s+/).pop() ?? '';
  const closed = (closing.test(lastLine) && lastLine.split(/\s+/).length <= 4) || (closing.test(lastSentence) && lastSentence.endsWith(','));
  if (isEmail && !closed) {
    out.push('', lang === 'fr' ? 'Bien cordialement,' : 'Best regards,');
    changes.add(lang === 'fr' ? 'formule de politesse ajoutée' : 'closing added');
  }
  return out;
}
