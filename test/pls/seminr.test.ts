/**
 * Agreement with seminr's algorithm (estimate_pls: n-1 standardisation, weights started at 1,
 * scores re-standardised after the outer and the inner step, path weighting, mode B through the
 * correlation matrix, stop on sum |W - W_old|, no sign fixing, paths from the normal equations).
 * It is re-implemented here on the raw rows, independently of the engine; at tight tolerances both
 * reach the same fixed point, so weights, loadings, paths and R2 must agree closely.
 */
import { correlation, Matrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { estimatePls, type OuterMode } from '../../functions/domain/pls';
import { satisfactionData, satisfactionModel, syntheticSurvey } from './helpers';

interface SeminrResult {
  weights: Record<string, number>;
  loadings: Record<string, number>;
  paths: Record<string, number>;
  r2: Record<string, number>;
  iterations: number;
}

/** Columns scaled to mean 0 and sample sd 1 (R's scale()). */
function scaleColumns(matrix: Matrix): Matrix {
  const result = matrix.clone();
  for (let j = 0; j < matrix.columns; j++) {
    const column = matrix.getColumn(j);
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / (column.length - 1));
    result.setColumn(j, column.map((value) => (value - mean) / sd));
  }
  return result;
}

function seminrPls(
  columns: string[],
  rows: number[][],
  blocks: Record<string, string[]>,
  modes: Record<string, OuterMode>,
  paths: [string, string][],
  stopCriterion: number,
  maxIterations: number,
): SeminrResult {
  const lvs = Object.keys(blocks);
  const items = lvs.flatMap((lv) => blocks[lv]!);
  const X = scaleColumns(new Matrix(rows.map((row) => items.map((item) => row[columns.indexOf(item)]!))));
  const n = X.rows;
  const membership = (lv: string) => items.map((item) => (blocks[lv]!.includes(item) ? 1 : 0));
  let W = new Matrix(lvs.map((lv) => membership(lv))).transpose(); // items x lvs, all ones

  const standardiseWeights = (weights: Matrix): Matrix => {
    const scores = X.mmul(weights);
    const result = weights.clone();
    for (let j = 0; j < lvs.length; j++) {
      const column = scores.getColumn(j);
      const mean = column.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
      result.setColumn(j, weights.getColumn(j).map((value) => value / sd));
    }
    return result;
  };
  const pathIndex = paths.map(([from, to]) => [lvs.indexOf(from), lvs.indexOf(to)] as const);

  let iterations = 0;
  let difference = Number.POSITIVE_INFINITY;
  W = standardiseWeights(W);
  while (difference > stopCriterion && iterations < maxIterations) {
    const Y = scaleColumns(X.mmul(W));
    const C = correlation(Y);
    const E = new Matrix(lvs.length, lvs.length);
    for (let k = 0; k < lvs.length; k++) {
      const predecessors = pathIndex.filter(([, to]) => to === k).map(([from]) => from);
      if (predecessors.length > 0) {
        const beta = solve(C.selection(predecessors, predecessors), C.selection(predecessors, [k]));
        predecessors.forEach((j, i) => E.set(j, k, beta.get(i, 0)));
      }
      for (const [, to] of pathIndex.filter(([from]) => from === k)) E.set(to, k, C.get(k, to));
    }
    const Z = scaleColumns(Y.mmul(E));
    const next = new Matrix(items.length, lvs.length);
    lvs.forEach((lv, k) => {
      const positions = blocks[lv]!.map((item) => items.indexOf(item));
      const Xb = X.subMatrixColumn(positions);
      const z = Z.subMatrixColumn([k]);
      const covariance = Xb.transpose().mmul(z).div(n - 1);
      const weights = modes[lv] === 'B' ? solve(correlation(Xb), covariance) : covariance;
      positions.forEach((position, i) => next.set(position, k, weights.get(i, 0)));
    });
    const standardised = standardiseWeights(next);
    difference = Matrix.sub(standardised, W).abs().sum();
    W = standardised;
    iterations++;
  }
  const scores = X.mmul(W);
  const C = correlation(scores);
  const loadings = correlation(X, scores);
  const result: SeminrResult = { weights: {}, loadings: {}, paths: {}, r2: {}, iterations };
  items.forEach((item, i) => {
    const k = lvs.findIndex((lv) => blocks[lv]!.includes(item));
    result.weights[item] = W.get(i, k);
    result.loadings[item] = loadings.get(i, k);
  });
  lvs.forEach((lv, k) => {
    const predecessors = pathIndex.filter(([, to]) => to === k).map(([from]) => from);
    if (predecessors.length === 0) return;
    const beta = solve(C.selection(predecessors, predecessors), C.selection(predecessors, [k]));
    predecessors.forEach((j, i) => (result.paths[`${lvs[j]}->${lv}`] = beta.get(i, 0)));
    result.r2[lv] = predecessors.reduce((total, j, i) => total + beta.get(i, 0) * C.get(j, k), 0);
  });
  return result;
}

const TOLERANCE = 1e-9;

function compare(
  name: string,
  columns: string[],
  rows: number[][],
  blocks: Record<string, string[]>,
  modes: Record<string, OuterMode>,
  paths: [string, string][],
): void {
  it(`agrees with the seminr algorithm on ${name}`, () => {
    const seminr = seminrPls(columns, rows, blocks, modes, paths, 1e-13, 2000);
    expect(seminr.iterations).toBeLessThan(2000);
    const engine = estimatePls({ blocks, modes, paths, scheme: 'path', scaled: true, tol: 1e-24, maxIter: 2000, columns, rows });
    let largest = 0;
    const check = (actual: number | undefined, expected: number, label: string) => {
      const deviation = Math.abs((actual ?? Number.NaN) - expected);
      largest = Math.max(largest, deviation);
      expect(deviation, label).toBeLessThan(TOLERANCE);
    };
    for (const [item, value] of Object.entries(seminr.weights)) check(engine.weights[item], value, `weight ${item}`);
    for (const [item, value] of Object.entries(seminr.loadings)) check(engine.loadings[item], value, `loading ${item}`);
    for (const [path, value] of Object.entries(seminr.paths)) check(engine.paths[path], value, `path ${path}`);
    for (const [lv, value] of Object.entries(seminr.r2)) check(engine.r2[lv], value, `r2 ${lv}`);
    expect(Object.keys(seminr.paths).sort()).toEqual(Object.keys(engine.paths).sort());
    console.log(`seminr comparison on ${name}: largest deviation ${largest.toExponential(3)}`);
  });
}

describe('seminr fixed point (path scheme, standardised data)', () => {
  const satisfaction = satisfactionData();
  compare(
    'the satisfaction data',
    satisfaction.columns,
    satisfaction.rows,
    satisfactionModel.blocks as Record<string, string[]>,
    {},
    satisfactionModel.paths as [string, string][],
  );

  const continuous = syntheticSurvey({
    seed: 101,
    rows: 300,
    blockSizes: { IMAGE: 4, QUALITY: 5, VALUE: 3, SATISFACTION: 4 },
    paths: [
      ['IMAGE', 'QUALITY', 0.5],
      ['QUALITY', 'VALUE', 0.6],
      ['IMAGE', 'SATISFACTION', 0.3],
      ['QUALITY', 'SATISFACTION', 0.3],
      ['VALUE', 'SATISFACTION', 0.3],
    ],
  });
  compare(
    'synthetic continuous data with a mode B block',
    continuous.columns,
    continuous.rows,
    continuous.blocks,
    { VALUE: 'B' },
    [
      ['IMAGE', 'QUALITY'],
      ['QUALITY', 'VALUE'],
      ['IMAGE', 'SATISFACTION'],
      ['QUALITY', 'SATISFACTION'],
      ['VALUE', 'SATISFACTION'],
    ],
  );

  const likert = syntheticSurvey({
    seed: 202,
    rows: 500,
    likertPoints: 7,
    blockSizes: { EXPECT: 3, QUAL: 4, PRICE: 3, SAT: 3, LOYAL: 2 },
    paths: [
      ['EXPECT', 'QUAL', 0.4],
      ['QUAL', 'SAT', 0.5],
      ['PRICE', 'SAT', 0.3],
      ['EXPECT', 'SAT', 0.1],
      ['SAT', 'LOYAL', 0.6],
    ],
  });
  compare(
    'synthetic 7-point Likert data',
    likert.columns,
    likert.rows,
    likert.blocks,
    { PRICE: 'B' },
    [
      ['EXPECT', 'QUAL'],
      ['QUAL', 'SAT'],
      ['PRICE', 'SAT'],
      ['EXPECT', 'SAT'],
      ['SAT', 'LOYAL'],
    ],
  );
});
