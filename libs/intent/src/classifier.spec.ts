import { INTENTS } from '@koda/contracts';
import { INTENT_CLASSIFIER_ID, IntentClassifier } from './classifier';
import { loadDataset } from './dataset';
import { evaluate } from './evaluation';

const classifier = IntentClassifier.default();
const evalSet = loadDataset('eval');

describe('IntentClassifier on the eval split', () => {
  const report = evaluate(classifier, evalSet);

  it('reaches at least 90% accuracy', () => {
    expect(report.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('is good in both languages and for every intent', () => {
    expect(report.byLanguage.fr?.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(report.byLanguage.en?.accuracy).toBeGreaterThanOrEqual(0.85);
    for (const intent of INTENTS) expect(report.perClass[intent].recall).toBeGreaterThanOrEqual(0.85);
  });

  it('is calibrated: low ECE, better than the raw model', () => {
    expect(report.ece).toBeLessThan(0.08);
    expect(report.ece).toBeLessThan(report.uncalibratedEce);
  });

  it('is more accurate on its confident half than on its unsure half', () => {
    const scored = evalSet.map((e) => ({ e, r: classifier.classify(e.text) })).sort((a, b) => b.r.confidence - a.r.confidence);
    const half = Math.floor(scored.length / 2);
    const accuracy = (xs: typeof scored) => xs.filter(({ e, r }) => r.intent === e.intent).length / xs.length;
    expect(accuracy(scored.slice(0, half))).toBeGreaterThanOrEqual(accuracy(scored.slice(half)));
    expect(accuracy(scored.slice(0, half))).toBeGreaterThan(0.97);
  });
});

describe('IntentClassifier.classify', () => {
  it.each([
    ['Résume notre conversation', 'restitution'],
    ['Bonjour', 'restitution'],
    ['Test simple', 'restitution'],
    ['cherche des notes sur Python', 'recherche'],
    ['what did I write about the offsite?', 'recherche'],
    ['Débattez de la semaine de quatre jours', 'discussion'],
    ['what do you both think about moving to Lisbon?', 'discussion'],
  ] as const)('%s → %s', (message, intent) => {
    expect(classifier.classify(message).intent).toBe(intent);
  });

  it.each([
    ['Débattez du télétravail', 'debattez du teletravail', 'débatez du téletravail'],
    ['Cherche mes notes sur l’écologie', 'cherche mes notes sur l ecologie', 'cherhce mes notes sur lecologie'],
    ['Résume notre échange', 'resume notre echange', 'rézume notre échanje'],
  ])('is robust to accents and typos: %s', (...variants) => {
    const intents = variants.map((v) => classifier.classify(v).intent);
    expect(new Set(intents).size).toBe(1);
  });

  it('returns probabilities: scores in [0,1] summing to 1, confidence the top score', () => {
    for (const message of ['Bonjour', 'find my notes on rust', 'pros and cons of Go? discuss']) {
      const { intent, confidence, scores } = classifier.classify(message);
      const values = INTENTS.map((i) => scores[i]);
      expect(values.reduce((a, b) => a + b)).toBeCloseTo(1, 10);
      values.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
      expect(confidence).toBe(Math.max(...values));
      expect(scores[intent]).toBe(confidence);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });

  it('never throws on empty or odd input, and has no opinion without evidence', () => {
    const odd: unknown[] = ['', '   ', '?!…', '🙂🙂🙂', '\u0000\u0007', '<script>alert(1)</script>', 'x'.repeat(50_000)];
    for (const message of [...odd, undefined, null, 42]) {
      const result = classifier.classify(message as string);
      expect(INTENTS).toContain(result.intent);
      expect(Number.isFinite(result.confidence)).toBe(true);
    }
    for (const noEvidence of ['', '🙂', 'zzzz qqqq']) {
      expect(classifier.classify(noEvidence)).toEqual({
        intent: 'restitution',
        confidence: 1 / 3,
        scores: { restitution: 1 / 3, recherche: 1 / 3, discussion: 1 / 3 },
      });
    }
  });
});

describe('determinism', () => {
  it('gives identical results for the same message, twice', () => {
    expect(classifier.classify('Cherche mes notes sur Docker')).toEqual(classifier.classify('Cherche mes notes sur Docker'));
  });

  it('trains the same model from the same data', () => {
    const other = IntentClassifier.fromDataset(loadDataset('train'));
    expect(other.temperature).toBe(classifier.temperature);
    for (const e of evalSet.slice(0, 40)) expect(other.classify(e.text)).toEqual(classifier.classify(e.text));
  });

  it('shares one default instance, tagged with its id', () => {
    expect(IntentClassifier.default()).toBe(classifier);
    expect(classifier.id).toBe(INTENT_CLASSIFIER_ID);
  });
});

describe('IntentClassifier.fromDataset', () => {
  it('refuses an empty dataset', () => {
    expect(() => IntentClassifier.fromDataset([])).toThrow(/no examples/);
  });

  it('can skip calibration (temperature 1)', () => {
    const tiny = [
      { text: 'cherche mes notes', intent: 'recherche' },
      { text: 'débattez-en', intent: 'discussion' },
      { text: 'bonjour', intent: 'restitution' },
    ] as const;
    expect(IntentClassifier.fromDataset(tiny, { calibrationFolds: 0 }).temperature).toBe(1);
  });
});
