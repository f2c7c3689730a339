import { compareStreamIds, SSE_DONE, SSE_HEARTBEAT_MS } from '@koda/contracts';
import { compareEventIds, DEFAULT_HEARTBEAT_MS, DONE_DATA, isDuplicateId, isEventId } from './wire';

describe('wire constants and event ids', () => {
  it('mirrors the contracts (the client does not import their runtime)', () => {
    expect(DONE_DATA).toBe(SSE_DONE);
    expect(DEFAULT_HEARTBEAT_MS).toBe(SSE_HEARTBEAT_MS);
  });

  it('orders ids numerically, as Redis does', () => {
    expect(compareEventIds('9-0', '10-0')).toBe(-1);
    expect(compareEventIds('1732672000000-10', '1732672000000-9')).toBe(1);
    expect(compareEventIds('1732672000000-1', '1732672000000-1')).toBe(0);
  });

  it('orders ids exactly as the contracts do, past 2^53 too', () => {
    const ids = ['0-0', '9-0', '10-0', '9007199254740992-0', '9007199254740993-0', '9007199254740993-1', '18446744073709551615-18446744073709551615'];
    for (const a of ids) for (const b of ids) expect(compareEventIds(a, b)).toBe(Math.sign(compareStreamIds(a, b)));
  });

  it('calls an id a duplicate when it is not after the last applied one', () => {
    expect(isDuplicateId('5-1', '5-1')).toBe(true);
    expect(isDuplicateId('5-0', '5-1')).toBe(true);
    expect(isDuplicateId('5-2', '5-1')).toBe(false);
    expect(isDuplicateId('5-2', undefined)).toBe(false);
    expect(isDuplicateId(undefined, '5-1')).toBe(false);
    expect(isEventId('garbage')).toBe(false);
  });
});
