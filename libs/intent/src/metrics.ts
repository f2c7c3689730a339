import { Intent, INTENTS } from '@koda/contracts';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** How many examples truly have this intent. */
  support: number;
}

/** confusion[actual][predicted] = count. */
export type ConfusionMatrix = Record<Intent, Record<Intent, number>>;

export function confusionMatrix(actual: readonly Intent[], predicted: readonly Intent[]): ConfusionMatrix {
  const matrix = Object.fromEntries(INTENTS.map((a) => [a, Object.fromEntries(INTENTS.map((p) => [p, 0]))])) as ConfusionMatrix;
  actual.forEach((a, i) => {
    matrix[a][predicted[i]] += 1;
  });
  return matrix;
}

/** Precision, recall and F1 per intent; an undefined ratio (0/0) is reported as 0. */
export function perClassMetrics(matrix: ConfusionMatrix): Record<Intent, ClassMetrics> {
  const entries = INTENTS.map((intent) => {
    const truePositives = matrix[intent][intent];
    const support = INTENTS.reduce((n, p) => n + matrix[intent][p], 0);
    const predictedCount = INTENTS.reduce((n, a) => n + matrix[a][intent], 0);
    const precision = ratio(truePositives, predictedCount);
    const recall = ratio(truePositives, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return [intent, { precision, recall, f1, support }] as const;
  });
  return Object.fromEntries(entries) as Record<Intent, ClassMetrics>;
}

export function accuracyOf(matrix: ConfusionMatrix): number {
  const total = INTENTS.reduce((n, a) => n + INTENTS.reduce((m, p) => m + matrix[a][p], 0), 0);
  const correct = INTENTS.reduce((n, intent) => n + matrix[intent][intent], 0);
  return ratio(correct, total);
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
