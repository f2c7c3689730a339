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
  msg('assistant', 'Oui, Redis Streams convient : chaque entrée a un identifiant croissant, XRANGE relit le journal et XREAD BLOCK suit les nouvelles entrées. Il faut une connexion dédiée par lecteur bloquant.'),
  msg('user', 'Et pour pousser les événements au navigateur, SSE ou WebSocket ?'),
  msg('assistant', "SSE suffit pour un flux du serveur vers le navigateur. Le navigateur se reconnecte seul et renvoie Last-Event-ID, et l'identifiant Redis sert d'id SSE.", 'mimir'),
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

  it('does not summarise the request itself when the history already holds it', () => {
    const withRequest = [...chatFr, msg('user', 'Résume notre conversation')];
    expect(plumeAnswer('Résume notre conversation', withRequest)).toBe(plumeAnswer('Résume notre conversation', chatFr));
  });

  it('says there is nothing to summarise yet', () => {
    expect(plumeAnswer('Résume notre conversation', [])).toMatch(/rien à résumer/);
    expect(plumeAnswer('Summarize our chat', [])).toMatch(/nothing to summarise/);
  });

  it('summarises a text given after a colon instead of the conversation', () => {
    const text = 'Le sommeil dépend surtout de l’heure de lever. Une heure de lever fixe recale l’horloge interne. La lumière du matin aide aussi beaucoup. Le café après 13 h nuit au sommeil.';
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
