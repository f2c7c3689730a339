import { INTENTS } from '@koda/contracts';
import { IntentExample } from './dataset';
import { FeatureIndex, InternedDocument } from './feature-index';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures } from './features';
import { DEFAULT_TRAINING_OPTIONS, LogisticRegression, TrainingOptions } from './logistic-regression';
import { packRows, SparseVector } from './sparse';
import { Vectorizer, VectorizerOptions } from './vectorizer';

/** Every knob of the classifier. Defaults were chosen by cross-validation on the train split. */
export interface ModelOptions {
  features: VectorizerOptions;
  training: TrainingOptions;
}

export const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  features: { ...DEFAULT_FEATURE_OPTIONS, minDocumentFrequency: 1 },
  training: DEFAULT_TRAINING_OPTIONS,
};

/** Training messages with n-grams extracted and interned once, shared by every fold. */
export interface TrainingSet {
  readonly index: FeatureIndex;
  readonly documents: readonly InternedDocument[];
  readonly labels: readonly number[];
}

export function prepareTrainingSet(examples: readonly IntentExample[], options: ModelOptions): TrainingSet {
  const index = new FeatureIndex();
  const documents = examples.map((e) => index.intern(extractFeatures(e.text, options.features)));
  return { index, documents, labels: examples.map(labelOf) };
}

/** A vectorizer and the regression trained on its vectors: message in, raw logits out. */
export class IntentModel {
  private constructor(
    private readonly vectorizer: Vectorizer,
    private readonly regression: LogisticRegression,
  ) {}

  static fit(examples: readonly IntentExample[], options: ModelOptions): IntentModel {
    const set = prepareTrainingSet(examples, options);
    return IntentModel.fitRows(
      set,
      set.documents.map((_, i) => i),
      options,
    );
  }

  /** Trains on the given rows of a prepared set (all of them, or a fold's training part). */
  static fitRows(set: TrainingSet, rows: readonly number[], options: ModelOptions): IntentModel {
    if (rows.length === 0) throw new Error('cannot train an intent model on no examples');
    const documents = rows.map((i) => set.documents[i]);
    const vectorizer = Vectorizer.fit(documents, set.index, options.features);
    const matrix = packRows(documents.map((d) => vectorizer.vectorize(d)));
    const labels = Int32Array.from(rows, (i) => set.labels[i]);
    const regression = LogisticRegression.train(matrix, labels, INTENTS.length, vectorizer.dimension, options.training);
    return new IntentModel(vectorizer, regression);
  }

  /** Raw (uncalibrated) class scores, in `INTENTS` order. */
  logits(message: unknown): number[] {
    return this.logitsOfVector(this.vectorizer.transform(message));
  }

  /** Logits of a document interned by the training set's index. */
  logitsOfDocument(document: InternedDocument): number[] {
    return this.logitsOfVector(this.vectorizer.vectorize(document));
  }

  /**
   * A message with no n-gram the model knows ("", "🙂", "zzzz") carries no evidence. The biases
   * alone would still favour one intent, sharpened by calibration into false confidence, so it
   * gets equal scores instead: the classifier says it does not know, and routing falls back.
   */
  private logitsOfVector(vector: SparseVector): number[] {
    return vector.indices.length === 0 ? INTENTS.map(() => 0) : this.regression.logits(vector);
  }
}

/** Class index of an example, in `INTENTS` order. */
export function labelOf(example: IntentExample): number {
  return INTENTS.indexOf(example.intent);
}
