/** Markdown tables for the console and BENCHMARKS.md (the same text serves both). */

/** A table: a header row and data rows, all strings; numeric columns are right-aligned. */
export interface Table {
  title?: string;
  head: string[];
  rows: string[][];
  /** Lines printed under the table (footnotes). */
  notes?: string[];
}

/** Renders `table` as a GitHub markdown table padded for reading in a terminal. */
export function renderTable(table: Table): string {
  const widths = table.head.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const right = table.head.map((_, i) => i > 0 && table.rows.every((r) => /^[-–≥<>~\d.,%/ ]*$/.test(r[i] ?? '')));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (right[i] ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  const parts: string[] = [];
  if (table.title) parts.push(`**${table.title}**`, '');
  parts.push(line(table.head), rule, ...table.rows.map(line));
  if (table.notes?.length) parts.push('', ...table.notes);
  return parts.join('\n');
}
