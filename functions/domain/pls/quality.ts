/**
 * Measurement-quality figures, as plspm reports them: loadings and cross-loadings, communality,
 * redundancy, the block summaries (communality, redundancy, AVE), the goodness of fit, and the
 * unidimensionality of each block (Cronbach's alpha, Dillon-Goldstein rho, eigenvalues).
 */
import type { Matrix } from 'ml-matrix';
import { subMatrix, symmetricEigen } from './linear-algebra';
import type { ResolvedModel } from './model';

export interface OuterQuality {
  /** cor(item, latent variable score), items x latent variables. */
  crossloadings: Matrix;
  loadings: Float64Array;
  communality: Float64Array;
  redundancy: Float64Array;
  blockCommunality: Float64Array;
  meanRedundancy: Float64Array;
  /** Average variance extracted; 0 for mode B blocks. */
  ave: Float64Array;
  gof: number;
}

export interface Unidimensionality {
  mode: 'A' | 'B';
  items: number;
  /** Cronbach's alpha (negative values reported as 0; 0 for mode B blocks). */
  alpha: number;
  /** Dillon-Goldstein rho (0 for mode B blocks). */
  rho: number;
  /** First and second eigenvalues of the block's correlation matrix. */
  eig1: number;
  eig2: number;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * @param crossloadings cor(item, latent variable score) for every item and latent variable.
 * @param r2 R2 per latent variable (0 for exogenous ones).
 */
export function outerQuality(crossloadings: Matrix, r2: Float64Array, model: ResolvedModel): OuterQuality {
  const p = model.items.length;
  const loadings = Float64Array.from({ length: p }, (_, i) => crossloadings.get(i, model.blockOfItem[i]!));
  const communality = loadings.map((loading) => loading * loading);
  const redundancy = communality.map((value, i) => value * r2[model.blockOfItem[i]!]!);
  const blockCommunality = Float64Array.from(model.blockItems, (items) => mean(items.map((i) => communality[i]!)));
  const meanRedundancy = Float64Array.from(model.blockItems, (items) => mean(items.map((i) => redundancy[i]!)));
  const ave = blockCommunality.map((value, lv) => (model.modes[lv] === 'A' ? value : 0));

  // Single-item blocks have communality 1 by construction, so plspm leaves them out of the GoF.
  let communalitySum = 0;
  let communalityCount = 0;
  for (const items of model.blockItems) {
    if (items.length > 1) {
      for (const i of items) communalitySum += communality[i]!;
      communalityCount += items.length;
    }
  }
  const meanR2 = mean(model.endogenous.map((lv) => r2[lv]!));
  const gof = Math.sqrt((communalitySum / communalityCount) * meanR2);

  return { crossloadings, loadings, communality, redundancy, blockCommunality, meanRedundancy, ave, gof };
}

/** @param itemCorrelation correlation matrix of the model's items (in `model.items` order). */
export function unidimensionality(itemCorrelation: Matrix, model: ResolvedModel): Unidimensionality[] {
  return model.blockItems.map((items, lv) => {
    const mode = model.modes[lv]!;
    const size = items.length;
    if (size === 1) return { mode, items: 1, alpha: 1, rho: 1, eig1: 1, eig2: 0 };
    const correlation = subMatrix(itemCorrelation, items);
    const { values, vectors } = symmetricEigen(correlation);
    const eig1 = values[0]!;
    const eig2 = values[1]!;
    if (mode === 'B') return { mode, items: size, alpha: 0, rho: 0, eig1, eig2 };
    // alpha on standardised items: p/(p-1) * (sum of off-diagonal correlations) / var(sum)
    const totalVariance = correlation.sum();
    const alpha = (size / (size - 1)) * ((totalVariance - size) / totalVariance);
    // rho from the first principal component, whose correlations with the items are sqrt(eig1) v
    const componentLoadings = vectors.getColumn(0).map((v) => Math.sqrt(eig1) * v);
    const numerator = componentLoadings.reduce((a, b) => a + b, 0) ** 2;
    const rho = numerator / (numerator + size - componentLoadings.reduce((a, b) => a + b * b, 0));
    return { mode, items: size, alpha: Math.max(alpha, 0), rho, eig1, eig2 };
  });
}
