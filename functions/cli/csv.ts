/** CSV files of the command line: read from disk, parsed by the domain's CSV reader. */
import { readFileSync } from 'node:fs';
import { parseCsvTable, type CsvTable } from '../domain/csv';

export { parseCsvTable, type CsvTable };

export function readCsvTable(path: string): CsvTable {
  return parseCsvTable(readFileSync(path, 'utf8'));
}
