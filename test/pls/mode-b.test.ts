/**
 * Mode B (formative) blocks, against expectations derived independently of the engine:
 *  - two blocks: the PLS fixed points are known in closed form (mode B-B is canonical correlation
 *    analysis, A-A is the first singular pair of the cross-correlation matrix, B-A is redundancy
 *    analysis); computed here from the raw data with ml-matrix decompositions;
 *  - a larger model mixing modes: at convergence every block's weights solve their normal
 *    equations (mode B: X_b'X_b w = X_b'Z; mode A: w proportional to X_b'Z), which is checked from
 *    the raw data and the returned scores.
 */
import { correlation, EigenvalueDecomposition, Matrix, solve, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { estimatePls, type InnerScheme, type OuterMode, type PlsResult } from '../../functions/domain/pls';
import { satisfactionData, satisfactionModel, syntheticSurvey } from './helpers';

const TIGHT = { tol: 1e-24, maxIter: 5000 };

/** Scales a weight vector so that the block score has variance 1 under `blockCorrelation`, with
 *  the sign that best agrees with `reference`. */
function normaliseLike(weights: number[], blockCorrelation: Matrix, reference: number[]): number[] {
  const w = Matrix.columnVector(weights);
  const variance = w.transpose().mmul(blockCorrelation).mmul(w).get(0, 0);
  const dot = weights.reduce((total, value, i) => total + value * reference[i]!, 0);
  const scale = Math.sign(dot) / Math.sqrt(variance);
  return weights.map((value) => value * scale);
}

function expectVectorClose(actual: number[], expected: number[], tolerance: number, label: string): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]!), `${label}[${i}]`).toBeLessThan(tolerance));
}

describe('two blocks: closed-form fixed points', () => {
  const survey = syntheticSurvey({ seed: 31, rows: 400, blockSizes: { X: 3, Y: 4 }, paths: [['X', 'Y', 0.6]] });
  const R = correlation(new Matrix(survey.rows));
  const xs = [0, 1, 2];
  const ys = [3, 4, 5, 6];
  const Rxx = R.selection(xs, xs);
  const Ryy = R.selection(ys, ys);
  const Rxy = R.selection(xs, ys);
  const Ryx = Rxy.transpose();

  const fit = (modes: Record<string, OuterMode>, scheme: InnerScheme = 'centroid'): PlsResult =>
    estimatePls({ blocks: survey.blocks, modes, paths: [['X', 'Y']], scheme, columns: survey.columns, rows: survey.rows, ...TIGHT });
  const weightsOf = (result: PlsResult, items: string[]) => items.map((item) => result.weights[item]!);

  /** The dominant eigenvector of a (non-symmetric) matrix and its eigenvalue. */
  function dominant(matrix: Matrix): { value: number; vector: number[] } {
    const decomposition = new EigenvalueDecomposition(matrix);
    const values = decomposition.realEigenvalues;
    const best = values.indexOf(Math.max(...values));
    return { value: values[best]!, vector: decomposition.eigenvectorMatrix.getColumn(best) };
  }

  it.each(['centroid', 'factorial', 'path'] as const)('mode B-B is canonical correlation analysis (%s scheme)', (scheme) => {
    const result = fit({ X: 'B', Y: 'B' }, scheme);
    const canonicalX = dominant(solve(Rxx, Rxy).mmul(solve(Ryy, Ryx)));
    const canonicalY = dominant(solve(Ryy, Ryx).mmul(solve(Rxx, Rxy)));
    const firstCanonicalCorrelation = Math.sqrt(canonicalX.value);
    expect(Math.abs(Math.abs(result.paths['X->Y']!) - firstCanonicalCorrelation)).toBeLessThan(1e-10);
    const wx = weightsOf(result, survey.blocks.X!);
    const wy = weightsOf(result, survey.blocks.Y!);
    expectVectorClose(wx, normaliseLike(canonicalX.vector, Rxx, wx), 1e-9, 'X weights');
    expectVectorClose(wy, normaliseLike(canonicalY.vector, Ryy, wy), 1e-9, 'Y weights');
  });

  it('mode A-A is the first singular pair of the cross-correlation matrix', () => {
    const result = fit({});
    const svd = new SingularValueDecomposition(Rxy, { autoTranspose: true });
    const wx = weightsOf(result, survey.blocks.X!);
    const wy = weightsOf(result, survey.blocks.Y!);
    expectVectorClose(wx, normaliseLike(svd.leftSingularVectors.getColumn(0), Rxx, wx), 1e-9, 'X weights');
    expectVectorClose(wy, normaliseLike(svd.rightSingularVectors.getColumn(0), Ryy, wy), 1e-9, 'Y weights');
  });

  it('mode B-A is redundancy analysis of Y on X', () => {
    const result = fit({ X: 'B' });
    const redundancy = dominant(solve(Rxx, Rxy).mmul(Ryx));
    const wx = weightsOf(result, survey.blocks.X!);
    expectVectorClose(wx, normaliseLike(redundancy.vector, Rxx, wx), 1e-9, 'X weights');
    // and Y's weights follow from X's score: proportional to Ryx wx
    const wy = weightsOf(result, survey.blocks.Y!);
    expectVectorClose(wy, normaliseLike(Ryx.mmul(Matrix.columnVector(wx)).getColumn(0), Ryy, wy), 1e-9, 'Y weights');
  });

  it('mode B weights differ from mode A weights on the same data (the mode is applied)', () => {
    const a = weightsOf(fit({}), survey.blocks.X!);
    const b = weightsOf(fit({ X: 'B', Y: 'B' }), survey.blocks.X!);
    expect(Math.max(...a.map((value, i) => Math.abs(value - b[i]!)))).toBeGreaterThan(1e-3);
  });
});

describe('mixed modes on the satisfaction model: the normal equations hold at the fixed point', () => {
  const data = satisfactionData();
  const lvs = Object.keys(satisfactionModel.blocks);
  const modes: Record<string, OuterMode> = { QUAL: 'B', VAL: 'B', LOY: 'B' };
  const n = data.rows.length;

  /** Treated data of a block: centred, and standardised (population sd) when scaled. */
  function treatedBlock(items: readonly string[], scaled: boolean): Matrix {
    const columns = items.map((item) => {
      const values = data.rows.map((row) => row[data.columns.indexOf(item)]!);
      const mean = values.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      return values.map((value) => (value - mean) / (scaled ? sd : 1));
    });
    return new Matrix(columns).transpose();
  }

  /** Inner weights E[j][k] from the score correlations, per scheme (written from the definitions). */
  function innerWeights(scores: Matrix, scheme: InnerScheme): Matrix {
    const C = correlation(scores);
    const E = new Matrix(lvs.length, lvs.length);
    const paths = satisfactionModel.paths.map(([from, to]) => [lvs.indexOf(from), lvs.indexOf(to)] as const);
    for (let k = 0; k < lvs.length; k++) {
      const predecessors = paths.filter(([, to]) => to === k).map(([from]) => from);
      const successors = paths.filter(([from]) => from === k).map(([, to]) => to);
      if (scheme === 'path') {
        if (predecessors.length > 0) {
          const beta = solve(C.selection(predecessors, predecessors), C.selection(predecessors, [k]));
          predecessors.forEach((j, i) => E.set(j, k, beta.get(i, 0)));
        }
        for (const j of successors) E.set(j, k, C.get(j, k));
      } else {
        for (const j of [...predecessors, ...successors]) E.set(j, k, scheme === 'centroid' ? Math.sign(C.get(j, k)) : C.get(j, k));
      }
    }
    return E;
  }

  it.each([
    ['centroid', false],
    ['centroid', true],
    ['factorial', true],
    ['path', false],
    ['path', true],
  ] as const)('%s scheme, scaled = %s', (scheme, scaled) => {
    const result = estimatePls({ ...satisfactionModel, modes, scheme, scaled, columns: data.columns, rows: data.rows, ...TIGHT });
    const scores = new Matrix(result.scores!.map((row) => lvs.map((lv) => row![lv]!)));
    const Z = scores.mmul(innerWeights(scores, scheme));
    lvs.forEach((lv, k) => {
      const items = satisfactionModel.blocks[lv]!;
      const X = treatedBlock(items, scaled);
      const z = Z.subMatrixColumn([k]);
      const crossProducts = X.transpose().mmul(z);
      const expected = modes[lv] === 'B' ? solve(X.transpose().mmul(X), crossProducts) : crossProducts;
      const w = items.map((item) => result.weights[item]!);
      const blockCovariance = X.transpose().mmul(X).div(n);
      expectVectorClose(w, normaliseLike(expected.getColumn(0), blockCovariance, w), 1e-9, `${lv} (${modes[lv] ?? 'A'})`);
    });
  });
});
