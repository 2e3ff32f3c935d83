import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../../functions/cli/csv';
import { completeCases, numericColumnsFromRows } from '../../functions/domain/stats/data';
import {
  importancePerformance,
  keyDriverAnalysis,
  relativeWeightsFromCorrelations,
} from '../../functions/domain/stats/drivers';

const mtcarsPath = fileURLToPath(new URL('./fixtures/mtcars.csv', import.meta.url));

describe("key driver analysis and Johnson's relative weights", () => {
  it('reproduces the published rwa example on mtcars (mpg ~ cyl + disp + hp + gear)', () => {
    // M. Chan, R package rwa, README "Basic example" (github.com/martinctc/rwa): R2 0.7791896;
    // raw relative weights cyl 0.2284797, disp 0.2221469, hp 0.2321744, gear 0.0963886;
    // rescaled 29.32274, 28.50999, 29.79691, 12.37037 (%). mtcars: Henderson & Velleman (1981),
    // the data set shipped with R. Correlations with mpg as R's cor(mtcars): -0.852162,
    // -0.8475514, -0.7761684, 0.4802848.
    const table = readCsvTable(mtcarsPath);
    const { columns } = completeCases(numericColumnsFromRows(table.rows, ['mpg', 'cyl', 'disp', 'hp', 'gear'], table.columns));
    const { mpg, ...predictors } = columns;
    const result = keyDriverAnalysis(mpg!, predictors, 'mpg');
    expect(result.n).toBe(32);
    expect(result.r2).toBeCloseTo(0.7791896, 7);
    expect(result.relativeWeights.cyl).toBeCloseTo(0.2284797, 7);
    expect(result.relativeWeights.disp).toBeCloseTo(0.2221469, 7);
    expect(result.relativeWeights.hp).toBeCloseTo(0.2321744, 7);
    expect(result.relativeWeights.gear).toBeCloseTo(0.0963886, 7);
    expect(100 * result.rescaled.cyl!).toBeCloseTo(29.32274, 5);
    expect(100 * result.rescaled.gear!).toBeCloseTo(12.37037, 5);
    expect(result.correlations.cyl).toBeCloseTo(-0.852162, 6);
    expect(result.correlations.gear).toBeCloseTo(0.4802848, 7);
    // The standardised betas give R2 = beta . r (normal equations).
    const r2FromBeta = Object.keys(predictors).reduce((acc, name) => acc + result.beta[name]! * result.correlations[name]!, 0);
    expect(r2FromBeta).toBeCloseTo(result.r2, 12);
    expect(Object.values(result.rescaled).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('gives orthogonal predictors relative weights equal to their squared correlations', () => {
    // x1, x2 and the noise x1*x2 are mutually orthogonal +/-1 columns with equal variance s^2, and
    // y = 2 x1 + x2 + x1 x2, so var(y) = 6 s^2, r1 = 2/sqrt 6, r2 = 1/sqrt 6, R2 = 5/6,
    // beta = r, relative weights = r^2 = 4/6 and 1/6, rescaled 0.8 and 0.2.
    const x1 = [1, -1, 1, -1, 1, -1, 1, -1];
    const x2 = [1, 1, -1, -1, 1, 1, -1, -1];
    const y = x1.map((a, i) => 2 * a + x2[i]! + a * x2[i]!);
    const result = keyDriverAnalysis(y, { x1, x2 });
    expect(result.correlations.x1).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(result.beta.x1).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(result.relativeWeights.x1).toBeCloseTo(4 / 6, 12);
    expect(result.relativeWeights.x2).toBeCloseTo(1 / 6, 12);
    expect(result.r2).toBeCloseTo(5 / 6, 12);
    expect(result.rescaled).toEqual({ x1: expect.closeTo(0.8, 12), x2: expect.closeTo(0.2, 12) });
  });

  it('matches the closed form for two correlated predictors', () => {
    // Rxx = [[1, r], [r, 1]] with r = 0.5 has eigenvalues 1 +/- r and eigenvectors (1, +/-1)/sqrt 2,
    // so its square root is L = [[a, b], [b, a]] with a = (sqrt 1.5 + sqrt 0.5)/2,
    // b = (sqrt 1.5 - sqrt 0.5)/2, and L^-1 = [[a, -b], [-b, a]] / sqrt(1 - r^2).
    // rxy = (0.6, 0.4): beta* = L^-1 rxy, eps1 = a^2 beta*1^2 + b^2 beta*2^2, eps2 = b^2 beta*1^2 + a^2 beta*2^2.
    // R2 = (r1^2 + r2^2 - 2 r1 r2 r) / (1 - r^2) = (0.52 - 0.24) / 0.75; beta = (0.4, 0.1) / 0.75.
    const r = 0.5;
    const a = (Math.sqrt(1 + r) + Math.sqrt(1 - r)) / 2;
    const b = (Math.sqrt(1 + r) - Math.sqrt(1 - r)) / 2;
    const det = Math.sqrt(1 - r * r);
    const star1 = (a * 0.6 - b * 0.4) / det;
    const star2 = (-b * 0.6 + a * 0.4) / det;
    const result = relativeWeightsFromCorrelations([[1, r], [r, 1]], [0.6, 0.4]);
    expect(result.relativeWeights[0]).toBeCloseTo(a * a * star1 * star1 + b * b * star2 * star2, 12);
    expect(result.relativeWeights[1]).toBeCloseTo(b * b * star1 * star1 + a * a * star2 * star2, 12);
    expect(result.r2).toBeCloseTo(0.28 / 0.75, 12);
    expect(result.beta[0]).toBeCloseTo(0.4 / 0.75, 12);
    expect(result.beta[1]).toBeCloseTo(0.1 / 0.75, 12);
    expect(result.relativeWeights[0]! + result.relativeWeights[1]!).toBeCloseTo(result.r2, 12);
  });

  it('names perfectly collinear predictors, constant columns and too few rows', () => {
    const a = [1, 2, 3, 4, 5, 6];
    const b = [2, 1, 4, 3, 6, 5];
    const sumAB = a.map((v, i) => v + b[i]!);
    const y = [1, 3, 2, 5, 4, 6];
    const c = [9, 1, 3, 2, 8, 4];
    expect(() => keyDriverAnalysis(y, { a, c, b, sumAB })).toThrow('the predictors a, b, sumAB are perfectly collinear');
    expect(() => keyDriverAnalysis(y, { a, flat: [3, 3, 3, 3, 3, 3] })).toThrow('column "flat" is constant');
    expect(() => keyDriverAnalysis([5, 5, 5, 5, 5, 5], { a }, 'overall')).toThrow('column "overall" is constant');
    expect(() => keyDriverAnalysis([1, 2, 3], { a: [1, 2, 4], b: [3, 1, 2] })).toThrow('needs at least 4 complete rows, got 3');
    expect(() => keyDriverAnalysis(y, {})).toThrow('at least one predictor');
  });
});

describe('importance-performance analysis', () => {
  it('splits the quadrants at the means', () => {
    // Importance mean 0.25, performance mean 75.
    const result = importancePerformance([
      { id: 'waiting', importance: 0.4, performance: 60 },
      { id: 'courtesy', importance: 0.3, performance: 90 },
      { id: 'parking', importance: 0.1, performance: 65 },
      { id: 'decor', importance: 0.2, performance: 85 },
    ]);
    expect(result.importanceMean).toBeCloseTo(0.25, 12);
    expect(result.performanceMean).toBe(75);
    expect(Object.fromEntries(result.items.map((item) => [item.id, item.quadrant]))).toEqual({
      waiting: 'concentrate here',
      courtesy: 'keep up the good work',
      parking: 'low priority',
      decor: 'possible overkill',
    });
  });

  it('counts an item exactly at the mean as high, even when the mean is rounded', () => {
    const third = 1 / 3;
    const result = importancePerformance([
      { id: 'a', importance: third, performance: 70 },
      { id: 'b', importance: third, performance: 80 },
      { id: 'c', importance: third, performance: 75 },
    ]);
    expect(result.items.map((item) => item.quadrant)).toEqual(['concentrate here', 'keep up the good work', 'keep up the good work']);
  });
});
