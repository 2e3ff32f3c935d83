/**
 * The PLS iteration for the outer weights (Lohmoller's procedure as plspm implements it), computed
 * from the covariance matrix of the treated items instead of the data rows: every quantity the
 * iteration uses is an inner product of centred columns, i.e. n times a covariance.
 */
import { Matrix } from 'ml-matrix';
import { PlsConvergenceError, PlsInputError } from './errors';
import { choleskyOf, solveWith, subMatrix } from './linear-algebra';
import type { ResolvedModel, ResolvedOptions } from './model';

export interface OuterWeights {
  /** One weight per item (each item belongs to one block); each block's score X_b w_b has
   *  population variance 1. */
  weights: Float64Array;
  /** Iterations performed (plspm's `iter`). */
  iterations: number;
}

/**
 * @param treatedCovariance population covariance of the treated items (their correlation matrix
 *   when scaled, their covariance when only centred), in the order of `model.items`.
 * @param n number of rows the covariance comes from (plspm's iterates carry a (n-1)/n factor).
 */
export function estimateOuterWeights(
  treatedCovariance: Matrix,
  n: number,
  model: ResolvedModel,
  options: ResolvedOptions,
): OuterWeights {
  const lvCount = model.latentVariables.length;
  const blockCovariances = model.blockItems.map((items) => subMatrix(treatedCovariance, items));
  const modeBSolvers = model.blockItems.map((_, lv) => {
    if (model.modes[lv] !== 'B') return undefined;
    const cholesky = choleskyOf(blockCovariances[lv]!);
    if (!cholesky) {
      throw new PlsInputError(`block ${model.latentVariables[lv]} (mode B): its items are linearly dependent`);
    }
    return cholesky;
  });

  // Initial weights: all 1 within a block, scaled so that the block's first score has variance 1.
  let weights = new Float64Array(model.items.length);
  model.blockItems.forEach((items, lv) => {
    const sumVariance = blockCovariances[lv]!.sum();
    if (!(sumVariance > 0)) {
      throw new PlsInputError(`block ${model.latentVariables[lv]}: the sum of its items is constant (items cancel out)`);
    }
    const scale = 1 / Math.sqrt(sumVariance);
    for (const i of items) weights[i] = scale;
  });

  // plspm rescales its scores with scale(Y) * sqrt((n-1)/n), which leaves them with population
  // variance ((n-1)/n)^2 rather than 1. The factor scales every iterate; the final weights are
  // normalised, but the stopping rule compares unnormalised iterates, so it can change the
  // iteration at which plspm stops (and hence its result). Reproduced so that both stop together.
  const iterateScale = (n - 1) / n;
  let change = Number.POSITIVE_INFINITY;
  for (let iteration = 1; iteration <= options.maxIter; iteration++) {
    // cov(X, Y_std): covariances of every item with every standardised outer estimate.
    const itemByLv = itemLvCovariance(treatedCovariance, weights, model);
    const lvCovariance = scoreCovariance(itemByLv, weights, model);
    const sd = Array.from({ length: lvCount }, (_, j) => Math.sqrt(lvCovariance.get(j, j)));
    if (sd.some((s) => !(s > 0))) throw new PlsInputError('an outer estimate has zero variance; the model cannot be estimated');
    const lvCorrelation = new Matrix(lvCount, lvCount);
    for (let j = 0; j < lvCount; j++) {
      for (let k = 0; k < lvCount; k++) lvCorrelation.set(j, k, lvCovariance.get(j, k) / (sd[j]! * sd[k]!));
    }
    const innerWeights = innerWeightMatrix(lvCorrelation, model, options);

    const next = new Float64Array(weights.length);
    model.blockItems.forEach((items, k) => {
      // cov(X_b, Z_k) with Z = iterateScale * Y_std E
      const target = items.map((i) => {
        let total = 0;
        for (let j = 0; j < lvCount; j++) total += (itemByLv.get(i, j) / sd[j]!) * innerWeights.get(j, k);
        return iterateScale * total;
      });
      const solver = modeBSolvers[k];
      const blockWeights = solver ? solveWith(solver, target) : target;
      items.forEach((i, position) => (next[i] = blockWeights[position]!));
    });

    change = 0;
    for (let i = 0; i < weights.length; i++) change += (Math.abs(weights[i]!) - Math.abs(next[i]!)) ** 2;
    weights = next;
    if (change < options.tol) return { weights: normaliseBlocks(weights, blockCovariances, model), iterations: iteration };
  }
  throw new PlsConvergenceError(options.maxIter, change, options.tol);
}

/** (C W)[i][j] = cov(item i, X_j w_j), items x latent variables. */
export function itemLvCovariance(covariance: Matrix, weights: Float64Array, model: ResolvedModel): Matrix {
  const p = model.items.length;
  const result = new Matrix(p, model.latentVariables.length);
  for (let i = 0; i < p; i++) {
    model.blockItems.forEach((items, j) => {
      let total = 0;
      for (const l of items) total += covariance.get(i, l) * weights[l]!;
      result.set(i, j, total);
    });
  }
  return result;
}

/** W' C W, built symmetric. */
export function scoreCovariance(itemByLv: Matrix, weights: Float64Array, model: ResolvedModel): Matrix {
  const lvCount = model.latentVariables.length;
  const result = new Matrix(lvCount, lvCount);
  for (let j = 0; j < lvCount; j++) {
    for (let k = j; k < lvCount; k++) {
      let total = 0;
      for (const i of model.blockItems[j]!) total += weights[i]! * itemByLv.get(i, k);
      result.set(j, k, total);
      result.set(k, j, total);
    }
  }
  return result;
}

/** E[j][k]: the weight of outer estimate j in the inner estimate of latent variable k. */
function innerWeightMatrix(lvCorrelation: Matrix, model: ResolvedModel, options: ResolvedOptions): Matrix {
  const lvCount = model.latentVariables.length;
  const weights = new Matrix(lvCount, lvCount);
  for (let k = 0; k < lvCount; k++) {
    const predecessors = model.predecessors[k]!;
    const successors = model.successors[k]!;
    if (options.scheme === 'path') {
      if (predecessors.length > 0) {
        const solver = choleskyOf(subMatrix(lvCorrelation, predecessors));
        if (!solver) {
          throw new PlsInputError(`the predecessors of ${model.latentVariables[k]} are collinear (path scheme)`);
        }
        const coefficients = solveWith(solver, predecessors.map((j) => lvCorrelation.get(j, k)));
        predecessors.forEach((j, position) => weights.set(j, k, coefficients[position]!));
      }
      for (const j of successors) weights.set(j, k, lvCorrelation.get(k, j));
    } else {
      for (const j of [...predecessors, ...successors]) {
        const correlation = lvCorrelation.get(j, k);
        weights.set(j, k, options.scheme === 'centroid' ? Math.sign(correlation) : correlation);
      }
    }
  }
  return weights;
}

/** Rescales each block's weights so that its score has population variance 1. */
function normaliseBlocks(weights: Float64Array, blockCovariances: Matrix[], model: ResolvedModel): Float64Array {
  const result = new Float64Array(weights.length);
  model.blockItems.forEach((items, lv) => {
    const blockWeights = items.map((i) => weights[i]!);
    const variance = blockCovariances[lv]!.mmul(Matrix.columnVector(blockWeights)).getColumn(0)
      .reduce((total, value, position) => total + value * blockWeights[position]!, 0);
    if (!(variance > 0)) throw new PlsInputError(`the weights of block ${model.latentVariables[lv]} are all zero`);
    const scale = 1 / Math.sqrt(variance);
    items.forEach((i, position) => (result[i] = blockWeights[position]! * scale));
  });
  return result;
}
