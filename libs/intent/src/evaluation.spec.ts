import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { main, parseArgs } from './eval-routing';
import { accuracyOf, confusionMatrix, perClassMetrics } from './metrics';

describe('metrics', () => {
  const matrix = confusionMatrix(['restitution', 'restitution', 'recherche', 'discussion'], ['restitution', 'recherche', 'recherche', 'recherche']);

  it('counts actual × predicted', () => {
    expect(matrix.restitution).toEqual({ restitution: 1, recherche: 1, discussion: 0 });
    expect(matrix.discussion.recherche).toBe(1);
    expect(accuracyOf(matrix)).toBe(0.5);
  });

  it('computes precision and recall, 0 when undefined', () => {
    const metrics = perClassMetrics(matrix);
    expect(metrics.recherche).toMatchObject({ precision: 1 / 3, recall: 1, support: 1 });
    expect(metrics.restitution).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(metrics.discussion).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
});

describe('eval-routing CLI', () => {
  it('prints the report and passes on the shipped eval split', () => {
    let out = '';
    const code = main([], (text) => (out += text));
    expect(code).toBe(0);
    for (const part of ['accuracy:', 'precision', 'confusion', 'ECE', 'PASS']) expect(out).toContain(part);
  });

  it('fails when accuracy is below the bar', () => {
    // Deliberately mislabelled messages: the classifier cannot agree with any of them.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'koda-intent-')), 'wrong.jsonl');
    writeFileSync(
      file,
      [
        { text: 'Cherche mes notes sur Python', intent: 'discussion' },
        { text: 'Débattez du télétravail', intent: 'recherche' },
        { text: 'Résume notre conversation', intent: 'recherche' },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    let out = '';
    expect(main(['--eval', file], (text) => (out += text))).toBe(1);
    expect(out).toContain('FAIL: accuracy 0.000');
  });

  it('rejects bad arguments with exit code 2', () => {
    const ignore = () => undefined;
    expect(main(['--min-accuracy', '2'], ignore)).toBe(2);
    expect(main(['--bogus', 'x'], ignore)).toBe(2);
    expect(main(['--threshold'], ignore)).toBe(2);
    expect(parseArgs(['--threshold', '0.6']).threshold).toBe(0.6);
  });
});
