/**
 * Tracing off vs on, from measurements repeated and interleaved in one bench run. Pure:
 * unit-tested in tracing-overhead.spec.ts.
 */

export interface OverheadFigure {
  /** Median over the repeats of each configuration. */
  off: number;
  on: number;
  /** on ÷ off. */
  ratio: number;
  /** How far repeats of one same configuration land apart: the larger relative spread (max − min) ÷ median of the two. */
  noise: number;
  /** |ratio − 1| ≤ noise: tracing changes this figure less than re-measuring it does. */
  withinNoise: boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const spread = (values: number[]) => (Math.max(...values) - Math.min(...values)) / median(values);

export function compareTracing(off: number[], on: number[]): OverheadFigure {
  if (off.length < 2 || on.length < 2) throw new Error('the noise needs at least two measurements of each configuration');
  const ratio = median(on) / median(off);
  const noise = Math.max(spread(off), spread(on));
  return { off: median(off), on: median(on), ratio, noise, withinNoise: Math.abs(ratio - 1) <= noise };
}

/** One line for the table and the log: `1.03× (noise ±8%): within noise`. */
export function verdictOf(figure: OverheadFigure): string {
  const change = `${figure.ratio.toFixed(2)}× (noise ±${Math.round(figure.noise * 100)}%)`;
  return `${change}: ${figure.withinNoise ? 'within noise' : 'beyond noise'}`;
}
