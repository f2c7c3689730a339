import { EMOJI, type RewriteRule, sameCase, words } from './register-rules';

const ABBREVIATIONS: Record<string, string> = {
  stp: 's’il vous plaît',
  svp: 's’il vous plaît',
  bcp: 'beaucoup',
  pb: 'problème',
  rdv: 'rendez-vous',
  qqch: 'quelque chose',
  qqn: 'quelqu’un',
  dispo: 'disponible',
  dispos: 'disponibles',
  asap: 'dès que possible',
  mtn: 'maintenant',
  pk: 'pourquoi',
  pq: 'pourquoi',
  ok: 'd’accord',
  infos: 'informations',
  info: 'information',
  ouais: 'oui',
  boulot: 'travail',
  sympa: 'aimable',
  'y a': 'il y a',
  'j’sais pas': 'je ne sais pas',
};

/** "tu" verbs whose "vous" form is not the regular one. */
const IRREGULAR: Record<string, string> = {
  as: 'avez',
  es: 'êtes',
  veux: 'voulez',
  peux: 'pouvez',
  sais: 'savez',
  dois: 'devez',
  vas: 'allez',
  fais: 'faites',
  dis: 'dites',
  prends: 'prenez',
  viens: 'venez',
  mets: 'mettez',
  vois: 'voyez',
  crois: 'croyez',
  connais: 'connaissez',
  reçois: 'recevez',
  pars: 'partez',
  sors: 'sortez',
  lis: 'lisez',
  écris: 'écrivez',
  finis: 'finissez',
  réponds: 'répondez',
  attends: 'attendez',
  envoies: 'envoyez',
  appelles: 'appelez',
  rappelles: 'rappelez',
  jettes: 'jetez',
  paies: 'payez',
};

/** The "vous" form of a verb conjugated with "tu", or null when no rule is sure of it. */
export function vousForm(verb: string): string | null {
  const lower = verb.toLowerCase();
  if (IRREGULAR[lower]) return IRREGULAR[lower];
  if (/oies$/.test(lower)) return lower.replace(/oies$/, 'oyez');
  if (/es$/.test(lower)) return lower.replace(/es$/, 'ez'); // parles → parlez, oublies → oubliez
  if (/ais$/.test(lower)) return lower.replace(/ais$/, 'iez'); // pourrais → pourriez
  return null;
}

/** Imperatives that become requests ("Envoie-moi le rapport" → "Pourriez-vous m’envoyer le rapport ?"). */
const IMPERATIVES: Record<string, string> = {
  envoie: 'envoyer',
  dis: 'dire',
  donne: 'donner',
  appelle: 'appeler',
  rappelle: 'rappeler',
  préviens: 'prévenir',
  confirme: 'confirmer',
  passe: 'passer',
  fais: 'faire',
  regarde: 'regarder',
  vérifie: 'vérifier',
  transmets: 'transmettre',
  indique: 'indiquer',
  montre: 'montrer',
  explique: 'expliquer',
  écris: 'écrire',
  réponds: 'répondre',
  relis: 'relire',
  envoyez: 'envoyer',
  dites: 'dire',
  donnez: 'donner',
  appelez: 'appeler',
  confirmez: 'confirmer',
  faites: 'faire',
};

function asRequest(lead: string, verb: string, me: string | undefined, rest: string): string {
  const infinitive = IMPERATIVES[verb.toLowerCase()];
  const pronoun = me ? (/^[aeéèêiouy]/i.test(infinitive) ? 'm’' : 'me ') : '';
  return `${lead}Pourriez-vous ${pronoun}${infinitive}${rest.replace(/\s+$/, '')} ?`;
}

/** Informal French → professional: vouvoiement, abbreviations spelled out, commands asked politely. */
export const PROFESSIONAL_FR: RewriteRule[] = [
  { pattern: /^(?:salut|coucou|hello|hey|yo|slt)\b(?:[ \t]+(?:à tous|tout le monde))?/i, replace: 'Bonjour', label: 'salutation' },
  { pattern: /^(?:bises|bisous|biz|a\+|à plus|à\+|\+\+|ciao|tchao)[\s!.]*$/i, replace: 'Bien cordialement,', label: 'formule de fin' },
  {
    pattern: words(Object.keys(ABBREVIATIONS).join('|')),
    replace: (m) => sameCase(m, ABBREVIATIONS[m.toLowerCase().replace("'", '’')]),
    label: 'abréviations développées',
  },
  {
    pattern: new RegExp(`(^|[.!?]\\s+)(${Object.keys(IMPERATIVES).join('|')})(-moi)?\\b([^.!?]*)[.!]*`, 'giu'),
    replace: (_m, lead: string, verb: string, me: string | undefined, rest: string) => asRequest(lead, verb, me, rest),
    label: 'demandes formulées poliment',
  },
  {
    pattern: words('(?:est-ce que )?tu (?:peux|pourrais)|peux-tu|pourrais-tu'),
    replace: (m) => sameCase(m, 'pourriez-vous'),
    label: 'tutoiement → vouvoiement',
  },
  { pattern: words("t['’](as|es)"), replace: (m) => sameCase(m, /es$/i.test(m) ? 'vous êtes' : 'vous avez'), label: 'tutoiement → vouvoiement' },
  {
    pattern: words("tu ((?:m['’]|me |le |la |les |l['’]|lui |nous |en |y )?)(\\p{L}+)"),
    replace: (m, pronoun: string, verb: string) => {
      const vous = vousForm(verb);
      return vous ? sameCase(m, `vous ${pronoun}${vous}`) : m;
    },
    label: 'tutoiement → vouvoiement',
  },
  {
    pattern: /(?<![\p{L}])(je|on|il|elle|nous|ils|elles) (?:te |t['’])(?=\p{L})/giu,
    replace: (_m, who: string) => `${who} vous `,
    label: 'tutoiement → vouvoiement',
  },
  { pattern: words('toi'), replace: (m) => sameCase(m, 'vous'), label: 'tutoiement → vouvoiement' },
  {
    pattern: /(?<![\p{L}])(?<!(?:le|un|du|au|ce) )(ton|ta|tes)(?![\p{L}])/giu,
    replace: (m) => sameCase(m, m.toLowerCase() === 'tes' ? 'vos' : 'votre'),
    label: 'tutoiement → vouvoiement',
  },
  { pattern: words('merci d’avance|merci par avance'), replace: (m) => sameCase(m, 'je vous remercie par avance'), label: 'remerciements plus formels' },
  { pattern: EMOJI, replace: '', label: 'émojis retirés' },
  { pattern: /!+/g, replace: '.', label: 'points d’exclamation adoucis' },
];

/** Formal French → lighter, still with "vous" (switching to "tu" needs to know the reader). */
export const CASUAL_FR: RewriteRule[] = [
  { pattern: /^(?:madame|monsieur|chère|cher)\b[^,]*,?/i, replace: 'Bonjour,', label: 'salutation' },
  { pattern: words('je me permets de vous (?:contacter|écrire)'), replace: (m) => sameCase(m, 'je vous écris'), label: 'formules allégées' },
  { pattern: words('je vous prie de bien vouloir|veuillez'), replace: (m) => sameCase(m, 'merci de'), label: 'formules allégées' },
  { pattern: words('pourriez-vous'), replace: (m) => sameCase(m, 'pouvez-vous'), label: 'formules allégées' },
  { pattern: words('je vous remercie'), replace: (m) => sameCase(m, 'merci'), label: 'formules allégées' },
  { pattern: /^(?:veuillez agréer|je vous prie d’agréer|je vous prie d'agréer)[^.]*\.?$/i, replace: 'Bonne journée,', label: 'formule de fin' },
  { pattern: /^(?:bien cordialement|cordialement|salutations distinguées|respectueusement),?$/i, replace: 'Bonne journée,', label: 'formule de fin' },
];

/** Closings that already end a French email. */
export const CLOSING_FR = /^(?:bien )?(?:cordialement|à bientôt|salutations|bien à vous|merci|bonne (?:journée|soirée)|je vous remercie)/i;

/** French spacing before ? ! ; : (a plain space: the answer is text, not typeset). */
export function frenchSpacing(line: string): string {
  return line.replace(/(\p{L}|\p{N}|[»)])([?!;])(?=\s|$)/gu, '$1 $2');
}
