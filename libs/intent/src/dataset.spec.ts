import { existsSync } from 'fs';
import * as path from 'path';
import { INTENTS } from '@koda/contracts';
import { DATA_DIR, datasetPath, IntentExample, loadDataset, parseJsonl } from './dataset';
import { normalizeText } from './normalize';

const train = loadDataset('train');
const evalSet = loadDataset('eval');

function trigrams(text: string): Set<string> {
  const s = ` ${normalizeText(text)} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) grams.add(s.slice(i, i + 3));
  return grams;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared += 1;
  return shared / (a.size + b.size - shared);
}

function countBy(examples: IntentExample[], key: (e: IntentExample) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of examples) counts[key(e)] = (counts[key(e)] ?? 0) + 1;
  return counts;
}

describe('shipped dataset', () => {
  it('lives in <package>/data, found from src (and from dist, one level down too)', () => {
    expect(DATA_DIR).toBe(path.resolve(__dirname, '..', 'data'));
    expect(existsSync(datasetPath('train'))).toBe(true);
    expect(existsSync(datasetPath('eval'))).toBe(true);
  });

  it('has enough examples, balanced across intents and languages', () => {
    expect(train.length).toBeGreaterThanOrEqual(400);
    expect(evalSet.length).toBeGreaterThanOrEqual(150);
    for (const split of [train, evalSet]) {
      const byIntent = countBy(split, (e) => e.intent);
      for (const intent of INTENTS) expect(byIntent[intent] / split.length).toBeGreaterThan(0.3);
      const byLang = countBy(split, (e) => e.lang ?? 'unknown');
      expect(byLang.fr / split.length).toBeGreaterThan(0.45);
      expect(byLang.en / split.length).toBeGreaterThan(0.45);
    }
  });

  it('labels the messages the seed used as restitution', () => {
    const label = (text: string) => train.find((e) => e.text === text)?.intent;
    expect(['Résume notre conversation', 'Bonjour', 'Test simple'].map(label)).toEqual(['restitution', 'restitution', 'restitution']);
  });

  it('has no duplicates within a split', () => {
    for (const split of [train, evalSet]) {
      expect(new Set(split.map((e) => normalizeText(e.text))).size).toBe(split.length);
    }
  });

  it('has no eval message that is a near-duplicate of a train message', () => {
    const trainGrams = train.map((e) => trigrams(e.text));
    const nearDuplicates = evalSet.filter((e) => {
      const grams = trigrams(e.text);
      return trainGrams.some((t) => jaccard(grams, t) >= 0.6);
    });
    expect(nearDuplicates).toEqual([]);
  });
});

describe('parseJsonl', () => {
  it('skips blank lines and keeps the optional language', () => {
    const parsed = parseJsonl('{"text":"Bonjour","intent":"restitution","lang":"fr"}\n\n');
    expect(parsed).toEqual([{ text: 'Bonjour', intent: 'restitution', lang: 'fr' }]);
  });

  it.each([
    ['not json', /x\.jsonl:2: not valid JSON/],
    ['{"text":"","intent":"recherche"}', /"text"/],
    ['{"text":"hi","intent":"chat"}', /"intent" must be one of restitution, recherche, discussion/],
    ['{"text":"hi","intent":"recherche","lang":"de"}', /"lang"/],
    ['null', /"text"/],
  ])('names the bad line: %s', (line, message) => {
    expect(() => parseJsonl(`{"text":"ok","intent":"recherche"}\n${line}`, 'x.jsonl')).toThrow(message);
  });
});
