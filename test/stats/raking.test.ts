import { describe, expect, it } from 'vitest';
import { kishEffectiveSampleSize, rake, weightedMean } from '../../functions/domain/stats/raking';

function repeat(pairs: [string, number][]): string[] {
  return pairs.flatMap(([value, count]) => Array.from({ length: count }, () => value));
}

describe('raking (iterative proportional fitting)', () => {
  it('reduces to post-stratification on one dimension', () => {
    // Sample 30 A / 70 B, population 50 / 50: weights 0.5/0.3 = 5/3 and 0.5/0.7 = 5/7 (mean 1).
    const result = rake([{ name: 'unit', categories: repeat([['A', 30], ['B', 70]]), targets: { A: 5000, B: 5000 } }]);
    expect(result.converged).toBe(true);
    expect(result.weights[0]).toBeCloseTo(5 / 3, 12);
    expect(result.weights[99]).toBeCloseTo(5 / 7, 12);
    expect(result.unweightedN).toBe(100);
    expect(result.weightedN).toBeCloseTo(100, 10);
    // Kish: (sum w)^2 / sum w^2 = 100^2 / (30 x 25/9 + 70 x 25/49) = 10000 / (250/3 + 250/7) = 84.
    expect(result.effectiveN).toBeCloseTo(84, 10);
  });

  it('converges to the table with the target margins and the sample odds ratio (2 x 2)', () => {
    // Sample cells: A-VIP 10, A-regular 30, B-VIP 20, B-regular 40 (odds ratio 10 x 40 / (30 x 20) = 2/3).
    // Targets: unit A 50%, grade VIP 20%. IPF keeps the odds ratio, so the A-VIP share t solves
    // t (0.3 + t) / ((0.5 - t)(0.2 - t)) = 2/3, i.e. t^2 + 2.3 t - 0.2 = 0, t = (sqrt 6.09 - 2.3) / 2.
    const units = repeat([['A', 40], ['B', 60]]);
    const grades = repeat([['VIP', 10], ['regular', 30], ['VIP', 20], ['regular', 40]]);
    const result = rake(
      [
        { name: 'unit', categories: units, targets: { A: 0.5, B: 0.5 } },
        { name: 'grade', categories: grades, targets: { VIP: 2000, regular: 8000 } },
      ],
      { tolerance: 1e-12, maxIterations: 1000 },
    );
    expect(result.converged).toBe(true);
    const t = (Math.sqrt(6.09) - 2.3) / 2;
    // Weight of each A-VIP respondent = t x n / 10.
    expect(result.weights[0]).toBeCloseTo((t * 100) / 10, 9);
    expect(result.weights[10]).toBeCloseTo(((0.5 - t) * 100) / 30, 9);
    expect(result.weights[40]).toBeCloseTo(((0.2 - t) * 100) / 20, 9);
    expect(result.weights[60]).toBeCloseTo(((0.3 + t) * 100) / 40, 9);
    expect(result.maxShareError).toBeLessThan(1e-12);
  });

  it('reports non-convergence as a warning', () => {
    const result = rake(
      [
        { name: 'unit', categories: repeat([['A', 40], ['B', 60]]), targets: { A: 1, B: 1 } },
        { name: 'grade', categories: repeat([['VIP', 10], ['regular', 30], ['VIP', 20], ['regular', 40]]), targets: { VIP: 1, regular: 4 } },
      ],
      { maxIterations: 1, tolerance: 1e-12 },
    );
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(1);
    expect(result.warnings[0]).toMatch(/^raking did not converge in 1 iterations/);
  });

  it('names categories that cannot be raked', () => {
    const categories = ['A', 'A', 'B'];
    expect(() => rake([{ name: 'unit', categories, targets: { A: 1 } }])).toThrow(
      'dimension "unit": respondent 3 is in category "B", which has no target',
    );
    expect(() => rake([{ name: 'unit', categories, targets: { A: 1, B: 1, C: 1 } }])).toThrow(
      'dimension "unit": category "C" has a target but no respondents',
    );
    expect(() => rake([{ name: 'unit', categories, targets: { A: 1, B: 0 } }])).toThrow('category "B" has respondents but a target of 0');
    expect(() => rake([{ name: 'unit', categories: ['A'], targets: { A: 1 } }], { baseWeights: [1, 1] })).toThrow(
      'dimension "unit" has 1 categories for 2 respondents',
    );
  });
});

describe('weighted figures', () => {
  it('computes the weighted mean and Kish effective n', () => {
    expect(weightedMean([1, 2, 3, 4], [1, 1, 2, 2])).toBeCloseTo((1 + 2 + 6 + 8) / 6, 12);
    expect(kishEffectiveSampleSize([1, 1, 2, 2])).toBeCloseTo(36 / 10, 12);
  });
});
