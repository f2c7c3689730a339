import type { Note } from '@koda/contracts';
import { NotesIndex } from '../notes-index';
import type { LabelledQuestion } from './notes-eval';

/**
 * Sweeps the no-match threshold (`minScore`) and the weight of unknown words on the given
 * (dev) questions, scoring each setting by recall@3 of answerable questions plus the share of
 * no-match questions left uncited, and returns a report with the best setting.
 */
export function calibrate(questions: LabelledQuestion[], notes: Map<string, Note>): string {
  const lines = ['unknownWeight minScore  recall@3  no-match  sum'];
  let best = { sum: -1, line: '' };
  for (const unknownWeight of [0, 0.25, 0.5, 0.75, 1, 1.5]) {
    const index = new NotesIndex({ unknownWeight, minScore: 0 });
    const fileOf = new Map<string, string>();
    for (const [file, note] of notes) {
      index.apply({ type: 'note_added', note });
      fileOf.set(note.id, file);
    }
    const ranked = questions.map((q) => ({ q, hits: index.search(q.question, 5) }));
    for (let minScore = 0.05; minScore <= 0.8; minScore += 0.025) {
      const kept = ranked.map(({ q, hits }) => ({ q, files: hits.filter((h) => h.score >= minScore).map((h) => fileOf.get(h.id)) }));
      const answerable = kept.filter((k) => k.q.notes.length > 0);
      const none = kept.filter((k) => k.q.notes.length === 0);
      const recall = answerable.filter((k) => k.files.slice(0, 3).some((f) => f && k.q.notes.includes(f))).length / answerable.length;
      const noMatch = none.filter((k) => k.files.length === 0).length / Math.max(1, none.length);
      const sum = recall + noMatch;
      const line = `${unknownWeight.toFixed(2).padStart(13)} ${minScore.toFixed(3).padStart(8)}  ${recall.toFixed(3).padStart(8)}  ${noMatch.toFixed(3).padStart(8)}  ${sum.toFixed(3)}`;
      lines.push(line);
      if (sum > best.sum + 1e-9) best = { sum, line };
    }
  }
  return `${lines.join('\n')}\n\nbest: ${best.line}`;
}
