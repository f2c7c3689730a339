import { confidenceAndCorrectness, expectedCalibrationError, fitTemperature, negativeLogLikelihood } from './calibration';
import { argmax, softmax } from './softmax';

/**
 * Logits whose labels follow softmax(z / trueT) exactly: each logit vector is repeated 100 times
 * with labels in proportion to its probabilities. The best temperature is then trueT.
 */
function syntheticData(trueTemperature: number): { logits: number[][]; labels: number[] } {
  const logits: number[][] = [];
  const labels: number[] = [];
  for (const z of [
    [3, 0, 0],
    [1, 2, 0],
    [0, 0.5, 4],
    [2, 2, 0],
    [0, 1, 1.5],
  ]) {
    const p = softmax(z, trueTemperature);
    p.forEach((pk, k) => {
      for (let i = 0; i < Math.round(pk * 100); i++) {
        logits.push(z);
        labels.push(k);
      }
    });
  }
  return { logits, labels };
}

describe('softmax', () => {
  it('is stable for large logits and sums to 1', () => {
    const p = softmax([1000, 1001, 999]);
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(argmax(p)).toBe(1);
  });

  it('sharpens below temperature 1 and flattens above', () => {
    expect(Math.max(...softmax([2, 1, 0], 0.5))).toBeGreaterThan(Math.max(...softmax([2, 1, 0])));
    expect(Math.max(...softmax([2, 1, 0], 5))).toBeLessThan(Math.max(...softmax([2, 1, 0])));
  });
});

describe('fitTemperature', () => {
  it.each([0.5, 1, 2.5])('recovers a known temperature (%p)', (trueTemperature) => {
    const { logits, labels } = syntheticData(trueTemperature);
    expect(fitTemperature(logits, labels)).toBeCloseTo(trueTemperature, 1);
  });

  it('never does worse than temperature 1 on the data it was fitted on', () => {
    const { logits, labels } = syntheticData(2);
    const t = fitTemperature(logits, labels);
    expect(negativeLogLikelihood(logits, labels, t)).toBeLessThanOrEqual(negativeLogLikelihood(logits, labels, 1));
  });

  it('is neutral with no data', () => {
    expect(fitTemperature([], [])).toBe(1);
  });
});

describe('expectedCalibrationError', () => {
  it('is 0 when confidence equals accuracy in every bin', () => {
    expect(expectedCalibrationError([0.75, 0.75, 0.75, 0.75], [true, true, true, false])).toBeCloseTo(0, 12);
  });

  it('is the weighted gap between confidence and accuracy', () => {
    // One bin at 0.95 with 50% accuracy (weight 1/2), one at 0.55 all right (weight 1/2).
    const ece = expectedCalibrationError([0.95, 0.95, 0.55, 0.55], [true, false, true, true]);
    expect(ece).toBeCloseTo(0.5 * 0.45 + 0.5 * 0.45, 12);
  });

  it('puts confidence 1 in the last bin and handles no data', () => {
    expect(expectedCalibrationError([1], [true])).toBe(0);
    expect(expectedCalibrationError([], [])).toBe(0);
  });

  it('drops to near zero on well-specified data once the temperature is fitted', () => {
    const { logits, labels } = syntheticData(2);
    const raw = confidenceAndCorrectness(logits, labels, 1);
    const fitted = confidenceAndCorrectness(logits, labels, fitTemperature(logits, labels));
    expect(expectedCalibrationError(fitted.confidences, fitted.correct)).toBeLessThan(expectedCalibrationError(raw.confidences, raw.correct));
  });
});
