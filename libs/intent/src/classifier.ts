import { Intent, INTENTS } from '@koda/contracts';
import { fitTemperature } from './calibration';
import { outOfFoldLogits } from './cross-validation';
import { IntentExample, loadDataset } from './dataset';
import { DEFAULT_MODEL_OPTIONS, IntentModel, ModelOptions, prepareTrainingSet } from './model';
import { argmax, softmax } from './softmax';

/** Name published with routing decisions, so a run log says which classifier decided. */
export const INTENT_CLASSIFIER_ID = 'koda-intent/logreg-ngram-v1';

export interface IntentClassification {
  intent: Intent;
  /** Calibrated probability of `intent`: of messages classified at 0.8, about 80% are right. */
  confidence: number;
  /** Calibrated probability of each intent; they sum to 1. */
  scores: Record<Intent, number>;
}

export interface ClassifierOptions {
  features?: Partial<ModelOptions['features']>;
  training?: Partial<ModelOptions['training']>;
  /** Folds used to fit the temperature on out-of-fold logits; below 2, no calibration (T = 1). */
  calibrationFolds?: number;
}

export const DEFAULT_CALIBRATION_FOLDS = 4;

let defaultInstance: IntentClassifier | undefined;

/** Intent classifier: TF-IDF n-grams → multinomial logistic regression → temperature scaling. */
export class IntentClassifier {
  readonly id = INTENT_CLASSIFIER_ID;

  private constructor(
    private readonly model: IntentModel,
    /**
     * Divides logits before softmax: > 1 softens an overconfident model, < 1 sharpens an
     * underconfident one (the usual case here, as the L2 penalty shrinks the logits).
     */
    readonly temperature: number,
  ) {}

  /**
   * Trains on labelled examples, or on a JSONL file (a shipped split name or a path).
   * Calibration trains `calibrationFolds` extra models to get honest held-out logits, then the
   * final model is trained on everything, so no example is held back from it.
   */
  static fromDataset(source: readonly IntentExample[] | string, options: ClassifierOptions = {}): IntentClassifier {
    const examples = typeof source === 'string' ? loadDataset(source) : source;
    if (examples.length === 0) throw new Error('cannot train an intent classifier on no examples');
    const modelOptions = resolveModelOptions(options);
    const set = prepareTrainingSet(examples, modelOptions);
    const folds = options.calibrationFolds ?? DEFAULT_CALIBRATION_FOLDS;
    const temperature = folds >= 2 ? fitTemperature(outOfFoldLogits(set, modelOptions, folds), set.labels) : 1;
    const model = IntentModel.fitRows(
      set,
      examples.map((_, i) => i),
      modelOptions,
    );
    return new IntentClassifier(model, temperature);
  }

  /**
   * The classifier trained on the shipped `data/train.jsonl`, built on first use and then shared:
   * training takes a fraction of a second, so it is cheaper to train at start than to keep a
   * generated model file in sync with the data it came from.
   */
  static default(): IntentClassifier {
    defaultInstance ??= IntentClassifier.fromDataset('train');
    return defaultInstance;
  }

  /** Never throws; a message with nothing the model knows gets equal scores (→ restitution). */
  classify(message: string): IntentClassification {
    return this.classifyAt(message, this.temperature);
  }

  /** Classification at an explicit temperature; 1 gives the raw, uncalibrated probabilities. */
  classifyAt(message: string, temperature: number): IntentClassification {
    const probabilities = softmax(this.model.logits(message), temperature);
    const best = argmax(probabilities);
    const scores = Object.fromEntries(INTENTS.map((intent, k) => [intent, probabilities[k]])) as Record<Intent, number>;
    return { intent: INTENTS[best], confidence: probabilities[best], scores };
  }
}

function resolveModelOptions(options: ClassifierOptions): ModelOptions {
  return {
    features: { ...DEFAULT_MODEL_OPTIONS.features, ...options.features },
    training: { ...DEFAULT_MODEL_OPTIONS.training, ...options.training },
  };
}
