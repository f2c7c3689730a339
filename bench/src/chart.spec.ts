import { logScale, renderLatencyChart } from './chart';

describe('the latency chart', () => {
  it('maps decades to equal distances', () => {
    const y = logScale(1, 100, 0, 200);
    expect([y(1), y(10), y(100)]).toEqual([0, 100, 200]);
  });

  it('draws a p50 and a dashed p99 line per system, and escapes text', () => {
    const svg = renderLatencyChart(
      'a < b',
      [
        {
          name: 'KODA',
          color: '#000',
          points: [
            { x: 1, p50: 1, p99: 3 },
            { x: 10, p50: 2, p99: 8 },
          ],
        },
      ],
      10,
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('a &lt; b');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray="6 4"');
  });

  it('says so when there is nothing to draw', () => {
    expect(renderLatencyChart('t', [])).toContain('no data');
  });
});
