import type { SessionMessage } from '@koda/contracts';
import { plumeAnswer } from './plume-answer';

const msg = (role: SessionMessage['role'], content: string, agent?: SessionMessage['agent']): SessionMessage => ({
  role,
  content,
  run_id: 'r',
  timestamp: '2024-01-01T00:00:00Z',
  agent: role === 'assistant' ? (agent ?? 'plume') : undefined,
});

const chatFr = [
  msg('user', "Je veux un journal d'événements pour mon application de chat. Est-ce que Redis Streams est adapté ?"),
  msg(
    'assistant',
    'Oui, Redis Streams convient : chaque entrée a un identifiant croissant, XRANGE relit le journal et XREAD BLOCK suit les nouvelles entrées. Il faut une connexion dédiée par lecteur bloquant.',
  ),
  msg('user', 'Et pour pousser les événements au navigateur, SSE ou WebSocket ?'),
  msg(
    'assistant',
    "SSE suffit pour un flux du serveur vers le navigateur. Le navigateur se reconnecte seul et renvoie Last-Event-ID, et l'identifiant Redis sert d'id SSE.",
    'mimir',
  ),
  msg('user', 'Comment éviter que nginx bufferise le flux ?'),
  msg('assistant', "Envoyez l'en-tête X-Accel-Buffering: no, ou désactivez proxy_buffering dans nginx."),
];

describe('plumeAnswer: conversation summary', () => {
  it('summarises a real multi-turn history, turn by turn, with its topics', () => {
    const answer = plumeAnswer('Résume notre conversation', chatFr);
    expect(answer).toMatch(/^Voici un résumé de notre conversation \(3 échanges\)/);
    for (const topic of ['Redis', 'SSE', 'nginx', 'navigateur']) expect(answer).toContain(topic);
    expect(answer).toContain('Mimir a répondu');
    expect(answer.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(6);
    expect(answer).toMatch(/Thèmes principaux : .*Redis/);
  });

  it('answers in English to an English request', () => {
    const answer = plumeAnswer('Can you summarize our chat?', chatFr);
    expect(answer).toMatch(/^Here is a summary of our conversation \(3 exchanges\)/);
    expect(answer).toContain('Main topics:');
  });

  it('attributes each line to its speaker, never putting the user’s words in an agent’s mouth', () => {
    const draft = plumeAnswer('Écris un mail à Claire pour décaler la mise en production du projet Atlas', []);
    const past = [
      msg('user', 'Je prépare un voyage à Lisbonne en mai.'),
      msg('assistant', plumeAnswer('Je prépare un voyage à Lisbonne en mai.', [])),
      msg('user', 'Écris un mail à Claire pour décaler la mise en production du projet Atlas'),
      msg('assistant', draft),
      msg('user', 'Qu’ai-je noté sur Lisbonne ?'),
      msg('assistant', 'D’après vos notes, le tram 28 part de Martim Moniz. [1] "Lisbonne"', 'mimir'),
    ];
    const lines = plumeAnswer('Résume notre conversation', past)
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(lines).toEqual([
      '- Vous avez écrit : « Je prépare un voyage à Lisbonne en mai. »',
      '- Plume en a pris note.',
      '- Vous avez écrit : « Écris un mail à Claire pour décaler la mise en production du projet Atlas »',
      '- Plume a proposé un brouillon de mail (objet : Décaler la mise en production du projet Atlas).',
      '- Vous avez demandé : « Qu’ai-je noté sur Lisbonne ? »',
      '- Mimir a répondu : D’après vos notes, le tram 28 part de Martim Moniz.',
    ]);
    const english = plumeAnswer('Summarize our chat', [msg('user', 'I am moving to Porto.'), msg('assistant', plumeAnswer('I am moving to Porto.', []))]);
    expect(english).toContain('- You wrote: “I am moving to Porto.”\n- Plume took note of it.');
  });

  it('does not summarise the request itself when the history already holds it', () => {
    const withRequest = [...chatFr, msg('user', 'Résume notre conversation')];
    expect(plumeAnswer('Résume notre conversation', withRequest)).toBe(plumeAnswer('Résume notre conversation', chatFr));
  });

  it('says there is nothing to summarise yet', () => {
    expect(plumeAnswer('Résume notre conversation', [])).toMatch(/rien à résumer/);
    expect(plumeAnswer('Summarize our chat', [])).toMatch(/nothing to summarise/);
  });

  it('summarises a text given after a colon instead of the conversation', () => {
    const text =
      'Le sommeil dépend surtout de l’heure de lever. Une heure de lever fixe recale l’horloge interne. La lumière du matin aide aussi beaucoup. Le café après 13 h nuit au sommeil.';
    const answer = plumeAnswer(`Résume ce texte : ${text}`, chatFr);
    expect(answer).toMatch(/^Voici l’essentiel du texte/);
    expect(answer).toContain('heure de lever');
    expect(answer).not.toContain('Redis');
  });
});

describe('plumeAnswer: reformulation', () => {
  it('rewrites the given text plainer, keeping its content', () => {
    const answer = plumeAnswer(
      "Reformule : En fait, je pense que nous devrions reporter la mise en production afin de terminer la migration des données, car les tests de charge n'ont pas encore été faits.",
      [],
    );
    expect(answer).toMatch(/^Voici une reformulation plus claire/);
    expect(answer).toContain('Nous devrions reporter la mise en production pour terminer la migration des données.');
    expect(answer).toContain("En effet, les tests de charge n'ont pas encore été faits.");
    expect(answer).not.toMatch(/en fait|je pense que|afin de/i);
  });

  it('rewrites the last answer when no text is given', () => {
    const past = [msg('user', 'Why?'), msg('assistant', 'Basically, in order to ship on time we really need to finish the migration.')];
    const answer = plumeAnswer('Rewrite your last answer more simply', past);
    expect(answer).toContain('To ship on time we need to finish the migration.');
  });

  it('asks for a text when there is none', () => {
    expect(plumeAnswer('Reformule', [])).toMatch(/je n’en vois aucun/);
  });

  it('makes an email professional when asked, and lists what changed (EN)', () => {
    const answer = plumeAnswer('Make this email professional: hey john, can u send me the report asap? thx', []);
    expect(answer).toBe(
      'Here is a more professional version:\n\nHello John,\n\nCould you please send me the report as soon as possible? Thank you.\n\nBest regards,\n\n' +
        'Changes: greeting, abbreviations and slang spelled out, requests made polite and closing added.',
    );
  });

  it('makes an email professional when asked (FR)', () => {
    const answer = plumeAnswer('Rends ce mail plus professionnel : salut Paul, tu peux m’envoyer le compte rendu stp ? merci !', []);
    expect(answer).toMatch(
      /^Voici une version plus professionnelle :\n\nBonjour Paul,\n\nPourriez-vous m’envoyer le compte rendu s’il vous plaît \? Merci\.\n\nBien cordialement,/,
    );
    expect(answer).toMatch(/Changements : .*tutoiement → vouvoiement/);
  });

  it('shortens a text by keeping its central sentences, and says by how much', () => {
    const answer = plumeAnswer(
      'Rends ce texte plus court : En fait, je pense que nous devrions reporter la mise en production afin de terminer la migration. Les tests de charge ne sont pas faits. Le client a demandé une démo la semaine prochaine. Il faut aussi prévenir le support.',
      [],
    );
    expect(answer).toMatch(/^Voici une version plus courte :/);
    expect(answer).toContain('Nous devrions reporter la mise en production pour terminer la migration.');
    expect(answer).toMatch(/Changements : 40 mots → \d+\./);
  });

  it('relaxes a formal message (EN)', () => {
    expect(plumeAnswer('Make it more casual: Dear Anna,\nCould you please confirm the date? I would like to book the room.\nKind regards,', [])).toContain(
      "Hi Anna,\nCan you confirm the date? I'd like to book the room.\nCheers,",
    );
  });

  it('says so instead of echoing a text no rule changes', () => {
    expect(plumeAnswer('Reformule : La réunion est lundi.', [])).toBe('Ce texte est déjà clair et direct : je ne vois rien à simplifier.');
    expect(plumeAnswer('Make this more professional:\nDear Anna,\nThe report is attached.\nBest regards,', [])).toBe(
      'This text already reads as professional: I see nothing to change.',
    );
  });
});

describe('plumeAnswer: small talk, questions, news', () => {
  it('answers greetings and thanks briefly, in the conversation’s language', () => {
    expect(plumeAnswer('Bonjour', [])).toBe('Bonjour ! Je suis Plume : je rédige, reformule et résume. Que puis-je faire pour vous ?');
    expect(plumeAnswer('Hello!', [])).toBe('Hello! I’m Plume: I write, rewrite and summarise. What can I do for you?');
    expect(plumeAnswer('Merci beaucoup !', chatFr)).toBe('Avec plaisir ! Autre chose ?');
    expect(plumeAnswer('thanks', [])).toBe('You’re welcome! Anything else?');
    // "OK" says nothing of its language: the French conversation decides.
    expect(plumeAnswer('OK', chatFr)).toBe('Parfait. Dites-moi si vous voulez autre chose.');
  });

  it('says plainly it cannot answer a knowledge question, recalling what the conversation said', () => {
    const answer = plumeAnswer('Comment configurer nginx pour SSE ?', chatFr);
    expect(answer).toMatch(/^Je suis le modèle hors ligne de KODA : je n’ai pas de connaissances propres/);
    expect(answer).toContain('Notre conversation en dit ceci : « ');
    expect(answer).toMatch(/nginx/);
    expect(answer).toContain('ANTHROPIC_API_KEY');
    expect(plumeAnswer('What is the capital of Portugal?', [])).toMatch(/^I am KODA’s offline model: I have no knowledge of my own/);
  });

  it('acknowledges news in the user’s words', () => {
    expect(plumeAnswer('Je prépare un voyage à Lisbonne en mai.', [])).toBe(
      'Noté : « Je prépare un voyage à Lisbonne en mai ». Je peux en tirer un plan, une liste de choses à faire ou un mail : dites-moi lequel.',
    );
    expect(plumeAnswer("I'm moving to Porto next month.", [])).toMatch(/^Noted: “I'm moving to Porto next month”\. I can turn it into a plan/);
    // News carrying a request is a request.
    expect(plumeAnswer('J’ai une réunion demain avec Claire, rédige un mail pour la confirmer', [])).toContain('Objet :');
  });
});

describe('plumeAnswer: drafts', () => {
  it('restates the request and builds on a related conversation', () => {
    const answer = plumeAnswer('Rédige une note pour expliquer à l’équipe pourquoi SSE suffit pour le navigateur', chatFr);
    expect(answer).toContain('Vous me demandez : « Rédige une note');
    expect(answer).toMatch(/Je m’appuie sur notre échange à propos de .*Redis/);
  });

  it('drafts an email with subject and recipient', () => {
    const answer = plumeAnswer('Écris un mail à Claire pour décaler la mise en production du projet Atlas', []);
    expect(answer).toContain('Objet : Décaler la mise en production du projet Atlas');
    expect(answer).toContain('Bonjour Claire,');
  });

  it('drafts a list in English', () => {
    const answer = plumeAnswer('Help me plan a weekend trip to Lisbon with friends', []);
    expect(answer).toContain('1. Goal: weekend trip to Lisbon with friends.');
  });

  it('never answers empty', () => {
    for (const message of ['', '???', 'ok', 'Bonjour !']) expect(plumeAnswer(message, []).trim().length).toBeGreaterThan(20);
  });
});
