import type Redis from 'ioredis';
import { keys, STREAM_FIELD, type RunEventDraft, type StartEvent } from '@koda/contracts';

/** Appends events to a run's log straight in Redis, as an agent would (for relay tests). */
export async function writeEvents(redis: Redis, prefix: string, runId: string, drafts: RunEventDraft[]): Promise<string[]> {
  const ids: string[] = [];
  for (const draft of drafts) {
    const event = { ...draft, run_id: runId, timestamp: new Date().toISOString() };
    ids.push((await redis.xadd(keys.runEvents(prefix, runId), '*', STREAM_FIELD, JSON.stringify(event)))!);
  }
  return ids;
}

export const startDraft = (message = 'question'): Omit<StartEvent, 'run_id' | 'timestamp'> => ({
  type: 'start',
  session_id: 's-faults',
  mode: 'plume',
  message,
});
export const tokenDraft = (delta: string): RunEventDraft => ({ type: 'token', node: 'plume', delta });
export const endDraft = (): RunEventDraft => ({ type: 'error', code: 'internal', message: 'end of test run', fatal: true });

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
