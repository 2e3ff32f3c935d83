/**
 * `manyi drivers --data FILE.csv --target col --columns a,b,c [--json]`: key driver analysis of a
 * target (e.g. overall satisfaction): correlations, standardised betas and Johnson's relative
 * weights. Bad input: one line on stderr, exit code 1.
 */
import type { Command } from 'commander';
import * as z from '../../domain/zod';
import { completeCases, numericColumnsFromRows, StatisticsInputError } from '../../domain/stats/data';
import { keyDriverAnalysis } from '../../domain/stats/drivers';
import { columnListSchema, parseOptions, readDataFile, runCommand, warn } from '../options';

const driversOptionsSchema = z.object({
  data: z.string({ error: 'is required (a CSV file)' }).check(z.minLength(1)),
  target: z.string({ error: 'is required (the target column)' }).check(z.minLength(1)),
  columns: columnListSchema,
  json: z.optional(z.boolean()),
});

function runDrivers(options: unknown): void {
  const { data, target, columns, json } = parseOptions(driversOptionsSchema, options);
  if (columns.includes(target)) throw new StatisticsInputError(`column "${target}" is both the target and a predictor`);
  const table = readDataFile(data);
  const cases = completeCases(numericColumnsFromRows(table.rows, [target, ...columns], table.columns));
  if (cases.dropped > 0) warn('drivers', [`${cases.dropped} row(s) with a missing value were left out`]);
  const { [target]: targetValues, ...predictors } = cases.columns;
  const result = keyDriverAnalysis(targetValues!, predictors, target);
  if (json) {
    const { r2, correlations, beta, relativeWeights, rescaled } = result;
    process.stdout.write(`${JSON.stringify({ r2, correlations, beta, relativeWeights, rescaled })}\n`);
    return;
  }
  const lines = columns.map(
    (name) =>
      `${name}: r ${result.correlations[name]!.toFixed(4)}, beta ${result.beta[name]!.toFixed(4)}, ` +
      `relative weight ${result.relativeWeights[name]!.toFixed(4)} (${(100 * result.rescaled[name]!).toFixed(1)}% of R2)`,
  );
  process.stdout.write(`${lines.join('\n')}\nR2 ${result.r2.toFixed(4)} (n = ${result.n})\n`);
}

export function register(program: Command): void {
  program
    .command('drivers')
    .description('key driver analysis: correlations, standardised betas and relative weights of columns on a target')
    .option('--data <file>', 'CSV file with a header row')
    .option('--target <column>', 'the column to explain (e.g. overall satisfaction)')
    .option('--columns <names>', 'comma-separated predictor columns')
    .option('--json', 'print the result as JSON')
    .action((options: unknown) => runCommand('drivers', () => runDrivers(options)));
}
