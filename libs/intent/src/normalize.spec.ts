import { extractFeatures, DEFAULT_FEATURE_OPTIONS } from './features';
import { MAX_CLASSIFIED_CHARS, normalizeText, tokenize } from './normalize';

describe('normalizeText', () => {
  it('folds accents and case so unaccented typing matches', () => {
    expect(normalizeText('Débattez de l’intérêt')).toBe(normalizeText('debattez de l interet'));
    expect(normalizeText('ÉCRIS À MA SŒUR')).toBe('ecris a ma soeur');
  });

  it('splits French elisions and strips punctuation', () => {
    expect(normalizeText("Qu'est-ce que j'ai écrit ?!")).toBe('qu est ce que j ai ecrit');
  });

  it('squeezes letters repeated for emphasis', () => {
    expect(normalizeText('Salutttt !!!')).toBe('salutt');
  });

  it('returns an empty string for odd input instead of throwing', () => {
    for (const odd of [undefined, null, 42, {}, [], '', '   ', '🙂🙂', '\u0000\n\t']) {
      expect(normalizeText(odd)).toBe('');
    }
  });

  it('bounds the work done on huge messages', () => {
    expect(normalizeText('a '.repeat(100_000)).length).toBeLessThanOrEqual(MAX_CLASSIFIED_CHARS);
  });

  it('tokenizes on single spaces, and an empty text has no tokens', () => {
    expect(tokenize('cherche mes notes')).toEqual(['cherche', 'mes', 'notes']);
    expect(tokenize('')).toEqual([]);
  });
});

describe('extractFeatures', () => {
  it('yields word unigrams, bigrams with sentence boundaries, and character n-grams', () => {
    const features = extractFeatures('Cherche mes notes', DEFAULT_FEATURE_OPTIONS);
    expect(features.get('w:cherche')).toBe(1);
    expect(features.get('w:<s> cherche')).toBe(1);
    expect(features.get('w:notes </s>')).toBe(1);
    expect(features.get('c: not')).toBe(1);
    expect(features.has('w:<s>')).toBe(false);
  });

  it('has no features for an empty message', () => {
    expect(extractFeatures('  ?! ', DEFAULT_FEATURE_OPTIONS).size).toBe(0);
  });
});
