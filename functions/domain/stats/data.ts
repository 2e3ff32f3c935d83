/**
 * Shared input handling for the statistics modules: one error type for bad input, numeric columns
 * with missing values, complete-case selection and text cells read as numbers.
 */

/** Input the statistics cannot work with (wrong shape, a non-number, a constant column ...).
 *  The message names the offending cell or column, so callers can show it as it is. */
export class StatisticsInputError extends Error {
  override readonly name = 'StatisticsInputError';
}

/** A column of answers in respondent order; null (or NaN) marks a missing answer. */
export type NumericColumn = readonly (number | null | undefined)[];

export interface CompleteCases {
  /** The rows in which every column has a finite value, per column, in the original order. */
  columns: Record<string, number[]>;
  /** Number of complete rows. */
  n: number;
  /** Rows left out because at least one column was missing. */
  dropped: number;
}

function isPresent(value: number | null | undefined): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

/** Listwise deletion: keeps the rows in which every named column has a value. Columns must be
 *  aligned (same length); an infinite value is an error, not a missing one. */
export function completeCases(columns: Readonly<Record<string, NumericColumn>>): CompleteCases {
  const names = Object.keys(columns);
  const lengths = new Set(names.map((name) => columns[name]!.length));
  if (lengths.size > 1) {
    const detail = names.map((name) => `${name}: ${columns[name]!.length}`).join(', ');
    throw new StatisticsInputError(`the columns have different lengths (${detail})`);
  }
  const rowCount = lengths.values().next().value ?? 0;
  const result: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  let n = 0;
  for (let row = 0; row < rowCount; row++) {
    let complete = true;
    for (const name of names) {
      const value = columns[name]![row];
      if (isPresent(value) && !Number.isFinite(value)) {
        throw new StatisticsInputError(`column "${name}", row ${row + 1}: ${value} is not a finite number`);
      }
      if (!isPresent(value)) complete = false;
    }
    if (!complete) continue;
    for (const name of names) result[name]!.push(columns[name]![row] as number);
    n++;
  }
  return { columns: result, n, dropped: rowCount - n };
}

/** Text cells that mean "no answer": empty, or R's NA. */
const MISSING_CELLS = new Set(['', 'NA']);

/**
 * Reads the named columns of a text table (e.g. a parsed CSV file) as numbers. Empty and "NA"
 * cells become null (missing); any other cell that is not a number is an error naming the column
 * and the data row (1 = the first row after the header).
 */
export function numericColumnsFromRows(
  rows: readonly Readonly<Record<string, string>>[],
  columnNames: readonly string[],
  availableColumns: readonly string[],
): Record<string, (number | null)[]> {
  for (const name of columnNames) {
    if (!availableColumns.includes(name)) {
      throw new StatisticsInputError(`column "${name}" is not in the data (columns: ${availableColumns.join(', ')})`);
    }
  }
  const result: Record<string, (number | null)[]> = Object.fromEntries(columnNames.map((name) => [name, []]));
  rows.forEach((row, index) => {
    for (const name of columnNames) {
      const cell = (row[name] ?? '').trim();
      if (MISSING_CELLS.has(cell)) {
        result[name]!.push(null);
        continue;
      }
      const value = Number(cell);
      if (!Number.isFinite(value)) {
        throw new StatisticsInputError(`column "${name}", data row ${index + 1}: "${cell}" is not a number`);
      }
      result[name]!.push(value);
    }
  });
  return result;
}
