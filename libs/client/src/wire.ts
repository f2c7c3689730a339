/**
 * Wire constants of the SSE contract, mirrored from `@koda/contracts` (sse.ts) rather than
 * imported: the contracts barrel carries class-validator DTOs and zod schemas, which a browser
 * bundle should not pay for. `wire.spec.ts` fails if the two ever drift apart.
 */
export const DONE_DATA = '[DONE]';
/** The gateway's default comment-line interval (`: ping`). */
export const DEFAULT_HEARTBEAT_MS = 15_000;
export const LAST_EVENT_ID_HEADER = 'Last-Event-ID';
export const RUN_ID_HEADER = 'X-Run-Id';
export const SESSION_ID_HEADER = 'X-Session-Id';

/** A Redis Stream entry id (`<ms>-<seq>`), the SSE `id:` of every run event. */
const EVENT_ID = /^(\d+)-(\d+)$/;

export function isEventId(id: string | undefined): id is string {
  return id !== undefined && EVENT_ID.test(id);
}

/**
 * Orders two event ids as Redis orders them. Compared numerically part by part (not as
 * strings: `9-0` < `10-0`) and without Number overflow worries (ms fit in 2^53).
 */
export function compareEventIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs !== bMs ? Math.sign(aMs - bMs) : Math.sign(aSeq - bSeq);
}

/** True when `id` was already seen on a stream whose last applied id is `last`. */
export function isDuplicateId(id: string | undefined, last: string | undefined): boolean {
  if (!isEventId(id) || !isEventId(last)) return false;
  return compareEventIds(id, last) <= 0;
}
