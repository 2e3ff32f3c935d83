/**
 * What the statistics commands share: option parsing with zod (errors name the option), reading
 * the --data CSV, and the one-line-on-stderr, exit-code-1 convention for bad input.
 */
import * as z from '../domain/zod';
import { readCsvTable, type CsvTable } from './csv';

/** Comma-separated column names, at least one, no duplicates. */
export const columnListSchema = z
  .pipe(
    z.string({ error: 'is required' }),
    z.transform((text) => text.split(',').map((name) => name.trim())),
  )
  .check(
    z.refine((names) => names.every((name) => name.length > 0), 'has an empty column name'),
    z.refine((names) => new Set(names).size === names.length, 'names a column twice'),
  );

/** The first problem of a zod parse of command options, as "--option message" (e.g. "--target is required"). */
export function optionProblem(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  const option = issue?.path[0];
  // Options are spelled on the command line in kebab case (--user-pool), parsed in camel case (userPool).
  const flag = String(option).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  return option === undefined ? (issue?.message ?? 'invalid arguments') : `--${flag} ${issue?.message}`;
}

/** Runs a command body; any error becomes one line on stderr and exit code 1. */
export function runCommand(name: string, body: () => void): void {
  try {
    body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`manyi ${name}: ${message.split('\n')[0]}\n`);
    process.exitCode = 1;
  }
}

/** Parses options with zod, or throws an Error whose message names the option. */
export function parseOptions<T extends z.ZodMiniType>(schema: T, options: unknown): z.output<T> {
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw new Error(optionProblem(parsed.error));
  return parsed.data;
}

/** Reads the --data CSV file; a file that cannot be read is named in the error. */
export function readDataFile(path: string): CsvTable {
  try {
    return readCsvTable(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new Error(`--data ${JSON.stringify(path)}: ${reason}`);
  }
}

export function warn(name: string, warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`manyi ${name}: warning: ${warning}\n`);
}
