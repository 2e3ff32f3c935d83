import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import * as z from '../../domain/zod';
import {
  estimatePls,
  PlsConvergenceError,
  PlsInputError,
  type EstimatePlsInput,
  type InnerScheme,
  type PlsResult,
} from '../../domain/pls';
import { readCsvTable } from '../csv';

/**
 * `manyi pls --data FILE.csv --model MODEL.json [...] --json`: estimates a PLS path model (plspm's
 * algorithm) and prints every figure as JSON. Invalid input ends with exit code 1 and one line on
 * stderr naming the column, block or path at fault. See docs/pls.md.
 */

const boundsSchema = z.strictObject({ min: z.number(), max: z.number() });

const modelFileSchema = z.strictObject({
  blocks: z.record(z.string(), z.array(z.string())),
  modes: z.optional(z.record(z.string(), z.enum(['A', 'B']))),
  paths: z.array(z.tuple([z.string(), z.string()])),
  scheme: z.optional(z.enum(['centroid', 'factorial', 'path'])),
  scaled: z.optional(z.boolean()),
  tol: z.optional(z.number()),
  maxIter: z.optional(z.number()),
  bounds: z.optional(
    z.strictObject({
      min: z.optional(z.number()),
      max: z.optional(z.number()),
      items: z.optional(z.record(z.string(), boundsSchema)),
    }),
  ),
});

type ModelFile = z.infer<typeof modelFileSchema>;

interface PlsCommandOptions {
  data: string;
  model: string;
  scheme?: string;
  scaled?: boolean;
  unscaled?: boolean;
  tol?: string;
  maxIter?: string;
  bootstrap?: string;
  seed?: string;
  scores?: boolean;
  json?: boolean;
}

/** Bad input from the command line or the files: reported on one line, exit code 1. */
class CommandInputError extends Error {}

const MISSING_CELLS = new Set(['', 'NA']);
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function register(program: Command): void {
  program
    .command('pls')
    .description('estimate a PLS path model (plspm algorithm) and its satisfaction indices')
    .requiredOption('--data <file>', 'CSV file: header row; an empty first header cell marks row names')
    .requiredOption('--model <file>', 'model JSON: blocks, modes, paths, scheme, scaled, bounds')
    .option('--scheme <scheme>', 'inner weighting scheme: centroid, factorial or path')
    .option('--scaled', 'standardise the items (plspm default)')
    .option('--unscaled', 'only centre the items (weights are then unstandardised)')
    .option('--tol <x>', 'convergence tolerance, in (0, 0.001] (default 1e-6)')
    .option('--max-iter <n>', 'maximum number of iterations (default 100)')
    .option('--bootstrap <n>', 'number of bootstrap resamples')
    .option('--seed <s>', 'bootstrap seed, a non-negative integer (default 1)')
    .option('--scores', 'include the latent variable scores of every row')
    .option('--json', 'print the results as JSON')
    .action((options: PlsCommandOptions) => {
      try {
        const result = estimatePls(buildInput(options));
        const output = toOutput(result, Boolean(options.scores));
        process.stdout.write(options.json ? `${JSON.stringify(output)}\n` : textReport(result));
      } catch (error) {
        if (error instanceof CommandInputError || error instanceof PlsInputError || error instanceof PlsConvergenceError) {
          process.stderr.write(`manyi pls: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
}

function buildInput(options: PlsCommandOptions): EstimatePlsInput {
  const model = readModelFile(options.model);
  if (options.scaled && options.unscaled) throw new CommandInputError('--scaled and --unscaled cannot both be given');
  const scheme = options.scheme ?? model.scheme;
  if (scheme !== undefined && !['centroid', 'factorial', 'path'].includes(scheme)) {
    throw new CommandInputError(`--scheme must be centroid, factorial or path, not ${scheme}`);
  }
  const scaled = options.scaled ? true : options.unscaled ? false : model.scaled;
  const tol = options.tol !== undefined ? parseNumberFlag('--tol', options.tol) : model.tol;
  const maxIter = options.maxIter !== undefined ? parseIntegerFlag('--max-iter', options.maxIter) : model.maxIter;
  if (options.seed !== undefined && options.bootstrap === undefined) throw new CommandInputError('--seed needs --bootstrap');
  const bootstrap =
    options.bootstrap !== undefined
      ? {
          resamples: parseIntegerFlag('--bootstrap', options.bootstrap),
          seed: options.seed !== undefined ? parseIntegerFlag('--seed', options.seed) : 1,
        }
      : undefined;

  const { columns, rows } = readDataRows(options.data, model);
  return {
    blocks: model.blocks,
    modes: model.modes,
    paths: model.paths,
    scheme: scheme as InnerScheme | undefined,
    scaled,
    tol,
    maxIter,
    bounds: model.bounds,
    bootstrap,
    columns,
    rows,
  };
}

function readModelFile(path: string): ModelFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CommandInputError(`cannot read the model ${path}: ${(error as Error).message}`);
  }
  const result = modelFileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    throw new CommandInputError(`model ${path}: ${where}: ${issue.message}`);
  }
  return result.data;
}

/** The block columns as numbers (missing: empty cell or NA); other columns are not read. */
function readDataRows(path: string, model: ModelFile): { columns: string[]; rows: (number | null)[][] } {
  let table: ReturnType<typeof readCsvTable>;
  try {
    table = readCsvTable(path);
  } catch (error) {
    throw new CommandInputError(`cannot read the data ${path}: ${(error as Error).message}`);
  }
  const columns: string[] = [];
  for (const [block, items] of Object.entries(model.blocks)) {
    for (const item of items) {
      if (!table.columns.includes(item)) throw new CommandInputError(`column ${item} (block ${block}) is not in ${path}`);
      columns.push(item);
    }
  }
  const positions = columns.map((column) => table.columns.indexOf(column));
  const rows = table.cells.map((values, rowIndex) =>
    columns.map((column, k) => {
      const cell = (values[positions[k]!] ?? '').trim();
      if (MISSING_CELLS.has(cell)) return null;
      if (!DECIMAL.test(cell)) {
        const rowLabel = table.rowNames ? `row ${table.rowNames[rowIndex]}` : `row ${rowIndex + 1}`;
        throw new CommandInputError(`column ${column}, ${rowLabel}: "${cell}" is not a number`);
      }
      return Number(cell);
    }),
  );
  return { columns, rows };
}

function parseNumberFlag(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new CommandInputError(`${flag} must be a number, not ${text}`);
  return value;
}

function parseIntegerFlag(flag: string, text: string): number {
  const value = parseNumberFlag(flag, text);
  if (!Number.isSafeInteger(value)) throw new CommandInputError(`${flag} must be an integer, not ${text}`);
  return value;
}

function toOutput(result: PlsResult, withScores: boolean): Record<string, unknown> {
  const output: Record<string, unknown> = {
    converged: result.converged,
    iterations: result.iterations,
    n: result.n,
    incompleteRows: result.incompleteRows,
    options: result.options,
    paths: result.paths,
    r2: result.r2,
    weights: result.weights,
    loadings: result.loadings,
    communality: result.communality,
    redundancy: result.redundancy,
    crossloadings: result.crossloadings,
    ave: result.ave,
    gof: result.gof,
    effects: result.effects,
    inner: result.inner,
    unidim: result.unidim,
    htmt: result.htmt,
    innerSummary: result.innerSummary,
    unstandardizedWeights: result.unstandardizedWeights,
  };
  if (result.index) {
    output.index = Object.fromEntries(Object.entries(result.index).map(([lv, value]) => [lv, value.defined ? value.value : null]));
    const reasons = Object.entries(result.index).flatMap(([lv, value]) => (value.defined ? [] : [[lv, value.reason]]));
    if (reasons.length > 0) output.indexUndefined = Object.fromEntries(reasons);
  }
  if (result.bootstrap) output.bootstrap = result.bootstrap;
  if (withScores) output.scores = result.scores;
  return output;
}

function textReport(result: PlsResult): string {
  const format = (value: number) => value.toFixed(4);
  const lines = [
    `PLS path model: converged in ${result.iterations} iterations, n = ${result.n}` +
      (result.incompleteRows > 0 ? ` (${result.incompleteRows} incomplete rows left out)` : ''),
    '',
    'paths:',
    ...Object.entries(result.paths).map(([path, value]) => `  ${path.padEnd(24)} ${format(value)}`),
    '',
    'R2:',
    ...Object.entries(result.r2).map(([lv, value]) => `  ${lv.padEnd(24)} ${format(value)}`),
    '',
    `GoF: ${format(result.gof)}`,
  ];
  if (result.index) {
    lines.push('', 'index (0-100):');
    for (const [lv, value] of Object.entries(result.index)) {
      lines.push(`  ${lv.padEnd(24)} ${value.defined ? value.value.toFixed(2) : `undefined: ${value.reason}`}`);
    }
  }
  lines.push('', '(use --json for every figure)');
  return `${lines.join('\n')}\n`;
}
