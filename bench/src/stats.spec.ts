import { percentile, perSecond, round, summarize } from './stats';

describe('percentile (nearest rank)', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('returns a sample that really occurred', () => {
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 99.9)).toBe(100);
  });

  it('clamps at the ends', () => {
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('rounds the rank up, so p99 of 10 samples is the max', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
  });
});

describe('summarize', () => {
  it('sorts numerically, not as strings', () => {
    const s = summarize([10, 9, 100, 2, 1]);
    expect([s.min, s.p50, s.max]).toEqual([1, 9, 100]);
    expect(s.count).toBe(5);
    expect(s.mean).toBeCloseTo(24.4);
  });

  it('gives NaN figures for no samples rather than throwing', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(s.p99).toBeNaN();
    expect(s.mean).toBeNaN();
  });
});

describe('perSecond and round', () => {
  it('rates a count over a window in ms', () => {
    expect(perSecond(300, 1500)).toBe(200);
    expect(perSecond(5, 0)).toBeNaN();
  });

  it('rounds for JSON and turns non-finite values into null', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(Number.NaN)).toBeNull();
  });
});
