import { INTENTS } from '@koda/contracts';
import { EvaluationReport } from './evaluation';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pad = (s: string | number, width: number): string => String(s).padStart(width);

/** Plain-text rendering of an evaluation, for the eval:routing CLI and CI logs. */
export function formatReport(report: EvaluationReport): string {
  return [
    `examples: ${report.total}`,
    `accuracy: ${pct(report.accuracy)}`,
    ...Object.entries(report.byLanguage).map(([lang, r]) => `  ${lang}: ${pct(r.accuracy)} of ${r.total}`),
    '',
    'per class         precision   recall       f1  support',
    ...INTENTS.map((intent) => {
      const m = report.perClass[intent];
      const columns = [pad(pct(m.precision), 10), pad(pct(m.recall), 8), pad(pct(m.f1), 8), pad(m.support, 8)];
      return `  ${intent.padEnd(14)} ${columns.join(' ')}`;
    }),
    '',
    'confusion (rows: labelled, columns: predicted)',
    `  ${''.padEnd(14)}${INTENTS.map((p) => pad(p, 13)).join('')}`,
    ...INTENTS.map((a) => `  ${a.padEnd(14)}${INTENTS.map((p) => pad(report.confusion[a][p], 13)).join('')}`),
    '',
    `calibration: ECE ${report.ece.toFixed(3)} (temperature ${report.temperature.toFixed(3)}; ` + `uncalibrated ECE ${report.uncalibratedEce.toFixed(3)})`,
    `routing at threshold ${report.routing.threshold}: fallback to plume for ${pct(report.routing.fallbackRate)}, ` +
      `routed correctly ${pct(report.routing.routedAccuracy)}`,
    '',
    `misclassified (${report.errors.length}):`,
    ...report.errors.map((e) => `  [${e.expected} → ${e.predicted} @ ${e.confidence.toFixed(2)}] ${e.text}`),
  ].join('\n');
}
