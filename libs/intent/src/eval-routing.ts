/**
 * Routing evaluation CLI: trains on data/train.jsonl, scores data/eval.jsonl, prints accuracy,
 * per-class precision/recall, the confusion matrix and calibration error, and exits non-zero
 * when accuracy is below the bar, so CI can gate on it.
 *
 *   node libs/intent/dist/eval-routing.js [--min-accuracy 0.9] [--threshold 0.5]
 *                                         [--train file.jsonl] [--eval file.jsonl]
 */
import { IntentClassifier } from './classifier';
import { loadDataset } from './dataset';
import { evaluate } from './evaluation';
import { formatReport } from './report';
import { DEFAULT_CONFIDENCE_THRESHOLD } from './routing';

export const DEFAULT_MIN_ACCURACY = 0.9;

interface CliOptions {
  minAccuracy: number;
  threshold: number;
  train: string;
  eval: string;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    minAccuracy: DEFAULT_MIN_ACCURACY,
    threshold: DEFAULT_CONFIDENCE_THRESHOLD,
    train: 'train',
    eval: 'eval',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--min-accuracy') options.minAccuracy = parseUnit(flag, value);
    else if (flag === '--threshold') options.threshold = parseUnit(flag, value);
    else if (flag === '--train') options.train = value;
    else if (flag === '--eval') options.eval = value;
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

function parseUnit(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${flag} must be a number in [0, 1]`);
  return n;
}

/** Runs the evaluation and returns the process exit code (0 pass, 1 below the bar, 2 misuse). */
export function main(argv: readonly string[], write: (text: string) => void): number {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    write(`eval-routing: ${(error as Error).message}\n`);
    return 2;
  }
  const started = process.hrtime.bigint();
  const classifier = IntentClassifier.fromDataset(options.train);
  const trainMs = Number(process.hrtime.bigint() - started) / 1e6;
  const report = evaluate(classifier, loadDataset(options.eval), options.threshold);
  const pass = report.accuracy >= options.minAccuracy;
  write(`${formatReport(report)}\n\ntrained in ${trainMs.toFixed(0)} ms\n`);
  write(`${pass ? 'PASS' : 'FAIL'}: accuracy ${report.accuracy.toFixed(3)} (minimum ${options.minAccuracy})\n`);
  return pass ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (text) => process.stdout.write(text));
}
