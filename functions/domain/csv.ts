/** CSV text as a table of text cells (contacts imports, the statistics commands' data files). */
import { parse } from 'csv-parse/sync';
import { invalid } from './errors';

/** A CSV file read as text cells: `columns` are the header names; `rowNames` is set when the
 *  first header cell is empty (R's write.csv convention), and that column is then not in `columns`. */
export interface CsvTable {
  columns: string[];
  /** Each row's cells in the order of `columns` (the row name left out): the fast way to read many rows. */
  cells: string[][];
  /** The rows by column name (built on first use: for 100,000 rows that costs more than the parse). */
  readonly rows: Record<string, string>[];
  rowNames?: string[];
}

/**
 * The records of a CSV text whose cells hold no quotes and whose lines end in \n (what the
 * statistics exports and most numeric files look like): split directly, about ten times faster than
 * the full parser. Undefined when the text needs the full parser (quotes, \r, ragged rows), which
 * then also gives its exact error messages.
 */
function simpleRecords(text: string): string[][] | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.includes('"') || body.includes('\r')) return undefined;
  const records: string[][] = [];
  let width = -1;
  for (const line of body.split('\n')) {
    if (line === '') continue;
    const cells = line.split(',');
    if (width === -1) width = cells.length;
    else if (cells.length !== width) return undefined;
    records.push(cells);
  }
  return records;
}

export function parseCsvTable(text: string): CsvTable {
  const records = simpleRecords(text) ?? (parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][]);
  const [header, ...body] = records;
  if (!header) throw new Error('the CSV file is empty (no header row)');
  const hasRowNames = header[0] === '';
  const columns = hasRowNames ? header.slice(1) : header;
  const cells = hasRowNames ? body.map((row) => row.slice(1)) : body;
  let rows: Record<string, string>[] | undefined;
  return {
    columns,
    cells,
    get rows() {
      rows ??= cells.map((values) => {
        const row: Record<string, string> = {};
        for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i] ?? '';
        return row;
      });
      return rows;
    },
    ...(hasRowNames ? { rowNames: body.map((row) => row[0] ?? '') } : {}),
  };
}

/**
 * An import's CSV file read against the columns it takes (header row, any order, matched
 * case-insensitively): each data row's cells with the column each one is. A file that cannot be
 * read, has row names, an unknown column or a column twice is refused whole (400 at `csv`), naming
 * the columns as `columnsInWords` says them.
 */
export function readImportCsv<C extends string>(text: string, columns: readonly C[], columnsInWords: string): { fields: (C | undefined)[]; cells: string[][] } {
  const refuse = (message: string): never => {
    throw invalid([{ path: 'csv', message }], 'the CSV file cannot be read');
  };
  let table: CsvTable;
  try {
    table = parseCsvTable(text);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const fields = table.columns.map((header) => columns.find((column) => column.toLowerCase() === header.trim().toLowerCase()));
  const unknown = table.columns.filter((_, i) => fields[i] === undefined);
  if (table.rowNames || unknown.length > 0) refuse(`unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((c) => `"${c}"`).join(', ') || '""'}: the columns are ${columnsInWords}`);
  const repeated = fields.find((field, i) => field !== undefined && fields.indexOf(field) !== i);
  if (repeated) refuse(`the column ${repeated} appears more than once`);
  return { fields, cells: table.cells };
}
