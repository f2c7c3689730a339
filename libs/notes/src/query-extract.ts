/**
 * Strip request phrasing from a message before it is searched: "cherche dans mes notes ce que
 * j'ai écrit sur Redis" must search "Redis", not the request words, which would match every
 * note that happens to say "notes" or "écrit".
 */

const ACCENT_CLASSES: Record<string, string> = {
  a: '[aàâä]',
  e: '[eéèêë]',
  i: '[iîï]',
  o: '[oôö]',
  u: '[uùûü]',
  c: '[cç]',
  "'": "['’]",
};

/** A pattern written without accents that matches with or without them. */
function loose(source: string): string {
  return source.replace(/[aeiouc']/g, (ch) => ACCENT_CLASSES[ch] ?? ch);
}

const POLITE = "(?:(?:est-ce que |est ce que )?(?:tu peux|peux-tu|peux tu|pourrais-tu|pourrais tu|vous pouvez|pouvez-vous)(?: me)? |(?:can|could|would) you(?: please)? |please )?";
const ABOUT = "(?: ?(?:sur|a propos de|a propos d'|au sujet de|au sujet d'|concernant|pour|de|d'|about|on|regarding|for|related to))?";
const NOTES = "(?:mes|les|nos|my|the|our) notes?";

/** Leading request phrasings, French then English. Order matters: longest first. */
const LEADING = [
  `${POLITE}(?:me )?(?:cherche|recherche|trouve|retrouve|fouille|regarde)r?z?(?:-moi| moi)? (?:dans|parmi) ${NOTES}(?: ce que j'ai (?:ecrit|note|dit))?${ABOUT}`,
  `${POLITE}(?:qu'est-ce que|qu'est ce que|qu'|que|ce que|quoi) ?(?:j'ai|ai-je|avais-je|j'avais) (?:ecrit|note|dit|mis)(?: dans ${NOTES})?${ABOUT}`,
  `(?:est-ce que |est ce que )?(?:j'ai|ai-je) (?:des|une|quelques) notes?${ABOUT}`,
  `${POLITE}(?:montre|donne|affiche|liste|resume|cherche|recherche|trouve|retrouve)r?z?(?:-moi| moi)? ${NOTES}${ABOUT}`,
  `(?:qu'est-ce que |que )?(?:disent|dit) ${NOTES}${ABOUT}`,
  `(?:dans|selon|d'apres) ${NOTES},?`,
  `${POLITE}(?:search|look|dig|check)(?: through| in| into| at)? ${NOTES}${ABOUT}`,
  `${POLITE}find(?: me)? (?:in )?${NOTES}${ABOUT}`,
  `${POLITE}what (?:did|do|have|had) i (?:write|written|wrote|note|noted|say|said|jot|jotted)(?: down)?(?: in ${NOTES})?${ABOUT}`,
  `do i have (?:any |a )?notes?${ABOUT}`,
  `what do ${NOTES} say${ABOUT}`,
  `${POLITE}(?:show|give|list)(?: me)? ${NOTES}${ABOUT}`,
  `(?:according to|in|from) ${NOTES},?`,
  `${POLITE}(?:cherche|recherche|trouve|retrouve)(?:-moi| moi)?${ABOUT}`,
  `${POLITE}(?:search for|search|look up|look for|find)${ABOUT}`,
].map((p) => new RegExp(`^\\s*${loose(p)}\\b\\s*`, 'iu'));

/** Trailing request phrasings and politeness. */
const TRAILING = [
  `,? ?(?:dans|parmi) ${NOTES}`,
  `,? ?(?:in|from) ${NOTES}`,
  `,? ?(?:s'il te plait|s'il vous plait|stp|svp|please)`,
].map((p) => new RegExp(`\\s*${loose(p)}\\s*[?!.]*\\s*$`, 'iu'));

/** Filler words left at the edges once the request phrasing is gone. */
const EDGE_FILLER = new RegExp(`^(?:(?:${loose("le|la|les|des|du|un|une|the|a|an|any|about|sur")})\\s+|${loose("l'")})`, 'iu');
const EDGE_PUNCTUATION = /^[\s,:;«"'-]+|[\s?!.,:;»"'-]+$/gu;

/** The search query inside a message; the message itself when nothing but phrasing remains. */
export function extractSearchQuery(message: string): string {
  let query = message.trim().replace(/\s+/g, ' ');
  for (const pattern of LEADING) query = query.replace(pattern, '');
  for (const pattern of TRAILING) query = query.replace(pattern, '');
  query = query.replace(EDGE_PUNCTUATION, '').replace(EDGE_FILLER, '').replace(EDGE_PUNCTUATION, '');
  return query.length > 0 ? query : message.trim();
}
