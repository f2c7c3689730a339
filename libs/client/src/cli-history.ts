import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const KEPT = 500;

/** `$KODA_HISTORY`, else ~/.koda_history; an empty value keeps no history on disk. */
export function historyFileOf(env: Record<string, string | undefined>): string | undefined {
  if (env.KODA_HISTORY !== undefined) return env.KODA_HISTORY || undefined;
  return join(homedir(), '.koda_history');
}

/** The last lines typed, newest first (readline's order); none when the file is missing or unreadable. */
export function loadHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-KEPT).reverse();
  } catch {
    return [];
  }
}

/** Best effort: a read-only home must not stop the conversation. */
export function appendHistory(file: string | undefined, line: string): void {
  if (!file || !line.trim()) return;
  try {
    appendFileSync(file, `${line.replace(/\n/g, ' ')}\n`, { mode: 0o600 });
  } catch {
    // not writable: history stays in memory for this session
  }
}
