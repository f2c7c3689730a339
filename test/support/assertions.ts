import { compareStreamIds, type RunEvent } from '@koda/contracts';
import type { SseResult } from './sse';

export function expectIdsStrictlyIncreasing(ids: string[]): void {
  for (let i = 1; i < ids.length; i++) expect(compareStreamIds(ids[i], ids[i - 1])).toBeGreaterThan(0);
}

/**
 * Every event of the run log has an id (the gateway's own non-fatal notices, such as "Redis is
 * full", are not in the log and have none); the stream ends with exactly one terminal event then
 * `[DONE]`.
 */
export function expectWellFormedRun(result: SseResult): RunEvent {
  expect(result.status).toBe(200);
  const frames = result.frames;
  expect(frames[frames.length - 1].data).toBe('[DONE]');
  const events = frames.slice(0, -1).filter((frame) => !isGatewayNotice(frame.event));
  for (const frame of events) expect(frame.id).toMatch(/^\d+-\d+$/);
  expectIdsStrictlyIncreasing(result.ids);
  const terminals = result.events.filter((e) => e.type === 'complete' || (e.type === 'error' && e.fatal));
  expect(terminals).toHaveLength(1);
  expect(result.events[result.events.length - 1]).toBe(terminals[0]);
  return terminals[0];
}

const isGatewayNotice = (event: RunEvent | undefined): boolean => event?.type === 'error' && !event.fatal && event.code === 'redis_full';

/** The event types in order, with consecutive tokens collapsed, for sequence assertions. */
export function typeSequence(events: RunEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const label = e.type === 'processing' ? `processing:${e.status}` : e.type;
    if (label === 'token' && out[out.length - 1] === 'token') continue;
    out.push(label);
  }
  return out;
}
