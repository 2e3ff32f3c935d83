/**
 * One PLS path-model fit from the items' moments: treatment of the data, outer weights, sign
 * orientation, inner model, effects and outer quality. Index-based; estimate.ts names the results.
 */
import { Matrix } from 'ml-matrix';
import { PlsInputError } from './errors';
import { estimateInnerModel, pathEffects, type Effects, type InnerModel } from './inner-model';
import { correlationOf } from './linear-algebra';
import type { ResolvedModel, ResolvedOptions } from './model';
import { estimateOuterWeights, itemLvCovariance, scoreCovariance } from './outer-weights';
import { outerQuality, type OuterQuality } from './quality';
import type { Moments } from './statistics';

export interface PlsFit {
  model: ResolvedModel;
  options: ResolvedOptions;
  n: number;
  iterations: number;
  /** plspm's outer weights: for the standardised items when scaled, for the centred raw items
   *  otherwise. Not flipped when a latent variable is reoriented. */
  weights: Float64Array;
  /** +1, or -1 for a latent variable negated because most of its items correlated negatively with it. */
  signs: number[];
  /** Weights that give each oriented score from the centred raw items: score = sum u_i (x_i - mean_i). */
  unstandardizedWeights: Float64Array;
  means: Float64Array;
  /** Population standard deviations of the raw items. */
  sds: Float64Array;
  itemCorrelation: Matrix;
  /** Correlations of the (oriented) latent variable scores. */
  lvCorrelation: Matrix;
  inner: InnerModel;
  effects: Effects;
  quality: OuterQuality;
}

/** `moments` must hold exactly `model.items`, in that order. */
export function fitPls(moments: Moments, model: ResolvedModel, options: ResolvedOptions): PlsFit {
  const { n, means, covariance } = moments;
  const p = model.items.length;
  if (n < 2) throw new PlsInputError(`${n} complete row${n === 1 ? '' : 's'}: at least 2 are needed`);
  const sds = Float64Array.from({ length: p }, (_, i) => Math.sqrt(Math.max(covariance.get(i, i), 0)));
  model.items.forEach((item, i) => {
    // relative test: a constant column's computed variance is rounding noise, not exactly 0
    if (!(sds[i]! > 1e-12 * Math.max(1, Math.abs(means[i]!)))) throw new PlsInputError(`item ${item} has no variance (every answer is the same)`);
  });
  const itemCorrelation = correlationOf(covariance);
  const treated = options.scaled ? itemCorrelation : covariance;

  const { weights, iterations } = estimateOuterWeights(treated, n, model, options);

  // Scores X w have unit variance, so cov(item, score) / sd(item) is the correlation.
  const itemByLv = itemLvCovariance(treated, weights, model);
  const treatedSd = Float64Array.from({ length: p }, (_, i) => Math.sqrt(treated.get(i, i)));
  const signs = model.blockItems.map((items, lv) => {
    const agreement = items.reduce((total, i) => total + Math.sign(itemByLv.get(i, lv)), 0);
    return agreement > 0 ? 1 : -1;
  });
  const lvCount = model.latentVariables.length;
  const crossloadings = new Matrix(p, lvCount);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < lvCount; j++) crossloadings.set(i, j, (signs[j]! * itemByLv.get(i, j)) / treatedSd[i]!);
  }
  const scoreCov = scoreCovariance(itemByLv, weights, model);
  const lvCorrelation = new Matrix(lvCount, lvCount);
  for (let j = 0; j < lvCount; j++) {
    for (let k = 0; k < lvCount; k++) {
      const value = j === k ? 1 : (signs[j]! * signs[k]! * scoreCov.get(j, k)) / Math.sqrt(scoreCov.get(j, j) * scoreCov.get(k, k));
      lvCorrelation.set(j, k, value);
    }
  }

  const inner = estimateInnerModel(lvCorrelation, n, model);
  const effects = pathEffects(inner.pathCoefficients);
  const quality = outerQuality(crossloadings, inner.r2, model);
  const unstandardizedWeights = weights.map((w, i) => {
    const sign = signs[model.blockOfItem[i]!]!;
    return options.scaled ? (sign * w) / sds[i]! : sign * w;
  });

  return {
    model,
    options,
    n,
    iterations,
    weights,
    signs,
    unstandardizedWeights,
    means,
    sds,
    itemCorrelation,
    lvCorrelation,
    inner,
    effects,
    quality,
  };
}
