/** Redis Stream ids (`<ms>-<seq>`), compared numerically: string order is wrong across lengths. */
export const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
export const ORIGIN_ID = '0-0';

export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-');
  const [bMs, bSeq] = b.split('-');
  return Number(aMs) - Number(bMs) || Number(aSeq) - Number(bSeq);
}
