import { describe, expect, it } from 'vitest';
import { resolveChildWeights } from '../../functions/domain/stats/data-weights';
import { weightingSchema, type WeightingSpec } from '../../functions/domain/stats/weighting';

describe('the weighting: block', () => {
  it('accepts every method', () => {
    const blocks = [
      { method: 'fixed', weights: [0.5, 0.3, 0.2] },
      { method: 'fixed', weights: { a: 50, b: 50 } },
      { method: 'equal' },
      { method: 'ahp', matrix: [[1, 3, '5'], ['1/3', 1, 3], ['1/5', '1/3', 1]] },
      { method: 'entropy' },
      { method: 'derived' },
      { method: 'derived', target: 'overall' },
      { method: 'pls' },
    ];
    for (const block of blocks) expect(weightingSchema.safeParse(block).success, JSON.stringify(block)).toBe(true);
  });

  it('rejects unknown methods and keys, negative weights, and names a bad AHP cell by path', () => {
    expect(weightingSchema.safeParse({ method: 'magic' }).success).toBe(false);
    expect(weightingSchema.safeParse({ method: 'equal', weights: [1] }).success).toBe(false);
    expect(weightingSchema.safeParse({ method: 'fixed', weights: [0.5, -0.5] }).success).toBe(false);
    const bad = weightingSchema.safeParse({ method: 'ahp', matrix: [[1, 3], ['1/2', 1]] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['matrix', 1, 0]);
    expect(bad.error!.issues[0]!.message).toMatch(/^matrix\[1\]\[0\] = "1\/2" is not the reciprocal of matrix\[0\]\[1\] = 3/);
  });
});

describe('resolveChildWeights', () => {
  const resolve = (spec: WeightingSpec, ids: string[], data?: Parameters<typeof resolveChildWeights>[2]) =>
    resolveChildWeights(weightingSchema.parse(spec), ids, data);

  it('resolves equal and fixed weights, normalising percentages', () => {
    expect(resolve({ method: 'equal' }, ['a', 'b', 'c', 'd'])).toMatchObject({ status: 'resolved', weights: { a: 0.25, d: 0.25 } });
    expect(resolve({ method: 'fixed', weights: [0.5, 0.3, 0.2] }, ['a', 'b', 'c'])).toEqual({
      status: 'resolved',
      method: 'fixed',
      weights: { a: 0.5, b: 0.3, c: 0.2 },
      warnings: [],
    });
    expect(resolve({ method: 'fixed', weights: { b: 40, a: 60 } }, ['a', 'b'])).toMatchObject({ weights: { a: 0.6, b: 0.4 }, warnings: [] });
    expect(resolve({ method: 'fixed', weights: [0.5, 0.3, 0.3] }, ['a', 'b', 'c'])).toMatchObject({
      status: 'resolved',
      warnings: ['the fixed weights sum to 1.1, not 1 or 100; they were normalised to sum to 1'],
    });
  });

  it('reports fixed weights that do not fit the children', () => {
    expect(resolve({ method: 'fixed', weights: [0.5, 0.5] }, ['a', 'b', 'c'])).toMatchObject({
      status: 'invalid',
      errors: ['2 fixed weights for 3 children'],
    });
    expect(resolve({ method: 'fixed', weights: { a: 1, x: 1 } }, ['a', 'b'])).toMatchObject({
      status: 'invalid',
      errors: ['fixed weight for "x", which is not a child (children: a, b)', 'no fixed weight for child "b"'],
    });
    expect(resolve({ method: 'equal' }, [])).toMatchObject({ status: 'invalid', errors: ['the node has no children to weight'] });
    expect(resolve({ method: 'equal' }, ['a', 'a'])).toMatchObject({ status: 'invalid', errors: ['child "a" is listed twice'] });
  });

  it('resolves consistent AHP weights and rejects an inconsistent matrix, naming the children', () => {
    const ids = ['reliability', 'responsiveness', 'tangibles'];
    const consistent = resolve({ method: 'ahp', matrix: [[1, 3, 5], ['1/3', 1, 3], ['1/5', '1/3', 1]] }, ids);
    expect(consistent.status).toBe('resolved');
    if (consistent.status !== 'resolved') return;
    expect(consistent.weights.reliability).toBeCloseTo(0.637, 4);
    expect(consistent.ahp!.cr).toBeCloseTo(0.0332, 4);

    const circular = resolve({ method: 'ahp', matrix: [[1, 3, '1/3'], ['1/3', 1, 3], [3, '1/3', 1]] }, ids);
    expect(circular.status).toBe('invalid');
    if (circular.status !== 'invalid') return;
    expect(circular.errors[0]).toMatch(/^the AHP comparisons are inconsistent: CR = /);
    expect(circular.errors[0]).toContain('"reliability" over "responsiveness" (matrix[0][1]) = 3');

    expect(resolve({ method: 'ahp', matrix: [[1, 2], ['1/2', 1]] }, ids)).toMatchObject({
      status: 'invalid',
      errors: ['the AHP matrix is 2 x 2 for 3 children (reliability, responsiveness, tangibles)'],
    });
  });

  it('needs data for entropy and derived weights, and the PLS engine for pls', () => {
    expect(resolve({ method: 'entropy' }, ['a', 'b'])).toMatchObject({ status: 'needs-data', method: 'entropy' });
    expect(resolve({ method: 'derived' }, ['a', 'b'], { childScores: { a: [1], b: [2] } })).toMatchObject({
      status: 'needs-data',
      reason: "the target's answers are needed",
    });
    expect(resolve({ method: 'pls' }, ['a', 'b'])).toMatchObject({ status: 'needs-data', method: 'pls' });
    expect(resolve({ method: 'entropy' }, ['a', 'b'], { childScores: { a: [1] } })).toMatchObject({
      status: 'needs-data',
      reason: 'no scores for child(ren) b',
    });
  });

  it('resolves entropy weights from the children\'s scores, leaving out incomplete respondents', () => {
    // The rows without a null are the hand-computed example of entropy.test.ts: w_a = 0.537150.
    const result = resolve({ method: 'entropy' }, ['a', 'b'], { childScores: { a: [1, 2, null, 4], b: [3, 1, 5, 2] } });
    expect(result.status).toBe('resolved');
    if (result.status !== 'resolved') return;
    expect(result.weights.a).toBeCloseTo(0.53715, 5);
    expect(result.warnings).toEqual(['1 respondent(s) without an answer for every child were left out']);
  });

  it('resolves derived weights as rescaled relative weights', () => {
    // Orthogonal children with y = 2 x1 + x2 + noise (see drivers.test.ts): rescaled 0.8 and 0.2.
    const x1 = [1, -1, 1, -1, 1, -1, 1, -1];
    const x2 = [1, 1, -1, -1, 1, 1, -1, -1];
    const target = x1.map((a, i) => 2 * a + x2[i]! + a * x2[i]!);
    const result = resolve({ method: 'derived', target: 'overall' }, ['x1', 'x2'], { childScores: { x1, x2 }, target });
    expect(result.status).toBe('resolved');
    if (result.status !== 'resolved') return;
    expect(result.weights.x1).toBeCloseTo(0.8, 12);
    expect(result.weights.x2).toBeCloseTo(0.2, 12);
    expect(result.drivers!.r2).toBeCloseTo(5 / 6, 12);
  });

  it('turns bad data into an invalid resolution naming the column', () => {
    const result = resolve({ method: 'derived' }, ['a', 'b'], {
      childScores: { a: [1, 2, 3, 4], b: [2, 2, 2, 2] },
      target: [1, 3, 2, 4],
    });
    expect(result).toMatchObject({ status: 'invalid', errors: ['column "b" is constant: it has no correlation with anything'] });
  });
});
