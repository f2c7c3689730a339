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
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** A Redis Stream entry id (`<ms>-<seq>`), the SSE `id:` of every run event. */
const EVENT_ID = /^\d{1,20}-\d{1,20}$/;

export function isEventId(id: string | undefined): id is string {
  return id !== undefined && EVENT_ID.test(id);
}

/**
 * Orders two event ids as Redis orders them: the algorithm of `compareStreamIds` in
 * `@koda/contracts` (shorter digit strings first, equal lengths as text: exact over uint64,
 * where Number would round past 2^53), mirrored here for the browser bundle; `wire.spec.ts`
 * checks the two agree.
 */
export function compareEventIds(a: string, b: string): number {
  const aDash = a.indexOf('-');
  const bDash = b.indexOf('-');
  return compareDigits(a.slice(0, aDash), b.slice(0, bDash)) || compareDigits(a.slice(aDash + 1), b.slice(bDash + 1));
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return Math.sign(a.length - b.length);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `id` was already seen on a stream whose last applied id is `last`. */
export function isDuplicateId(id: string | undefined, last: string | undefined): boolean {
  if (!isEventId(id) || !isEventId(last)) return false;
  return compareEventIds(id, last) <= 0;
}
