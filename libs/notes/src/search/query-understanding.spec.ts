import { splitSentences, understandQuery } from './query-understanding';

describe('understandQuery', () => {
  it.each([
    ["Qu'est-ce que j'avais noté sur Redis Streams ?", 'Redis Streams', ['Redis', 'Streams']],
    ['Hey, can you remind me what I wrote about the sourdough starter please?', 'sourdough starter', ['sourdough', 'starter']],
    ['Tu peux me retrouver la recette de la ratatouille stp', 'recette de la ratatouille', ['recette', 'ratatouille']],
    ['Do I have any notes on Server-Sent Events?', 'Server-Sent Events', ['Server', 'Sent', 'Events']],
  ])('"%s" searches "%s"', (message, query, words) => {
    expect(understandQuery(message)).toMatchObject({ query, words });
  });

  it('searches the sentence that asks, not the background around it', () => {
    const message =
      "Salut Mimir ! J'ai eu une semaine chargée au travail, les réunions s'enchaînent. Qu'est-ce que j'avais noté sur le sommeil ? Merci d'avance";
    const understood = understandQuery(message);
    expect(understood.query).toBe('sommeil');
    expect(understood.words).toEqual(['sommeil']);
    expect(understood.lang).toBe('fr');
  });

  it('takes the sentence before a question that names no subject', () => {
    expect(understandQuery('Mon potager et les semis de tomates. Tu peux m’aider ?').words).toEqual(['potager', 'semis', 'tomates']);
  });

  it('keeps the whole message when it asks nothing explicitly', () => {
    expect(understandQuery('postgres index btree').words).toEqual(['postgres', 'index', 'btree']);
  });

  it('has no words for pure chat', () => {
    expect(understandQuery('Bonjour, merci beaucoup !').words).toEqual([]);
  });

  it('does not split sentences inside words like Node.js', () => {
    expect(splitSentences('I use Node.js daily. What about v2.1? Done')).toEqual(['I use Node.js daily.', 'What about v2.1?', 'Done']);
  });
});
