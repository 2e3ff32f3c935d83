import { describe, expect, it } from 'vitest';
import {
  AhpMatrixError,
  SAATY_RANDOM_INDEX,
  ahpInconsistencyMessage,
  ahpWeights,
  parseAhpJudgement,
  parseAhpMatrix,
} from '../../functions/domain/stats/ahp';

describe('AHP weights against published worked examples', () => {
  it("reproduces Saaty's house-buying example (inconsistent, CR 0.169)", () => {
    // T. L. Saaty (1990), "How to make a decision: The analytic hierarchy process", European
    // Journal of Operational Research 48, 9-26, Table 2 (criteria: size of house, transportation,
    // neighbourhood, age, yard space, modern facilities, general condition, financing).
    // Published: weights .173 .054 .188 .018 .031 .036 .167 .333, lambda_max 9.669, CI .238, CR .169.
    const house = [
      [1, 5, 3, 7, 6, 6, '1/3', '1/4'],
      ['1/5', 1, '1/3', 5, 3, 3, '1/5', '1/7'],
      ['1/3', 3, 1, 6, 3, 4, 6, '1/5'],
      ['1/7', '1/5', '1/6', 1, '1/3', '1/4', '1/7', '1/8'],
      ['1/6', '1/3', '1/3', 3, 1, '1/2', '1/5', '1/6'],
      ['1/6', '1/3', '1/4', 4, 2, 1, '1/5', '1/6'],
      [3, 5, '1/6', 7, 5, 5, 1, '1/2'],
      [4, 7, 5, 8, 6, 6, 2, 1],
    ];
    const result = ahpWeights(house);
    const published = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333];
    result.weights.forEach((weight, i) => expect(weight).toBeCloseTo(published[i]!, 3));
    expect(result.lambdaMax).toBeCloseTo(9.669, 3);
    expect(result.ci).toBeCloseTo(0.238, 3);
    expect(result.ri).toBe(1.41);
    expect(result.cr).toBeCloseTo(0.169, 3);
    expect(result.consistent).toBe(false);
    // Neighbourhood (2) was judged 6 times as important as general condition (6), while the
    // weights make them about equal (.188 / .167 = 1.13): the largest log-deviation of any pair.
    expect(result.worst).toMatchObject({ row: 2, col: 6, judgement: 6 });
    expect(result.worst.impliedRatio).toBeCloseTo(0.188 / 0.167, 1);
    expect(ahpInconsistencyMessage(result)).toContain('matrix[2][6]');
  });

  it("reproduces Saaty's wealth-of-nations example (consistent)", () => {
    // T. L. Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill; repeated in Saaty (1990)
    // EJOR 48: relative wealth of US, USSR, China, France, UK, Japan, West Germany.
    // Published: eigenvector .427 .230 .021 .052 .052 .123 .094, lambda_max 7.61, CR 0.08.
    const nations = [
      [1, 4, 9, 6, 6, 5, 5],
      ['1/4', 1, 7, 5, 5, 3, 4],
      ['1/9', '1/7', 1, '1/5', '1/5', '1/7', '1/5'],
      ['1/6', '1/5', 5, 1, 1, '1/3', '1/3'],
      ['1/6', '1/5', 5, 1, 1, '1/3', '1/3'],
      ['1/5', '1/3', 7, 3, 3, 1, 2],
      ['1/5', '1/4', 5, 3, 3, '1/2', 1],
    ];
    const result = ahpWeights(nations);
    const published = [0.427, 0.23, 0.021, 0.052, 0.052, 0.123, 0.094];
    result.weights.forEach((weight, i) => expect(weight).toBeCloseTo(published[i]!, 3));
    expect(result.lambdaMax).toBeCloseTo(7.61, 2);
    expect(result.cr).toBeCloseTo(0.08, 2);
    expect(result.consistent).toBe(true);
    expect(ahpInconsistencyMessage(result)).toBeNull();
  });

  it('reproduces the textbook 3 x 3 example of the issue', () => {
    // The matrix [[1,3,5],[1/3,1,3],[1/5,1/3,1]] is the standard 层次分析法 classroom example:
    // weights 0.6370, 0.2583, 0.1047, lambda_max 3.0385, CI 0.0193, CR 0.0332 (also numpy.linalg.eig).
    const result = ahpWeights([[1, 3, '5'], ['1/3', 1, 3], ['1/5', '1/3', 1]]);
    expect(result.weights[0]).toBeCloseTo(0.637, 4);
    expect(result.weights[1]).toBeCloseTo(0.2583, 4);
    expect(result.weights[2]).toBeCloseTo(0.1047, 4);
    expect(result.lambdaMax).toBeCloseTo(3.0385, 4);
    expect(result.ci).toBeCloseTo(0.0193, 4);
    expect(result.cr).toBeCloseTo(0.0332, 4);
    expect(result.consistent).toBe(true);
  });

  it('returns the generating weights of a perfectly consistent matrix, with lambda_max = n and CR = 0', () => {
    // a_ij = w_i / w_j for w = (0.5, 0.3, 0.2): A w = n w exactly.
    const w = [0.5, 0.3, 0.2];
    const result = ahpWeights(w.map((wi) => w.map((wj) => wi / wj)));
    result.weights.forEach((weight, i) => expect(weight).toBeCloseTo(w[i]!, 12));
    expect(result.lambdaMax).toBeCloseTo(3, 12);
    expect(result.cr).toBeCloseTo(0, 12);
  });

  it('gives a 2 x 2 matrix the weights a/(1+a), 1/(1+a) and CR 0', () => {
    const result = ahpWeights([[1, 3], ['1/3', 1]]);
    expect(result.weights[0]).toBeCloseTo(0.75, 12);
    expect(result.weights[1]).toBeCloseTo(0.25, 12);
    expect(result.cr).toBe(0);
    expect(result.ri).toBe(0);
    expect(result.consistent).toBe(true);
  });

  it("uses Saaty's random index table", () => {
    expect(SAATY_RANDOM_INDEX).toEqual([0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]);
  });

  it('names the deviating comparison with the criteria labels', () => {
    // 1 > 2 (3), 2 > 3 (3), but 3 > 1 (3): an intransitive circle.
    const result = ahpWeights([[1, 3, '1/3'], ['1/3', 1, 3], [3, '1/3', 1]]);
    expect(result.consistent).toBe(false);
    const message = ahpInconsistencyMessage(result, ['speed', 'courtesy', 'price']);
    expect(message).toMatch(/^the AHP comparisons are inconsistent: CR = \d\.\d{3} > 0\.10/);
    expect(message).toContain('"speed" over "courtesy" (matrix[0][1]) = 3');
  });
});

describe('AHP matrix validation', () => {
  const error = (raw: unknown) => {
    try {
      parseAhpMatrix(raw);
    } catch (caught) {
      expect(caught).toBeInstanceOf(AhpMatrixError);
      return caught as AhpMatrixError;
    }
    throw new Error('expected an AhpMatrixError');
  };

  it('reads numbers, numeric text and fractions a/b', () => {
    expect(parseAhpJudgement(3)).toBe(3);
    expect(parseAhpJudgement('5')).toBe(5);
    expect(parseAhpJudgement(' 1 / 3 ')).toBeCloseTo(1 / 3, 15);
    expect(parseAhpJudgement('0.5')).toBe(0.5);
    expect(parseAhpJudgement('1/0')).toBeNull();
    expect(parseAhpJudgement('three')).toBeNull();
    expect(parseAhpJudgement(null)).toBeNull();
  });

  it('accepts a decimal reciprocal within 1e-6 and rejects a rougher one, naming the cell', () => {
    expect(parseAhpMatrix([[1, 3], [0.3333333, 1]])[1]![0]).toBe(0.3333333);
    const rough = error([[1, 3], [0.3333, 1]]);
    expect(rough.cell).toEqual({ row: 1, col: 0 });
    expect(rough.message).toBe('matrix[1][0] = 0.3333 is not the reciprocal of matrix[0][1] = 3 (expected 0.333333)');
  });

  it('rejects a non-reciprocal pair, naming the smaller entry', () => {
    expect(error([[1, 3, 5], ['1/2', 1, 3], ['1/5', '1/3', 1]]).message).toMatch(/^matrix\[1\]\[0\] = "1\/2" is not the reciprocal of matrix\[0\]\[1\] = 3/);
    expect(error([[1, 2], [2, 1]]).cell).toEqual({ row: 1, col: 0 });
  });

  it('rejects a bad diagonal, a non-positive or non-numeric cell, and a wrong shape', () => {
    expect(error([[1, 2], [0.5, 2]]).message).toBe('matrix[1][1] = 2: the diagonal must be 1');
    expect(error([[1, 0], [0, 1]]).message).toBe('matrix[0][1] = 0 is not positive');
    expect(error([[1, -2], [-0.5, 1]]).cell).toEqual({ row: 0, col: 1 });
    expect(error([[1, 'x'], [1, 1]]).message).toBe('matrix[0][1] = "x" is not a number or a fraction "a/b"');
    expect(error([[1, 2, 3], [0.5, 1]]).message).toBe('matrix[0] has 3 entries; the matrix must be square (2 x 2)');
    expect(error([[1, 2], 0.5]).message).toBe('matrix[1] has no entries (not an array); the matrix must be square (2 x 2)');
    expect(error([[1]]).message).toMatch(/has 1 row\(s\); AHP compares 2 to 15 criteria/);
    const sixteen = Array.from({ length: 16 }, () => Array.from({ length: 16 }, () => 1));
    expect(error(sixteen).message).toMatch(/has 16 row\(s\)/);
    expect(error('[[1]]').message).toBe('the comparison matrix must be an array of rows');
  });

  it('accepts 15 criteria', () => {
    const fifteen = Array.from({ length: 15 }, () => Array.from({ length: 15 }, () => 1));
    const result = ahpWeights(fifteen);
    result.weights.forEach((weight) => expect(weight).toBeCloseTo(1 / 15, 12));
    expect(result.ri).toBe(1.59);
  });
});
