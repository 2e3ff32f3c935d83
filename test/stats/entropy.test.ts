import { describe, expect, it } from 'vitest';
import { entropyWeights } from '../../functions/domain/stats/entropy';

describe('entropy weights', () => {
  // Hand computation, n = 3 rows, ln 3 = 1.0986:
  //  a = (1, 2, 4): min 1, max 4, x' = (0, 1/3, 1), sum 4/3, p = (0, 1/4, 3/4)
  //     e_a = -(1/ln 3)(0 + 1/4 ln 1/4 + 3/4 ln 3/4) = (1/4 ln 4 + 3/4 ln 4/3) / ln 3 = 0.511860
  //  b = (3, 1, 2): x' = (1, 0, 1/2), sum 3/2, p = (2/3, 0, 1/3)
  //     e_b = (2/3 ln 3/2 + 1/3 ln 3) / ln 3 = 0.579380
  //  c = (7, 7, 7): constant, e_c = 1, d_c = 0.
  //  d_a = 0.488140, d_b = 0.420620; w_a = d_a / (d_a + d_b) = 0.537150, w_b = 0.462850.
  const ea = (0.25 * Math.log(4) + 0.75 * Math.log(4 / 3)) / Math.log(3);
  const eb = ((2 / 3) * Math.log(1.5) + (1 / 3) * Math.log(3)) / Math.log(3);

  it('matches the hand computation', () => {
    const result = entropyWeights({ a: [1, 2, 4], b: [3, 1, 2] });
    expect(ea).toBeCloseTo(0.51186, 6);
    expect(eb).toBeCloseTo(0.57938, 5);
    expect(result.entropy.a).toBeCloseTo(ea, 12);
    expect(result.entropy.b).toBeCloseTo(eb, 12);
    expect(result.weights.a).toBeCloseTo((1 - ea) / (2 - ea - eb), 12);
    expect(result.weights.b).toBeCloseTo((1 - eb) / (2 - ea - eb), 12);
    expect(result.weights.a).toBeCloseTo(0.53715, 6);
    expect(result.n).toBe(3);
    expect(result.warnings).toEqual([]);
  });

  it('gives a constant column weight 0 and entropy 1, with a warning', () => {
    const result = entropyWeights({ a: [1, 2, 4], c: [7, 7, 7], b: [3, 1, 2] });
    expect(Object.keys(result.weights)).toEqual(['a', 'c', 'b']);
    expect(result.weights.c).toBe(0);
    expect(result.entropy.c).toBe(1);
    expect(result.weights.a).toBeCloseTo(0.53715, 6);
    expect(result.constantColumns).toEqual(['c']);
    expect(result.warnings).toEqual(['column "c" is constant: it carries no information and gets entropy weight 0']);
  });

  it('does not depend on the scale of a column (min-max normalisation)', () => {
    const result = entropyWeights({ a: [15, 25, 45], b: [3, 1, 2] });
    expect(result.weights.a).toBeCloseTo(0.53715, 6);
  });

  it('gives a column that singles out one row entropy 0', () => {
    // x' = (0, 0, 1): p = (0, 0, 1), e = 0, d = 1.
    const result = entropyWeights({ a: [0, 0, 5], b: [0, 5, 5] });
    expect(result.entropy.a).toBe(0);
    // b: p = (0, 1/2, 1/2), e = ln 2 / ln 3.
    expect(result.entropy.b).toBeCloseTo(Math.log(2) / Math.log(3), 12);
    expect(result.weights.a).toBeCloseTo(1 / (2 - Math.log(2) / Math.log(3)), 12);
  });

  it('rejects all-constant data, a single row, unequal columns and non-finite values', () => {
    expect(() => entropyWeights({ a: [1, 1], b: [2, 2] })).toThrow('every column is constant (a, b)');
    expect(() => entropyWeights({ a: [1] })).toThrow('at least 2 rows, got 1');
    expect(() => entropyWeights({ a: [1, 2], b: [1] })).toThrow('column "b" has 1 values, column "a" has 2');
    expect(() => entropyWeights({ a: [1, Number.NaN] })).toThrow('column "a", row 2: NaN is not a finite number');
    expect(() => entropyWeights({})).toThrow('at least one column');
  });
});
