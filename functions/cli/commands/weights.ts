/**
 * `manyi weights ahp --matrix '<JSON>' [--json]` and
 * `manyi weights entropy --data FILE.csv --columns a,b,c [--json]`: the weighting methods of the
 * indicator tree, computed from the command line. Bad input: one line on stderr, exit code 1.
 */
import type { Command } from 'commander';
import * as z from '../../domain/zod';
import { columnListSchema, parseOptions, readDataFile, runCommand, warn } from '../options';
import { ahpWeights, AHP_CONSISTENCY_LIMIT } from '../../domain/stats/ahp';
import { completeCases, numericColumnsFromRows } from '../../domain/stats/data';
import { entropyWeights } from '../../domain/stats/entropy';

const ahpOptionsSchema = z.object({
  matrix: z.pipe(
    z.string({ error: 'is required (a JSON array of rows)' }),
    z.transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: `is not valid JSON (${(error as Error).message})`, input: text });
        return z.NEVER;
      }
    }),
  ),
  json: z.optional(z.boolean()),
});

const entropyOptionsSchema = z.object({
  data: z.string({ error: 'is required (a CSV file)' }).check(z.minLength(1)),
  columns: columnListSchema,
  json: z.optional(z.boolean()),
});

function format(value: number): string {
  return value.toFixed(4);
}

function runAhp(options: unknown): void {
  const { matrix, json } = parseOptions(ahpOptionsSchema, options);
  const result = ahpWeights(matrix);
  if (json) {
    const { weights, lambdaMax, ci, ri, cr, consistent, worst } = result;
    const output = { weights, lambdaMax, ci, ri, cr, consistent, worst: { row: worst.row, col: worst.col } };
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return;
  }
  const lines = [
    ...result.weights.map((weight, i) => `criterion ${i}: ${format(weight)}`),
    `lambda_max ${format(result.lambdaMax)}, CI ${format(result.ci)}, RI ${result.ri}, CR ${format(result.cr)}`,
    result.consistent
      ? `consistent (CR <= ${AHP_CONSISTENCY_LIMIT.toFixed(2)})`
      : `inconsistent (CR > ${AHP_CONSISTENCY_LIMIT.toFixed(2)}): matrix[${result.worst.row}][${result.worst.col}] = ` +
        `${format(result.worst.judgement)} deviates most from w${result.worst.row}/w${result.worst.col} = ${format(result.worst.impliedRatio)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function runEntropy(options: unknown): void {
  const { data, columns, json } = parseOptions(entropyOptionsSchema, options);
  const table = readDataFile(data);
  const cases = completeCases(numericColumnsFromRows(table.rows, columns, table.columns));
  if (cases.dropped > 0) warn('weights entropy', [`${cases.dropped} row(s) with a missing value were left out`]);
  const result = entropyWeights(cases.columns);
  warn('weights entropy', result.warnings);
  if (json) {
    process.stdout.write(`${JSON.stringify({ weights: result.weights, entropy: result.entropy })}\n`);
    return;
  }
  const lines = columns.map((name) => `${name}: weight ${format(result.weights[name]!)}, entropy ${format(result.entropy[name]!)}`);
  process.stdout.write(`${lines.join('\n')}\n(n = ${result.n})\n`);
}

export function register(program: Command): void {
  const weights = program.command('weights').description('weights of an indicator tree node: AHP or entropy');
  weights
    .command('ahp')
    .description('AHP weights and consistency (CR) of a pairwise comparison matrix')
    .option('--matrix <json>', 'the comparison matrix as JSON, e.g. [[1,3,"5"],["1/3",1,3],["1/5","1/3",1]]')
    .option('--json', 'print the result as JSON')
    .action((options: unknown) => runCommand('weights ahp', () => runAhp(options)));
  weights
    .command('entropy')
    .description('entropy weights of numeric CSV columns')
    .option('--data <file>', 'CSV file with a header row')
    .option('--columns <names>', 'comma-separated columns to weight')
    .option('--json', 'print the result as JSON')
    .action((options: unknown) => runCommand('weights entropy', () => runEntropy(options)));
}
