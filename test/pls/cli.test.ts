/**
 * `manyi pls` end to end: the real entry point (node bin/manyi.js) on the reference data, and one
 * run per kind of bad input, each of which must exit 1 with one line naming the column or path.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { manyi as runManyi, type CliRun } from '../helpers/cli';

const manyi = (...args: string[]) => runManyi('pls', ...args);
import { cell, readReference, satisfactionCsvPath, satisfactionModel, satisfactionModelPath } from './helpers';

const scratch = mkdtempSync(join(tmpdir(), 'manyi-pls-'));



function writeScratch(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

const modelWith = (change: Record<string, unknown>) =>
  writeScratch(`model-${Math.random().toString(36).slice(2)}.json`, JSON.stringify({ ...satisfactionModel, ...change }));

/** A bad-input run: exit 1, nothing on stdout, exactly one line on stderr containing `expected`. */
function expectOneLineFailure(run: CliRun, expected: string): void {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toContain(expected);
}

describe('manyi pls', () => {
  it.concurrent('estimates the reference model and prints every figure as JSON', async () => {
    const run = await manyi('--data', satisfactionCsvPath, '--model', satisfactionModelPath, '--scores', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.converged).toBe(true);
    expect(output.iterations).toBe(4);
    for (const row of readReference('satisfaction.outer-model.csv').rows) {
      expect(Math.abs(output.weights[row.name!] - cell(row, 'weight'))).toBeLessThan(1e-8);
      expect(Math.abs(output.loadings[row.name!] - cell(row, 'loading'))).toBeLessThan(1e-8);
    }
    expect(Math.abs(output.paths['IMAG->EXPE'] - 0.578959128)).toBeLessThan(1e-9);
    expect(Math.abs(output.r2.SAT - 0.70732095)).toBeLessThan(1e-8);
    expect(Math.abs(output.gof - 0.609741624)).toBeLessThan(1e-9);
    expect(output.index.SAT.toFixed(3)).toBe('68.598');
    expect(Object.keys(output.effects)).toHaveLength(15);
    expect(output.effects['IMAG->SAT']).toEqual({
      direct: expect.any(Number),
      indirect: expect.any(Number),
      total: expect.any(Number),
    });
    expect(Object.keys(output.inner.SAT)).toEqual(['Intercept', 'IMAG', 'EXPE', 'QUAL', 'VAL']);
    expect(Object.keys(output.unidim.IMAG)).toEqual(expect.arrayContaining(['alpha', 'rho', 'eig1', 'eig2']));
    expect(output.crossloadings.imag1.LOY).toBeTypeOf('number');
    expect(output.htmt['IMAG|EXPE']).toBeTypeOf('number');
    expect(output.scores).toHaveLength(250);
    expect(Math.abs(output.scores[0].IMAG - -0.0644826660498366)).toBeLessThan(1e-8);
  });

  it.concurrent('lets flags override the model file (scheme, bootstrap)', async () => {
    const run = await manyi(
      '--data', satisfactionCsvPath, '--model', satisfactionModelPath,
      '--scheme', 'path', '--bootstrap', '5', '--seed', '3', '--json',
    );
    expect(run.stderr).toBe('');
    const output = JSON.parse(run.stdout);
    expect(output.options.scheme).toBe('path');
    for (const row of readReference('satisfaction.outer-model-path.csv').rows) {
      expect(Math.abs(output.weights[row.name!] - cell(row, 'weight'))).toBeLessThan(1e-8);
    }
    expect(output.bootstrap.resamples).toBe(5);
    expect(output.bootstrap.paths['VAL->SAT'].se).toBeGreaterThan(0);
    expect(output.scores).toBeUndefined();
  });

  it.concurrent('prints a short text report without --json', async () => {
    const run = await manyi('--data', satisfactionCsvPath, '--model', satisfactionModelPath, '--unscaled');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('converged in 4 iterations');
    expect(run.stdout).toMatch(/SAT\s+68\.60/);
  });

  it.concurrent('names a block column missing from the data', async () => {
    const model = modelWith({ blocks: { ...satisfactionModel.blocks, IMAG: ['imag1', 'imag9'] } });
    expectOneLineFailure(await manyi('--data', satisfactionCsvPath, '--model', model, '--json'), 'column imag9 (block IMAG) is not in');
  });

  it.concurrent('names a non-numeric value in a block column', async () => {
    const lines = readFileSync(satisfactionCsvPath, 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/^("3"),(\d+),(\d+)/, '$1,$2,"n/a"');
    const data = writeScratch('bad-value.csv', lines.join('\n'));
    expectOneLineFailure(await manyi('--data', data, '--model', satisfactionModelPath, '--json'), 'column imag2, row 3: "n/a" is not a number');
  });

  it.concurrent('names the cycle in the paths', async () => {
    const model = modelWith({ paths: [...satisfactionModel.paths, ['LOY', 'EXPE']] });
    expectOneLineFailure(await manyi('--data', satisfactionCsvPath, '--model', model, '--json'), 'the paths have a cycle: EXPE -> ');
  });

  it.concurrent('names an empty block', async () => {
    const model = modelWith({ blocks: { ...satisfactionModel.blocks, VAL: [] } });
    expectOneLineFailure(await manyi('--data', satisfactionCsvPath, '--model', model, '--json'), 'block VAL is empty');
  });

  it.concurrent('names the path to a block that does not exist', async () => {
    const model = modelWith({ paths: [['IMAG', 'PRICE']] });
    expectOneLineFailure(await manyi('--data', satisfactionCsvPath, '--model', model, '--json'), 'path IMAG->PRICE: PRICE is not a block');
  });

  it.concurrent('names the field of an invalid model file', async () => {
    const model = modelWith({ modes: { SAT: 'C' } });
    expectOneLineFailure(await manyi('--data', satisfactionCsvPath, '--model', model, '--json'), 'modes.SAT');
  });

  it.concurrent('reports non-convergence as an error', async () => {
    expectOneLineFailure(
      await manyi('--data', satisfactionCsvPath, '--model', satisfactionModelPath, '--max-iter', '2', '--json'),
      'did not converge within 2 iterations',
    );
  });
});
