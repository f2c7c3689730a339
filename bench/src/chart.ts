/**
 * A hand-written SVG line chart: relay latency percentiles (log y) against the number of
 * concurrent streams (log x), one colour per system, p50 solid and p99 dashed. No dependency.
 */
export interface ChartSeries {
  name: string;
  color: string;
  points: { x: number; p50: number; p99: number }[];
}

const W = 720;
const H = 420;
const M = { left: 64, right: 170, top: 40, bottom: 52 };
const TICKS = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

export function renderLatencyChart(title: string, series: ChartSeries[], targetMs?: number): string {
  const points = series.flatMap((s) => s.points).filter((p) => p.p50 > 0 && p.p99 > 0);
  if (points.length === 0) return svg([text(W / 2, H / 2, 'no data', 'middle')]);
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const ys = points.flatMap((p) => [p.p50, p.p99]).concat(targetMs ? [targetMs] : []);
  const yMin = Math.min(...TICKS.filter((t) => t <= Math.min(...ys)), Math.min(...ys));
  const yMax = Math.max(...TICKS.filter((t) => t >= Math.max(...ys)).slice(0, 1), Math.max(...ys));
  const sx = logScale(xs[0], xs[xs.length - 1] === xs[0] ? xs[0] * 10 : xs[xs.length - 1], M.left, W - M.right);
  const sy = logScale(yMin, yMax, H - M.bottom, M.top);
  const parts: string[] = [text(W / 2, 22, title, 'middle', 'font-weight="bold"')];
  for (const t of TICKS.filter((t) => t >= yMin && t <= yMax)) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e5e5e5"/>`, text(M.left - 6, sy(t) + 4, `${t}`, 'end'));
  }
  for (const x of xs)
    parts.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#f0f0f0"/>`, text(sx(x), H - M.bottom + 18, `${x}`, 'middle'));
  parts.push(text(M.left + (W - M.left - M.right) / 2, H - 12, 'concurrent streams', 'middle'));
  parts.push(`<text x="16" y="${H / 2}" transform="rotate(-90 16 ${H / 2})" text-anchor="middle" font-size="12">latency (ms, log)</text>`);
  if (targetMs)
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${sy(targetMs)}" y2="${sy(targetMs)}" stroke="#d00" stroke-dasharray="2 3"/>`,
      text(M.left + 4, sy(targetMs) - 4, `target p99 ${targetMs} ms`, 'start', 'fill="#d00"'),
    );
  series.forEach((s, i) => parts.push(...seriesParts(s, sx, sy), ...legend(s, i)));
  return svg(parts);
}

function seriesParts(s: ChartSeries, sx: (v: number) => number, sy: (v: number) => number): string[] {
  const pts = s.points.filter((p) => p.p50 > 0 && p.p99 > 0).sort((a, b) => a.x - b.x);
  const path = (key: 'p50' | 'p99') => pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p[key]).toFixed(1)}`).join(' ');
  return [
    `<polyline points="${path('p50')}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
    `<polyline points="${path('p99')}" fill="none" stroke="${s.color}" stroke-width="2" stroke-dasharray="6 4"/>`,
    ...pts.map((p) => `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.p50).toFixed(1)}" r="3" fill="${s.color}"/>`),
  ];
}

function legend(s: ChartSeries, i: number): string[] {
  const x = W - M.right + 16;
  const y = M.top + 10 + i * 40;
  return [
    `<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"/>`,
    text(x + 30, y + 4, `${s.name} p50`, 'start'),
    `<line x1="${x}" x2="${x + 24}" y1="${y + 16}" y2="${y + 16}" stroke="${s.color}" stroke-width="2" stroke-dasharray="6 4"/>`,
    text(x + 30, y + 20, `${s.name} p99`, 'start'),
  ];
}

export function logScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const l0 = Math.log10(d0);
  const span = Math.log10(d1) - l0 || 1;
  return (v: number) => r0 + ((Math.log10(v) - l0) / span) * (r1 - r0);
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, s: string, anchor: string, extra = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" font-size="12" ${extra}>${escape(s)}</text>`;
const svg = (parts: string[]) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
