/** Numerically stable softmax of logits divided by a temperature (1 = the raw model). */
export function softmax(logits: ArrayLike<number>, temperature = 1): number[] {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k] / temperature);
  const exps = Array.from(logits, (z) => Math.exp(z / temperature - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Index of the largest value; ties go to the lowest index, so results never depend on noise. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}
