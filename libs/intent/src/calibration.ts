import { argmax, softmax } from './softmax';

/**
 * Temperature scaling (Guo et al., 2017): one scalar T divides every logit so that softmax
 * probabilities match observed accuracy. It never changes the predicted class, only how sure
 * the classifier says it is. T is fitted by minimising log-loss on logits the model produced
 * for messages it was NOT trained on (out-of-fold), since training logits are overconfident.
 */
export function fitTemperature(logits: readonly number[][], labels: readonly number[]): number {
  if (logits.length === 0) return 1;
  // Log-loss is convex in β = 1/T, so a golden-section search over β finds the optimum.
  let lo = 1e-3;
  let hi = 20;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (negativeLogLikelihood(logits, labels, 1 / a) <= negativeLogLikelihood(logits, labels, 1 / b)) hi = b;
    else lo = a;
  }
  return 2 / (lo + hi);
}

/** Mean negative log-probability of the true class (log-softmax inlined: called in a search loop). */
export function negativeLogLikelihood(logits: readonly number[][], labels: readonly number[], temperature: number): number {
  let total = 0;
  logits.forEach((z, i) => {
    let max = -Infinity;
    for (const v of z) max = Math.max(max, v / temperature);
    let sum = 0;
    for (const v of z) sum += Math.exp(v / temperature - max);
    total += Math.log(sum) + max - z[labels[i]] / temperature;
  });
  return total / Math.max(logits.length, 1);
}

/**
 * Expected calibration error: predictions are binned by confidence into equal-width bins, and
 * ECE is the sample-weighted mean gap between each bin's accuracy and its mean confidence.
 */
export function expectedCalibrationError(confidences: readonly number[], correct: readonly boolean[], binCount = 10): number {
  const bins = Array.from({ length: binCount }, () => ({ n: 0, confidence: 0, hits: 0 }));
  confidences.forEach((c, i) => {
    const bin = bins[Math.min(binCount - 1, Math.floor(c * binCount))];
    bin.n += 1;
    bin.confidence += c;
    bin.hits += correct[i] ? 1 : 0;
  });
  const total = Math.max(confidences.length, 1);
  return bins.reduce((ece, b) => (b.n === 0 ? ece : ece + Math.abs(b.hits - b.confidence) / total), 0);
}

/** Confidence (top probability) and correctness of each row of logits at a temperature. */
export function confidenceAndCorrectness(
  logits: readonly number[][],
  labels: readonly number[],
  temperature: number,
): { confidences: number[]; correct: boolean[] } {
  const probabilities = logits.map((z) => softmax(z, temperature));
  return {
    confidences: probabilities.map((p) => Math.max(...p)),
    correct: probabilities.map((p, i) => argmax(p) === labels[i]),
  };
}
