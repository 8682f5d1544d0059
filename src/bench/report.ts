/** What every benchmark returns: a table for people and the same figures as one JSON object. */
export interface BenchReport {
  readonly name: string;
  /** One-paragraph note on what was measured and what bounds it. */
  readonly note: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** Machine-readable figures (`--json`). */
  readonly figures: Record<string, unknown>;
}

export interface BenchOptions {
  /** Smaller sizes for a quick check (e.g. in a test that the harness runs at all). */
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

export type Benchmark = (options: BenchOptions) => Promise<BenchReport>;

export function formatTable(report: BenchReport): string {
  const cells = [report.columns, ...report.rows].map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = report.columns.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [`## ${report.name}`, line(cells[0] ?? []), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line), '', report.note].join('\n');
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value % 1 === 0 ? 0 : 2);
}
