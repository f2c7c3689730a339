import { EMOJI, type RewriteRule, sameCase, words } from './register-rules';

const CONTRACTIONS: Record<string, string> = {
  "can't": 'cannot',
  "won't": 'will not',
  "don't": 'do not',
  "doesn't": 'does not',
  "didn't": 'did not',
  "isn't": 'is not',
  "aren't": 'are not',
  "wasn't": 'was not',
  "couldn't": 'could not',
  "shouldn't": 'should not',
  "i'm": 'I am',
  "it's": 'it is',
  "that's": 'that is',
  "we're": 'we are',
  "you're": 'you are',
  "they're": 'they are',
  "i've": 'I have',
  "we've": 'we have',
  "i'll": 'I will',
  "we'll": 'we will',
  "you'll": 'you will',
  "i'd": 'I would',
};

const SLANG: Record<string, string> = {
  u: 'you',
  ur: 'your',
  r: 'are',
  pls: 'please',
  plz: 'please',
  thx: 'thank you',
  thanx: 'thank you',
  ty: 'thank you',
  asap: 'as soon as possible',
  btw: 'by the way',
  fyi: 'for your information',
  gonna: 'going to',
  wanna: 'want to',
  gotta: 'have to',
  dunno: 'do not know',
  yeah: 'yes',
  yep: 'yes',
  yup: 'yes',
  nope: 'no',
  cuz: 'because',
  coz: 'because',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  msg: 'message',
  guys: 'everyone',
  info: 'information',
  awesome: 'excellent',
};

/** Sentence-initial commands that become requests ("send me…" → "Could you please send me…?"). */
const COMMANDS = 'send|give|tell|call|check|review|update|share|fix|confirm|forward|let me know|book|bring|prepare';

const CONTRACTED: Record<string, string> = {
  'i would like': "I'd like",
  'do not': "don't",
  'does not': "doesn't",
  cannot: "can't",
  'i am': "I'm",
  'it is': "it's",
  'we are': "we're",
  'you are': "you're",
  'i will': "I'll",
  'we will': "we'll",
};

const contraction = (word: string) => CONTRACTIONS[word.toLowerCase().replace('’', "'")];

/** Informal English → professional: slang spelled out, contractions expanded, commands asked. */
export const PROFESSIONAL_EN: RewriteRule[] = [
  { pattern: /^(?:hey|hi|hiya|yo)\b[ \t]*(?:there\b)?[ \t]*/i, replace: 'Hello ', label: 'greeting' },
  { pattern: words(Object.keys(SLANG).join('|')), replace: (m) => sameCase(m, SLANG[m.toLowerCase()]), label: 'abbreviations and slang spelled out' },
  {
    pattern: words(
      "(?:can|won|don|doesn|didn|isn|aren|wasn|couldn|shouldn)['’]t|i['’]m|it['’]s|that['’]s|(?:we|you|they)['’]re|(?:i|we)['’]ve|(?:i|we|you)['’]ll|i['’]d",
    ),
    replace: (m) => sameCase(m, contraction(m)).replace(/^i /, 'I '),
    label: 'contractions expanded',
  },
  { pattern: words('i', 'gu'), replace: 'I', label: 'capital I' },
  { pattern: words('can you|can u|could you'), replace: (m) => sameCase(m, 'could you please'), label: 'requests made polite' },
  {
    pattern: new RegExp(`(^|[.!?]\\s+)(${COMMANDS})\\b([^.!?]*)[.!]*`, 'giu'),
    replace: (_m, lead: string, verb: string, rest: string) => `${lead}Could you please ${verb.toLowerCase()}${rest}?`,
    label: 'requests made polite',
  },
  { pattern: words('I want'), replace: 'I would like', label: 'softer wording' },
  {
    pattern: words('(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|april|june|july|august|september|october|november|december', 'gu'),
    replace: (m) => m.charAt(0).toUpperCase() + m.slice(1),
    label: 'capitals',
  },
  { pattern: /^(?:cheers|xoxo|later|cya|see ya)[\s!.]*$/i, replace: 'Best regards,', label: 'closing' },
  { pattern: EMOJI, replace: '', label: 'emoji removed' },
  { pattern: /!+/g, replace: '.', label: 'exclamation marks toned down' },
];

/** Formal English → relaxed: contractions, simple greetings and closings. */
export const CASUAL_EN: RewriteRule[] = [
  { pattern: /^(?:dear|hello)\b/i, replace: 'Hi', label: 'greeting' },
  { pattern: words('could you please|would you kindly|could you kindly'), replace: (m) => sameCase(m, 'can you'), label: 'simpler requests' },
  { pattern: words(Object.keys(CONTRACTED).join('|')), replace: (m) => sameCase(m, CONTRACTED[m.toLowerCase()]), label: 'contractions' },
  { pattern: /^(?:best regards|kind regards|regards|sincerely|yours sincerely|yours faithfully),?$/i, replace: 'Cheers,', label: 'closing' },
  { pattern: words('please find attached'), replace: "here's", label: 'simpler wording' },
];

/** Closings that already end an English email. */
export const CLOSING_EN = /^(?:best|kind|warm)? ?(?:regards|wishes)|^(?:sincerely|cheers|thanks|thank you|many thanks)\b/i;
