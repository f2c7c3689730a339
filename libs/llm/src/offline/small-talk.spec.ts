import { smallTalkOf, smallTalkReply } from './small-talk';

describe('small talk', () => {
  it.each([
    ['Bonjour', 'greet'],
    ['Bonsoir Plume !', 'greet'],
    ['Hi there', 'greet'],
    ['Salut, ça va ?', 'how-are-you'],
    ['How are you?', 'how-are-you'],
    ['Merci beaucoup !', 'thanks'],
    ['Super, merci', 'thanks'],
    ['Thanks a lot!', 'thanks'],
    ['Bonne soirée', 'bye'],
    ['Bye!', 'bye'],
    ["D'accord", 'ack'],
    ['ok', 'ack'],
  ])('reads "%s" as %s', (message, kind) => {
    expect(smallTalkOf(message)).toBe(kind);
  });

  it.each([
    'Bonjour, écris un mail à Paul',
    'Hello, can you summarize this: …',
    'Je prépare un voyage à Lisbonne et je voudrais faire une liste complète',
    'Redis',
  ])('leaves "%s" to the other answers', (message) => {
    expect(smallTalkOf(message)).toBeNull();
  });

  it('answers briefly, in kind and in the language', () => {
    expect(smallTalkReply('greet', 'Bonsoir', 'fr', false)).toBe('Bonsoir ! Je suis Plume : je rédige, reformule et résume. Que puis-je faire pour vous ?');
    expect(smallTalkReply('greet', 'Hello', 'en', true)).toBe('Hello! I’m listening: shall we go on?');
    expect(smallTalkReply('how-are-you', 'Salut, comment vas-tu ?', 'fr', false)).toBe('Salut ! Très bien, merci ! Et toi ? Dis-moi ce que je peux écrire.');
    expect(smallTalkReply('thanks', 'Merci !', 'fr', true)).toBe('Avec plaisir ! Autre chose ?');
    expect(smallTalkReply('thanks', 'Thanks!', 'en', true)).toBe('You’re welcome! Anything else?');
    expect(smallTalkReply('bye', 'Bonne nuit', 'fr', true)).toBe('Au revoir, et bonne soirée !');
  });
});
