import { Intent } from '@koda/contracts';
import { expectedCalibrationError } from './calibration';
import { IntentClassification, IntentClassifier } from './classifier';
import { IntentExample, Language } from './dataset';
import { accuracyOf, ClassMetrics, confusionMatrix, ConfusionMatrix, perClassMetrics } from './metrics';
import { DEFAULT_CONFIDENCE_THRESHOLD, routeIntent } from './routing';

export interface Misclassification {
  text: string;
  expected: Intent;
  predicted: Intent;
  confidence: number;
}

export interface EvaluationReport {
  total: number;
  accuracy: number;
  perClass: Record<Intent, ClassMetrics>;
  confusion: ConfusionMatrix;
  /** Expected calibration error (10 bins) of the calibrated confidences. */
  ece: number;
  /** The same with temperature 1, to show what calibration bought. */
  uncalibratedEce: number;
  temperature: number;
  byLanguage: Partial<Record<Language, { total: number; accuracy: number }>>;
  routing: {
    threshold: number;
    /** Share of messages sent to the fallback instead of the classifier's guess. */
    fallbackRate: number;
    /** Share of messages whose routed intent is the labelled one, fallback included. */
    routedAccuracy: number;
  };
  errors: Misclassification[];
}

/** Scores a classifier on labelled examples (the eval split: never used to train or tune). */
export function evaluate(classifier: IntentClassifier, examples: readonly IntentExample[], threshold = DEFAULT_CONFIDENCE_THRESHOLD): EvaluationReport {
  const results = examples.map((e) => classifier.classify(e.text));
  const raw = examples.map((e) => classifier.classifyAt(e.text, 1));
  const confusion = confusionMatrix(
    examples.map((e) => e.intent),
    results.map((r) => r.intent),
  );
  const routed = results.map((r) => routeIntent(r, threshold));
  return {
    total: examples.length,
    accuracy: accuracyOf(confusion),
    perClass: perClassMetrics(confusion),
    confusion,
    ece: calibrationError(examples, results),
    uncalibratedEce: calibrationError(examples, raw),
    temperature: classifier.temperature,
    byLanguage: accuracyByLanguage(examples, results),
    routing: {
      threshold,
      fallbackRate: share(routed.map((d) => d.fallback)),
      routedAccuracy: share(routed.map((d, i) => d.intent === examples[i].intent)),
    },
    errors: misclassifications(examples, results),
  };
}

function calibrationError(examples: readonly IntentExample[], results: readonly IntentClassification[]): number {
  return expectedCalibrationError(
    results.map((r) => r.confidence),
    results.map((r, i) => r.intent === examples[i].intent),
  );
}

function accuracyByLanguage(examples: readonly IntentExample[], results: readonly IntentClassification[]): EvaluationReport['byLanguage'] {
  const byLanguage: EvaluationReport['byLanguage'] = {};
  examples.forEach((e, i) => {
    if (!e.lang) return;
    const entry = (byLanguage[e.lang] ??= { total: 0, accuracy: 0 });
    entry.total += 1;
    entry.accuracy += results[i].intent === e.intent ? 1 : 0; // a count until normalised below
  });
  for (const entry of Object.values(byLanguage)) entry.accuracy /= entry.total;
  return byLanguage;
}

function misclassifications(examples: readonly IntentExample[], results: readonly IntentClassification[]): Misclassification[] {
  return examples.flatMap((e, i) =>
    results[i].intent === e.intent ? [] : [{ text: e.text, expected: e.intent, predicted: results[i].intent, confidence: results[i].confidence }],
  );
}

function share(flags: readonly boolean[]): number {
  return flags.length === 0 ? 0 : flags.filter(Boolean).length / flags.length;
}
