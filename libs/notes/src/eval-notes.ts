/**
 * Mimir search evaluation CLI: searches every labelled question of libs/notes/eval/questions.json
 * over the shipped notes and prints recall@1, recall@3 and no-match precision per kind.
 *
 *   node libs/notes/dist/eval-notes.js [--split test|dev|all] [--ablation] [--calibrate]
 *
 * `--calibrate` sweeps the no-match threshold on the dev split; `--ablation` turns each part
 * of the search off in turn to show what it buys. With KODA_EMBEDDINGS_URL set, a second table
 * shows the search fused with embeddings.
 */
import { join } from 'node:path';
import { calibrate } from './eval/calibrate';
import { EmbeddingsClient } from './embeddings/embeddings-client';
import { evaluate, formatTable, fusedSearcher, indexSearcher, loadNotes, loadQuestions, type LabelledQuestion } from './eval/notes-eval';
import type { NotesIndexOptions } from './notes-index';

const ROOT = join(__dirname, '../../..');

function flag(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

const ABLATIONS: [string, NotesIndexOptions][] = [
  ['full search', {}],
  ['without question understanding', { queryUnderstanding: false }],
  ['without the FR↔EN lexicon', { lexicon: false }],
  ['without typo tolerance (fuzzy)', { weights: { fuzzy: 0 } }],
  ['without prefix matches', { weights: { prefix: 0 } }],
];

async function main(argv: string[]): Promise<void> {
  const split = flag(argv, '--split') ?? 'test';
  const all = await loadQuestions(join(ROOT, 'libs/notes/eval/questions.json'));
  const notes = await loadNotes(join(ROOT, 'notes'));
  const pick = (s: string): LabelledQuestion[] => (s === 'all' ? all : all.filter((q) => q.split === s));
  if (argv.includes('--calibrate')) {
    process.stdout.write(`${calibrate(pick('dev'), notes)}\n`);
    return;
  }
  const questions = pick(split);
  const configs = argv.includes('--ablation') ? ABLATIONS : ABLATIONS.slice(0, 1);
  for (const [name, options] of configs) {
    const rows = await evaluate(questions, indexSearcher(notes, options));
    process.stdout.write(`${formatTable(`Offline, ${name} — ${split} split (${questions.length} questions)`, rows)}\n\n`);
  }
  const url = process.env.KODA_EMBEDDINGS_URL;
  if (url) {
    const client = new EmbeddingsClient({ url, model: process.env.KODA_EMBEDDINGS_MODEL || 'nomic-embed-text', apiKey: process.env.KODA_EMBEDDINGS_API_KEY });
    const minSimilarity = process.env.KODA_EMBEDDINGS_MIN_SIMILARITY ? Number(process.env.KODA_EMBEDDINGS_MIN_SIMILARITY) : undefined;
    const rows = await evaluate(questions, await fusedSearcher(notes, client, minSimilarity));
    process.stdout.write(`${formatTable(`With embeddings (${client.model}), fused by RRF — ${split} split`, rows)}\n\n`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`eval:notes failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
