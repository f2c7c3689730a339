import type { CompleteEvent, RunEvent } from '@koda/contracts';
import { readSse, type SseResult } from '../../support';

/** The events after the node's last `retrying` marker (all of them when it never restarted). */
export function afterLastRetry(events: RunEvent[]): { attempt: number | undefined; events: RunEvent[] } {
  let index = -1;
  events.forEach((e, i) => e.type === 'processing' && e.status === 'retrying' && (index = i));
  const marker = index >= 0 ? events[index] : undefined;
  return { attempt: marker?.type === 'processing' ? marker.attempt : undefined, events: events.slice(index + 1) };
}

/**
 * What a client keeps of a node: after the last `retrying`, only tokens of the current attempt,
 * and they spell exactly the final answer.
 */
export function expectExactAnswerFromCurrentAttempt(events: RunEvent[], complete: CompleteEvent): void {
  const { attempt, events: current } = afterLastRetry(events);
  const tokens = current.filter((e) => e.type === 'token');
  expect(tokens.length).toBeGreaterThan(0);
  if (attempt !== undefined) for (const token of tokens) expect(token).toMatchObject({ attempt });
  expect(tokens.map((t) => (t as { delta: string }).delta).join('')).toBe(complete.result.response);
}

/** Reads a run to its end, resuming with `Last-Event-ID` whenever the connection ends early. */
export async function readRunToEnd(baseUrl: string, first: SseResult, runId: string, attempts = 20): Promise<{ events: RunEvent[]; ids: string[] }> {
  const events = [...first.events];
  const ids = [...first.ids];
  let done = first.done;
  for (let i = 0; !done && i < attempts; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const headers: Record<string, string> = ids.length ? { 'Last-Event-ID': ids[ids.length - 1] } : {};
    const next = await readSse(`${baseUrl}/api/v1/runs/${runId}/events`, { headers }).catch(() => null);
    if (!next || next.status !== 200) continue;
    events.push(...next.events);
    ids.push(...next.ids);
    done = next.done;
  }
  if (!done) throw new Error(`run ${runId} did not end`);
  return { events, ids };
}

export const terminals = (events: RunEvent[]) => events.filter((e) => e.type === 'complete' || (e.type === 'error' && e.fatal));
