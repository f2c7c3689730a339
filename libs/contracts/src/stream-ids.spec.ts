import { compareStreamIds, isStreamId, ORIGIN_ID, parseStreamId } from './stream-ids';

describe('stream ids', () => {
  it('accepts what Redis accepts, canonically', () => {
    expect(parseStreamId('1732672000000-0')).toBe('1732672000000-0');
    expect(parseStreamId('0001-02')).toBe('1-2');
    expect(parseStreamId('18446744073709551615-18446744073709551615')).toBe('18446744073709551615-18446744073709551615');
    expect(parseStreamId(ORIGIN_ID)).toBe('0-0');
  });

  it('refuses ids past uint64 and other shapes', () => {
    for (const bad of [
      '99999999999999999999-0',
      '18446744073709551616-0',
      '1-18446744073709551616',
      '1',
      '-1-0',
      '1-',
      'a-1',
      '1-1-1',
      '',
      ' 1-0',
      '1-0\n',
      '+',
      '$',
    ]) {
      expect(isStreamId(bad)).toBe(false);
    }
  });

  it('orders exactly above 2^53, where numbers round', () => {
    const a = '9007199254740993-0';
    const b = '9007199254740992-0';
    expect(Number(a.split('-')[0]) - Number(b.split('-')[0])).toBe(0);
    expect(compareStreamIds(a, b)).toBeGreaterThan(0);
    expect(compareStreamIds('1-18446744073709551615', '1-18446744073709551614')).toBeGreaterThan(0);
    expect(compareStreamIds('10-0', '9-5')).toBeGreaterThan(0);
    expect(compareStreamIds('5-10', '5-9')).toBeGreaterThan(0);
    expect(compareStreamIds('5-9', '5-9')).toBe(0);
    expect(compareStreamIds('0-0', '1-0')).toBeLessThan(0);
  });
});
