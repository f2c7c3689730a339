import { FeatureIndex } from './feature-index';
import { extractFeatures } from './features';
import { LogisticRegression } from './logistic-regression';
import { DEFAULT_MODEL_OPTIONS } from './model';
import { packRows } from './sparse';
import { Vectorizer } from './vectorizer';

const options = DEFAULT_MODEL_OPTIONS.features;

function fitVectorizer(messages: string[]): Vectorizer {
  const index = new FeatureIndex();
  const documents = messages.map((m) => index.intern(extractFeatures(m, options)));
  return Vectorizer.fit(documents, index, options);
}

describe('Vectorizer', () => {
  const vectorizer = fitVectorizer(['cherche mes notes', 'débattez du sujet', 'résume la conversation']);

  it('produces unit-length vectors', () => {
    const { values } = vectorizer.transform('cherche mes notes sur le sujet');
    expect(Math.hypot(...values)).toBeCloseTo(1, 12);
  });

  it('drops n-grams never seen in training', () => {
    expect(vectorizer.transform('zzzz qqqq').indices).toHaveLength(0);
  });

  it('honours the minimum document frequency', () => {
    const index = new FeatureIndex();
    const documents = ['aaaa bbbb', 'aaaa cccc'].map((m) => index.intern(extractFeatures(m, options)));
    const strict = Vectorizer.fit(documents, index, { ...options, minDocumentFrequency: 2 });
    expect(strict.transform('bbbb').indices).toHaveLength(0);
    expect(strict.transform('aaaa').indices.length).toBeGreaterThan(0);
  });
});

describe('LogisticRegression', () => {
  // Three classes, each signalled by its own feature; feature 3 is shared noise.
  const rows = packRows([0, 1, 2, 0, 1, 2].map((k) => ({ indices: Int32Array.of(k, 3), values: Float64Array.of(0.8, 0.6) })));
  const labels = Int32Array.of(0, 1, 2, 0, 1, 2);
  const train = () => LogisticRegression.train(rows, labels, 3, 4, { l2: 1e-4, epochs: 60, learningRate: 0.1 });

  it('learns a separable problem', () => {
    const model = train();
    for (const k of [0, 1, 2]) {
      const z = model.logits({ indices: Int32Array.of(k), values: Float64Array.of(1) });
      expect(z.indexOf(Math.max(...z))).toBe(k);
    }
  });

  it('is deterministic', () => {
    const probe = { indices: Int32Array.of(0, 3), values: Float64Array.of(0.5, 0.5) };
    expect(train().logits(probe)).toEqual(train().logits(probe));
  });
});
