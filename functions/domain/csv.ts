/** CSV text as a table of text cells (contacts imports, the statistics commands' data files). */
import { parse } from 'csv-parse/sync';

/** A CSV file read as text cells: `columns` are the header names; `rowNames` is set when the
 *  first header cell is empty (R's write.csv convention), and that column is then not in `columns`. */
export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
  rowNames?: string[];
}

export function parseCsvTable(text: string): CsvTable {
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  const [header, ...body] = records;
  if (!header) throw new Error('the CSV file is empty (no header row)');
  const hasRowNames = header[0] === '';
  const columns = hasRowNames ? header.slice(1) : header;
  const rows = body.map((cells) => {
    const values = hasRowNames ? cells.slice(1) : cells;
    return Object.fromEntries(columns.map((c, i) => [c, values[i] ?? '']));
  });
  return hasRowNames ? { columns, rows, rowNames: body.map((cells) => cells[0] ?? '') } : { columns, rows };
}
