/**
 * Redis Stream ids (`<ms>-<seq>`, both unsigned 64-bit integers): the SSE `id:` of every run
 * event, hence the `Last-Event-ID` a client resumes from. One parser and one comparison for
 * every service and client: a number-based comparison loses precision above 2^53, and a
 * string comparison is wrong across lengths.
 */
export const ORIGIN_ID = '0-0';

const UINT64_MAX = 18446744073709551615n;
const SHAPE = /^(\d{1,20})-(\d{1,20})$/;

/** The canonical form of a client-supplied id (no leading zeros), or null when Redis would reject it. */
export function parseStreamId(raw: string): string | null {
  const match = SHAPE.exec(raw);
  if (!match) return null;
  const ms = BigInt(match[1]);
  const seq = BigInt(match[2]);
  if (ms > UINT64_MAX || seq > UINT64_MAX) return null;
  return `${ms}-${seq}`;
}

export const isStreamId = (raw: string): boolean => parseStreamId(raw) !== null;

/**
 * Orders two canonical ids (as Redis returns them, or as `parseStreamId` gives them): shorter
 * digit strings are smaller, equal lengths compare as text. Exact over the whole uint64 range
 * and cheap enough for the relay's hot path (no BigInt allocation).
 */
export function compareStreamIds(a: string, b: string): number {
  const aDash = a.indexOf('-');
  const bDash = b.indexOf('-');
  return compareDigits(a.slice(0, aDash), b.slice(0, bDash)) || compareDigits(a.slice(aDash + 1), b.slice(bDash + 1));
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
