import { type Lang, say } from './language';

/** Short social messages that deserve a short social answer, not a plan. */
export type SmallTalk = 'greet' | 'how-are-you' | 'thanks' | 'bye' | 'ack';

const GREET = /^(bonjour|bonsoir|salut|coucou|hello|hi|hey|good (?:morning|evening|afternoon))\b/i;
const HOW = /(ça va|ca va|comment vas-tu|comment allez-vous|vous allez bien|tu vas bien|how are you|how's it going|how is it going|how are things)/i;
const THANKS = /(?:^|[\s,!.])(merci|thanks|thank you|thx|cheers)(?=$|[\s,!.])/i;
const BYE = /(au revoir|à plus|à bientôt|à demain|bonne (?:journée|soirée|nuit)|\bbye\b|goodbye|see you|good night|have a (?:nice|good) (?:day|evening))/i;
const ACK = /^(ok|okay|d['’]accord|parfait|super|génial|top|cool|great|perfect|nice|got it|compris|entendu|très bien|nickel)\b/i;
/** A request riding on a greeting ("Bonjour, écris un mail…") is a request. */
const REQUEST = /(écri|rédig|résum|reformul|cherch|prépar|trouv|explique|donne|write|draft|summar|rewrite|search|find|prepare|explain|give|:)/i;

const MAX_WORDS = 8;

export function smallTalkOf(message: string): SmallTalk | null {
  const text = message.trim();
  const count = text.split(/\s+/).filter(Boolean).length;
  if (count === 0 || count > MAX_WORDS || REQUEST.test(text)) return null;
  if (THANKS.test(text)) return 'thanks';
  if (BYE.test(text)) return 'bye';
  if (HOW.test(text)) return 'how-are-you';
  if (GREET.test(text)) return 'greet';
  if (ACK.test(text) && count <= 4) return 'ack';
  return null;
}

/** The greeting word the user used, to answer in kind ("Bonsoir" gets "Bonsoir"). */
function greetingOf(message: string, lang: Lang): string {
  const word = GREET.exec(message.trim())?.[1];
  if (!word) return say(lang, 'Bonjour', 'Hello');
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** A short, natural reply; `ongoing` when the conversation already has messages. */
export function smallTalkReply(kind: SmallTalk, message: string, lang: Lang, ongoing: boolean): string {
  const hello = greetingOf(message, lang);
  switch (kind) {
    case 'greet':
      return ongoing
        ? say(lang, `${hello} ! Je vous écoute : on continue ?`, `${hello}! I’m listening: shall we go on?`)
        : say(
            lang,
            `${hello} ! Je suis Plume : je rédige, reformule et résume. Que puis-je faire pour vous ?`,
            `${hello}! I’m Plume: I write, rewrite and summarise. What can I do for you?`,
          );
    case 'how-are-you': {
      const lead = GREET.test(message.trim()) ? say(lang, `${hello} ! `, `${hello}! `) : '';
      const familiar = /(?<!\p{L})(tu|vas-tu|t['’])(?!\p{L})/iu.test(message);
      return (
        lead +
        say(
          lang,
          familiar ? 'Très bien, merci ! Et toi ? Dis-moi ce que je peux écrire.' : 'Très bien, merci ! Et vous ? Dites-moi ce que je peux écrire.',
          'Very well, thank you! And you? Tell me what I can write for you.',
        )
      );
    }
    case 'thanks':
      return say(lang, 'Avec plaisir ! Autre chose ?', 'You’re welcome! Anything else?');
    case 'bye': {
      const evening = /soir|nuit|evening|night/i.test(message);
      return say(lang, `Au revoir, et ${evening ? 'bonne soirée' : 'bonne journée'} !`, `Goodbye, and have a good ${evening ? 'evening' : 'day'}!`);
    }
    case 'ack':
      return say(lang, 'Parfait. Dites-moi si vous voulez autre chose.', 'Great. Let me know if you need anything else.');
  }
}
