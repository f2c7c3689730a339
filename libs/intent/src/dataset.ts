import { readFileSync } from 'fs';
import * as path from 'path';
import { Intent, INTENTS } from '@koda/contracts';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One labelled user message. */
export interface IntentExample {
  text: string;
  intent: Intent;
  lang?: Language;
}

export const DATASET_SPLITS = ['train', 'eval'] as const;
export type DatasetSplit = (typeof DATASET_SPLITS)[number];

/**
 * `src/` (under Jest) and `dist/` (after `tsc -b`) both sit one level below the package root,
 * so the same relative path finds the shipped data from either.
 */
export const DATA_DIR = path.join(__dirname, '..', 'data');

export function datasetPath(split: DatasetSplit): string {
  return path.join(DATA_DIR, `${split}.jsonl`);
}

/** Loads a shipped split, or any JSONL file given by path. */
export function loadDataset(splitOrPath: string): IntentExample[] {
  const file = (DATASET_SPLITS as readonly string[]).includes(splitOrPath) ? datasetPath(splitOrPath as DatasetSplit) : splitOrPath;
  return parseJsonl(readFileSync(file, 'utf8'), file);
}

/** Parses `{"text","intent","lang"?}` lines; a bad line fails loudly with its line number. */
export function parseJsonl(content: string, source = 'dataset'): IntentExample[] {
  const examples: IntentExample[] = [];
  content.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${source}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${where}: not valid JSON`);
    }
    examples.push(toExample(value, where));
  });
  return examples;
}

function toExample(value: unknown, where: string): IntentExample {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { text, intent, lang } = record;
  if (typeof text !== 'string' || text.trim() === '') throw new Error(`${where}: "text" must be a non-empty string`);
  if (!(INTENTS as readonly unknown[]).includes(intent)) {
    throw new Error(`${where}: "intent" must be one of ${INTENTS.join(', ')}`);
  }
  if (lang !== undefined && !(LANGUAGES as readonly unknown[]).includes(lang)) {
    throw new Error(`${where}: "lang" must be one of ${LANGUAGES.join(', ')}`);
  }
  return { text, intent: intent as Intent, ...(lang ? { lang: lang as Language } : {}) };
}
