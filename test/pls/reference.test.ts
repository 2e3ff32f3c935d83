/**
 * The engine against R plspm 0.4.9 on the satisfaction data (ECSI model, scaled = FALSE): every
 * value of every reference file, at 1e-8, from the raw rows and from sufficient statistics.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { estimatePls, SufficientStatistics, type PlsResult } from '../../functions/domain/pls';
import { cell, DeviationTracker, readReference, satisfactionData, satisfactionItems, satisfactionModel } from './helpers';

const TOLERANCE = 1e-8;
const data = satisfactionData();
const tracker = new DeviationTracker();

afterAll(() => {
  console.log(`plspm reference comparison: ${tracker.summary()}`);
});

const fromRows = (scheme: 'centroid' | 'path' | 'factorial'): PlsResult =>
  estimatePls({ ...satisfactionModel, scheme, columns: data.columns, rows: data.rows });

const fromStatistics = (): PlsResult => {
  const statistics = new SufficientStatistics(satisfactionItems);
  for (const row of data.rows) statistics.add(row);
  return estimatePls({ ...satisfactionModel, statistics });
};

function checkOuterModel(result: PlsResult, file: string): void {
  const reference = readReference(file);
  expect(reference.rows).toHaveLength(27);
  for (const row of reference.rows) {
    const item = row.name!;
    tracker.close(result.weights[item], cell(row, 'weight'), TOLERANCE, `${file} ${item} weight`);
    tracker.close(result.loadings[item], cell(row, 'loading'), TOLERANCE, `${file} ${item} loading`);
    tracker.close(result.communality[item], cell(row, 'communality'), TOLERANCE, `${file} ${item} communality`);
    tracker.close(result.redundancy[item], cell(row, 'redundancy'), TOLERANCE, `${file} ${item} redundancy`);
  }
}

describe.each([
  ['raw rows', () => fromRows('centroid')],
  ['sufficient statistics', fromStatistics],
])('centroid scheme from %s', (_, estimate) => {
  const result = estimate();

  it('converges in 4 iterations, as plspm does', () => {
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(4);
    expect(result.n).toBe(250);
  });

  it('matches the outer model (weights, loadings, communality, redundancy)', () => {
    checkOuterModel(result, 'satisfaction.outer-model.csv');
  });

  it('matches the inner regression of SAT', () => {
    const reference = readReference('satisfaction.inner-model.csv');
    expect(reference.rowNames).toEqual(['IMAG', 'EXPE', 'QUAL', 'VAL']);
    reference.rows.forEach((row, k) => {
      const predictor = reference.rowNames![k]!;
      const coefficient = result.inner.SAT?.[predictor];
      tracker.close(coefficient?.estimate, cell(row, 'Estimate'), TOLERANCE, `SAT~${predictor} estimate`);
      tracker.close(coefficient?.se, cell(row, 'Std. Error'), TOLERANCE, `SAT~${predictor} se`);
      tracker.close(coefficient?.t, cell(row, 't value'), TOLERANCE, `SAT~${predictor} t`);
      // p values go through jstat's t distribution, accurate to about 2e-8 absolute; tiny ones
      // (VAL: 2.1e-19) must keep their relative precision
      const p = cell(row, 'Pr(>|t|)');
      expect(Math.abs(coefficient!.p - p)).toBeLessThan(2e-8);
      if (p < 1e-10) expect(Math.abs(coefficient!.p / p - 1)).toBeLessThan(1e-6);
    });
    expect(Object.keys(result.inner.SAT!)).toEqual(['Intercept', 'IMAG', 'EXPE', 'QUAL', 'VAL']);
    expect(Math.abs(result.inner.SAT!.Intercept!.estimate)).toBeLessThan(1e-12);
    expect(Object.keys(result.inner)).toEqual(['EXPE', 'QUAL', 'VAL', 'SAT', 'LOY']);
  });

  it('matches the inner summary (R2, block communality, mean redundancy, AVE)', () => {
    const reference = readReference('satisfaction.inner-summary.csv');
    reference.rows.forEach((row, k) => {
      const lv = reference.rowNames![k]!;
      const summary = result.innerSummary[lv]!;
      expect(summary.type).toBe(row.type);
      tracker.close(summary.r2, cell(row, 'r_squared'), TOLERANCE, `${lv} R2`);
      if (summary.type === 'Endogenous') tracker.close(result.r2[lv], cell(row, 'r_squared'), TOLERANCE, `${lv} r2`);
      tracker.close(summary.blockCommunality, cell(row, 'block_communality'), TOLERANCE, `${lv} block communality`);
      tracker.close(summary.meanRedundancy, cell(row, 'mean_redundancy'), TOLERANCE, `${lv} mean redundancy`);
      tracker.close(summary.ave, cell(row, 'ave'), TOLERANCE, `${lv} AVE summary`);
      tracker.close(result.ave[lv], cell(row, 'ave'), TOLERANCE, `${lv} AVE`);
    });
  });

  it('matches every direct, indirect and total effect, for exactly the reference pairs', () => {
    const reference = readReference('satisfaction.effects.csv');
    expect(Object.keys(result.effects)).toEqual(reference.rows.map((row) => `${row.from}->${row.to}`));
    for (const row of reference.rows) {
      const key = `${row.from}->${row.to}`;
      const effect = result.effects[key]!;
      tracker.close(effect.direct, cell(row, 'direct'), TOLERANCE, `${key} direct`);
      tracker.close(effect.indirect, cell(row, 'indirect'), TOLERANCE, `${key} indirect`);
      tracker.close(effect.total, cell(row, 'total'), TOLERANCE, `${key} total`);
      if (effect.direct !== 0) tracker.close(result.paths[key], cell(row, 'direct'), TOLERANCE, `${key} path`);
    }
  });

  it('matches every cross-loading', () => {
    const reference = readReference('satisfaction.crossloadings.csv');
    for (const row of reference.rows) {
      for (const lv of Object.keys(satisfactionModel.blocks)) {
        tracker.close(result.crossloadings[row.name!]?.[lv], cell(row, lv), TOLERANCE, `crossloading ${row.name}/${lv}`);
      }
    }
  });

  it('matches the unidimensionality figures', () => {
    const reference = readReference('satisfaction_unidim.csv');
    reference.rows.forEach((row, k) => {
      const lv = reference.rowNames![k]!;
      const figures = result.unidim[lv]!;
      expect(figures.mode).toBe(row.mode);
      expect(figures.items).toBe(cell(row, 'mvs'));
      tracker.close(figures.alpha, cell(row, 'cronbach_alpha'), TOLERANCE, `${lv} alpha`);
      tracker.close(figures.rho, cell(row, 'dillon_goldstein_rho'), TOLERANCE, `${lv} rho`);
      tracker.close(figures.eig1, cell(row, 'eig_1st'), TOLERANCE, `${lv} eig1`);
      tracker.close(figures.eig2, cell(row, 'eig_2nd'), TOLERANCE, `${lv} eig2`);
    });
  });

  it('matches the README figures: GoF and the SAT index', () => {
    // the README gives 9 decimals
    expect(Math.abs(result.gof - 0.609741624)).toBeLessThanOrEqual(5e-10);
    const sat = result.index?.SAT;
    expect(sat?.defined).toBe(true);
    if (sat?.defined) expect(sat.value.toFixed(3)).toBe('68.598');
  });
});

describe('scores', () => {
  it('match every reference score (250 rows x 6 latent variables)', () => {
    const result = fromRows('centroid');
    const reference = readReference('satisfaction.scores.csv');
    expect(reference.rows).toHaveLength(250);
    expect(result.scores).toHaveLength(250);
    reference.rows.forEach((row, r) => {
      for (const lv of reference.columns) tracker.close(result.scores![r]?.[lv], cell(row, lv), TOLERANCE, `score ${r + 1}/${lv}`);
    });
  });

  it('are not available from statistics (they need the rows)', () => {
    expect(fromStatistics().scores).toBeUndefined();
  });
});

describe.each([
  ['path', 'satisfaction.outer-model-path.csv'],
  ['factorial', 'satisfaction.outer-model-factorial.csv'],
] as const)('%s scheme', (scheme, file) => {
  it(`matches ${file}`, () => {
    checkOuterModel(fromRows(scheme), file);
  });

  it('gives a different solution from the centroid one (the scheme is really applied)', () => {
    expect(Math.abs(fromRows(scheme).weights.imag1! - fromRows('centroid').weights.imag1!)).toBeGreaterThan(1e-7);
  });
});
