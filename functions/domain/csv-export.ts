/**
 * CSV for people to open in a spreadsheet: the one way an export writes CSV (docs/architecture.md).
 * A text cell that a spreadsheet would read as a formula (=, +, -, @, a tab or a carriage return
 * first, or their full-width forms, which some locales' spreadsheets also take) is written with a
 * leading apostrophe, as OWASP's CSV-injection advice says: an imported `=HYPERLINK(...)` is kept
 * as the data it was and shown as text, never run. Numbers are written as numbers (-3.5 stays a
 * number). RFC 4180 quoting; a UTF-8 byte order mark first, so Excel reads Chinese correctly.
 */

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/u;

/** One cell: neutralised if it would start a formula, quoted if it needs to be. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: the header, then one line per row (CRLF, as RFC 4180 and Excel expect). */
export function formatCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
