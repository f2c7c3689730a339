import { compareTracing, median, verdictOf } from './tracing-overhead';

describe('compareTracing', () => {
  it('takes medians, and calls a change within noise when re-measuring one configuration moves it as much', () => {
    const figure = compareTracing([100, 110, 90], [104, 96, 100]);
    expect(figure).toMatchObject({ off: 100, on: 100, ratio: 1 });
    expect(figure.noise).toBeCloseTo(0.2);
    expect(figure.withinNoise).toBe(true);
    expect(verdictOf(figure)).toBe('1.00× (noise ±20%): within noise');
  });

  it('calls a change larger than the spread of the repeats beyond noise', () => {
    const figure = compareTracing([100, 102], [80, 81]);
    expect(figure.ratio).toBeCloseTo(80.5 / 101);
    expect(figure.withinNoise).toBe(false);
    expect(verdictOf(figure)).toMatch(/beyond noise$/);
  });

  it('needs two measurements of each', () => {
    expect(() => compareTracing([1], [1, 2])).toThrow(/two measurements/);
    expect(median([3, 1, 2, 4])).toBe(2.5);
  });
});
