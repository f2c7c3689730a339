import { classifyAnswer } from './classify-answer';
import { detectLanguage } from './language';
import { reformulate } from './reformulate';
import { extractiveSummary, keySentence, topKeywords } from './summarize';
import { splitTokens } from './token-stream';
import { estimateTokens, truncateToTokens } from './token-count';

describe('offline text helpers', () => {
  it.each([
    ['Résume notre conversation', 'fr'],
    ['Bonjour', 'fr'],
    ["Qu'est-ce que j'ai écrit sur Redis ?", 'fr'],
    ['Summarize our chat', 'en'],
    ['What did I write about Redis?', 'en'],
    ['Redis', 'en'],
  ])('detects the language of "%s" as %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('picks the sentences about the main topic, in order', () => {
    const text = 'Redis Streams store events. The weather was nice. Consumers read Redis Streams with XREAD. I had coffee.';
    expect(extractiveSummary(text, 2)).toEqual(['Redis Streams store events.', 'Consumers read Redis Streams with XREAD.']);
    expect(keySentence(text)).toBe('Consumers read Redis Streams with XREAD.');
  });

  it('names topics by their surface form, ignoring request words', () => {
    expect(topKeywords(['Écris un mail sur Redis. Redis et SSE, encore Redis et SSE.'], 2)).toEqual(['Redis', 'SSE']);
  });

  it('reformulates: fillers out, plain words in, long sentences split', () => {
    expect(reformulate('Basically, we need a large number of tests in order to ship.', 'en')).toEqual(['We need many tests to ship.']);
    const long =
      'Nous avons migré la base de données vers la nouvelle infrastructure pendant le week-end dernier, mais les performances restent décevantes sur les requêtes de rapport mensuel.';
    expect(reformulate(long, 'fr')).toHaveLength(2);
  });

  it('classifies by keywords as a fallback', () => {
    expect(JSON.parse(classifyAnswer('Cherche dans mes notes la recette'))).toMatchObject({ intent: 'recherche' });
    expect(JSON.parse(classifyAnswer('Résume notre conversation'))).toMatchObject({ intent: 'restitution' });
    expect(JSON.parse(classifyAnswer('Débat : pour et contre le télétravail'))).toMatchObject({ intent: 'discussion' });
    expect(JSON.parse(classifyAnswer('Bonjour'))).toEqual({ intent: 'restitution', confidence: 0.4 });
  });

  it('splits tokens that concatenate back, and counts ~4 chars per token', () => {
    const text = '  Hello,  world!\nNew line ';
    expect(splitTokens(text).join('')).toBe(text);
    expect(estimateTokens('12345678')).toBe(2);
    expect(truncateToTokens('one two three four five six', 3)).toBe('one two');
  });
});
