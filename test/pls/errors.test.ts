/**
 * What the engine refuses, and how it says so: non-convergence is an error, never a result, and bad
 * models or data name the block, item, column or path at fault.
 */
import { describe, expect, it } from 'vitest';
import {
  estimatePls,
  PlsConvergenceError,
  PlsInputError,
  SufficientStatistics,
  type EstimatePlsInput,
} from '../../functions/domain/pls';
import { satisfactionData, satisfactionItems, satisfactionModel } from './helpers';

const data = satisfactionData();
const base: EstimatePlsInput = { ...satisfactionModel, columns: data.columns, rows: data.rows };

describe('non-convergence', () => {
  it('is a PlsConvergenceError that says so', () => {
    let error: unknown;
    try {
      estimatePls({ ...base, maxIter: 3 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlsConvergenceError);
    expect((error as Error).message).toMatch(/did not converge within 3 iterations \(last change .* tolerance 0\.000001\)/);
    expect((error as PlsConvergenceError).lastChange).toBeGreaterThanOrEqual(1e-6);
  });

  it('needs only as many iterations as plspm (4 here), even when that is the cap', () => {
    expect(estimatePls({ ...base, maxIter: 4 }).iterations).toBe(4);
  });
});

describe('invalid models', () => {
  const cases: [string, Partial<EstimatePlsInput>, string][] = [
    ['a cycle', { paths: [...satisfactionModel.paths, ['LOY', 'IMAG']] }, 'the paths have a cycle: IMAG -> EXPE -> QUAL -> VAL -> SAT -> LOY -> IMAG'],
    ['a self-loop', { paths: [...satisfactionModel.paths, ['SAT', 'SAT']] }, 'the paths have a cycle: SAT -> SAT'],
    ['an empty block', { blocks: { ...satisfactionModel.blocks, VAL: [] } }, 'block VAL is empty'],
    ['a path to an unknown block', { paths: [['IMAG', 'PRICE']] }, 'path IMAG->PRICE: PRICE is not a block'],
    ['a repeated path', { paths: [...satisfactionModel.paths, ['SAT', 'LOY']] }, 'path SAT->LOY is listed twice'],
    [
      'an item in two blocks',
      { blocks: { ...satisfactionModel.blocks, LOY: ['loy1', 'sat1'] } },
      'item sat1 is in blocks SAT and LOY',
    ],
    [
      'a block in no path',
      { blocks: { ...satisfactionModel.blocks, EXTRA: ['imag1x'] } },
      'block EXTRA is in no path (every latent variable needs at least one)',
    ],
    ['a mode for an unknown block', { modes: { PRICE: 'B' } }, 'modes: PRICE is not a block'],
    ['a wrong mode', { modes: { SAT: 'C' as 'A' } }, 'the mode of SAT must be A or B, not C'],
    ['a tolerance above 0.001', { tol: 0.01 }, 'tol must lie in (0, 0.001], not 0.01'],
    ['a zero tolerance', { tol: 0 }, 'tol must lie in (0, 0.001], not 0'],
    ['a fractional max-iter', { maxIter: 2.5 }, 'max-iter must be a positive integer, not 2.5'],
    ['an unknown scheme', { scheme: 'mixed' as 'path' }, 'scheme must be centroid, factorial or path, not mixed'],
  ];
  it.each(cases)('rejects %s', (_, change, message) => {
    expect(() => estimatePls({ ...base, ...change } as EstimatePlsInput)).toThrow(new PlsInputError(message));
  });
});

describe('data the model cannot be estimated from', () => {
  it('names a column the rows lack', () => {
    expect(() => estimatePls({ ...base, columns: data.columns.map((c) => (c === 'val3' ? 'value3' : c)) })).toThrow(
      'column val3 (block VAL) is not in the data',
    );
  });

  it('names a constant item', () => {
    const rows = data.rows.map((row) => row.map((value, i) => (data.columns[i] === 'qual2' ? 7 : value)));
    expect(() => estimatePls({ ...base, rows })).toThrow('item qual2 has no variance (every answer is the same)');
  });

  it('refuses too few complete rows', () => {
    expect(() => estimatePls({ ...base, rows: data.rows.slice(0, 1) })).toThrow('1 complete row: at least 2 are needed');
    expect(() => estimatePls({ ...base, rows: data.rows.slice(0, 5) })).toThrow(/5 complete rows are too few to regress SAT/);
    const statistics = new SufficientStatistics(satisfactionItems);
    expect(() => estimatePls({ ...satisfactionModel, statistics })).toThrow('there are no complete rows to estimate from');
  });

  it('names a mode B block whose items are linearly dependent', () => {
    const columns = [...data.columns, 'val5'];
    const rows = data.rows.map((row) => [...row, row[data.columns.indexOf('val1')]! + row[data.columns.indexOf('val2')]!]);
    const blocks = { ...satisfactionModel.blocks, VAL: ['val1', 'val2', 'val3', 'val4', 'val5'] };
    expect(() => estimatePls({ ...base, blocks, modes: { VAL: 'B' }, columns, rows })).toThrow(
      'block VAL (mode B): its items are linearly dependent',
    );
  });

  it('refuses a bootstrap from statistics', () => {
    const statistics = new SufficientStatistics(satisfactionItems);
    for (const row of data.rows) statistics.add(row);
    expect(() => estimatePls({ ...satisfactionModel, statistics, bootstrap: { resamples: 10 } })).toThrow(
      'the bootstrap needs the data rows, not statistics',
    );
  });
});
