/** Pure formatting of figures, ratios and the stdout table. Unit-tested in format.spec.ts. */

/** `value / baseline` as "1.23×"; "n/a" when either side is missing, zero or not finite. */
export function formatRatio(value: number | null | undefined, baseline: number | null | undefined): string {
  if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  const ratio = value / baseline;
  // Two significant decimals are plenty for a ratio; large ones need no decimals at all.
  return ratio >= 100 ? `${Math.round(ratio)}×` : `${ratio.toFixed(2)}×`;
}

export function ratio(value: number | null | undefined, baseline: number | null | undefined): number | null {
  if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  return value / baseline;
}

/** A figure with its unit; "—" when it was not measured (a phase skipped or failed). */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return unit ? `${value.toFixed(digits)} ${unit}` : value.toFixed(digits);
}

export function formatStatus(met: boolean | null): string {
  return met === null ? 'n/a' : met ? 'met' : 'MISSED';
}

/** Left-aligned plain-text table; the first row is the header, underlined. */
export function renderTable(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, col) => (cell ?? '').padEnd(widths[col]))
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
