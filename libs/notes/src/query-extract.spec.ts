import { extractSearchQuery } from './query-extract';

describe('extractSearchQuery', () => {
  it.each([
    ["cherche dans mes notes ce que j'ai écrit sur Redis", 'Redis'],
    ['Cherche dans mes notes : la recette de ratatouille', 'recette de ratatouille'],
    ["Qu'est-ce que j'ai noté sur le sommeil ?", 'sommeil'],
    ['Est-ce que j’ai des notes sur Docker ?', 'Docker'],
    ['Peux-tu chercher dans mes notes les astuces TypeScript', 'astuces TypeScript'],
    ['que disent mes notes sur le budget', 'budget'],
    ["Qu'ai-je écrit à propos de l'asyncio en Python ?", 'asyncio en Python'],
    ['recherche les notes sur le potager', 'potager'],
    ['What did I write about sleep?', 'sleep'],
    ['Search my notes for Redis Streams', 'Redis Streams'],
    ['Can you find my notes on sourdough bread please', 'sourdough bread'],
    ['Do I have any notes about running?', 'running'],
    ['What do my notes say about SSE?', 'SSE'],
    ['find deep work in my notes', 'deep work'],
    ['Redis Streams', 'Redis Streams'],
  ])('"%s" → "%s"', (message, query) => {
    expect(extractSearchQuery(message)).toBe(query);
  });

  it('keeps the message when only request phrasing is left', () => {
    expect(extractSearchQuery('cherche dans mes notes')).toBe('cherche dans mes notes');
  });
});
