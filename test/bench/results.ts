// One row per measured figure: printed as a table and written to bench-results.json.
import { writeFileSync } from 'node:fs';

export interface Row {
  figure: string;
  unit: string;
  /** Median of the warm runs (or the single value of a count/size). */
  median: number | null;
  /** Number of warm runs behind the median (1 for a size or a count). */
  runs: number;
  cold?: number | undefined;
  /** What the figure is compared with, e.g. "floor 36.1 ms". */
  reference?: string | undefined;
  /** median / reference (or reference / median for "faster than" goals, see `goal`). */
  ratio?: number | null | undefined;
  /** The goal in words, e.g. "ratio <= 1.5". */
  goal?: string | undefined;
  met?: boolean | null | undefined;
  /** Why a row is not measured or missed, in a few words. */
  note?: string | undefined;
}

function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  if (Math.abs(value) >= 1000) return value.toFixed(0);
  if (Math.abs(value) >= 100) return value.toFixed(1);
  return value.toFixed(digits);
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['figure', 'unit', 'median', 'cold', 'runs', 'reference', 'ratio', 'goal', 'met'];
  const cells = rows.map((r) => [
    r.figure,
    r.unit,
    r.median === null ? 'not measured' : fmt(r.median),
    fmt(r.cold),
    String(r.runs),
    r.reference ?? '',
    fmt(r.ratio),
    r.goal ?? '',
    r.met === undefined || r.met === null ? '-' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]): string =>
    c
      .map((v, i) => v.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const [i, c] of cells.entries()) {
    out.push(line(c));
    const note = rows[i]?.note;
    if (note) out.push(`    ↳ ${note}`);
  }
  return out.join('\n');
}

export function writeResults(file: string, rows: readonly Row[], meta: Record<string, unknown>): void {
  writeFileSync(file, `${JSON.stringify({ ...meta, results: rows }, null, 2)}\n`);
}
