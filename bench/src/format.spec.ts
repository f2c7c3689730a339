import { formatRatio, formatStatus, formatValue, ratio, renderTable } from './format';

describe('formatRatio', () => {
  it('prints value ÷ baseline with two decimals', () => {
    expect(formatRatio(3, 2)).toBe('1.50×');
    expect(formatRatio(1, 3)).toBe('0.33×');
  });

  it('drops decimals for large ratios', () => {
    expect(formatRatio(1234, 2)).toBe('617×');
  });

  it('says n/a when a side is missing, zero or not finite', () => {
    expect(formatRatio(null, 2)).toBe('n/a');
    expect(formatRatio(2, undefined)).toBe('n/a');
    expect(formatRatio(2, 0)).toBe('n/a');
    expect(formatRatio(Number.NaN, 2)).toBe('n/a');
  });

  it('matches the numeric ratio', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNull();
  });
});

describe('formatValue and formatStatus', () => {
  it('keeps fewer decimals as values grow', () => {
    expect(formatValue(1.234, 'ms')).toBe('1.23 ms');
    expect(formatValue(12.34, 'ms')).toBe('12.3 ms');
    expect(formatValue(123.4, '/s')).toBe('123 /s');
    expect(formatValue(null, 'ms')).toBe('—');
  });

  it('names the three outcomes of a target', () => {
    expect([formatStatus(true), formatStatus(false), formatStatus(null)]).toEqual(['met', 'MISSED', 'n/a']);
  });
});

describe('renderTable', () => {
  it('aligns columns under an underlined header', () => {
    expect(
      renderTable([
        ['a', 'bb'],
        ['ccc', 'd'],
      ]).split('\n'),
    ).toEqual(['a    bb', '---  --', 'ccc  d']);
  });
});
