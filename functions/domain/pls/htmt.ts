/**
 * Heterotrait-monotrait ratio of correlations (Henseler, Ringle & Sarstedt 2015), as seminr
 * computes it: the mean correlation between the items of two blocks, over the geometric mean of the
 * mean correlation among each block's own items. It needs only the item correlation matrix.
 */
import type { Matrix } from 'ml-matrix';
import type { ResolvedModel } from './model';

export interface HtmtRatio {
  first: number;
  second: number;
  /** null when a block has a single item (no monotrait correlation) or a non-positive one. */
  value: number | null;
}

/** Every pair of latent variables, in block order. */
export function htmtRatios(itemCorrelation: Matrix, model: ResolvedModel): HtmtRatio[] {
  const monotrait = model.blockItems.map((items) => {
    let total = 0;
    let count = 0;
    for (let a = 0; a < items.length; a++) {
      for (let b = a + 1; b < items.length; b++) {
        total += itemCorrelation.get(items[a]!, items[b]!);
        count++;
      }
    }
    return count > 0 ? total / count : Number.NaN;
  });
  const ratios: HtmtRatio[] = [];
  for (let first = 0; first < model.blockItems.length; first++) {
    for (let second = first + 1; second < model.blockItems.length; second++) {
      let heterotrait = 0;
      for (const i of model.blockItems[first]!) {
        for (const j of model.blockItems[second]!) heterotrait += itemCorrelation.get(i, j);
      }
      heterotrait /= model.blockItems[first]!.length * model.blockItems[second]!.length;
      const product = monotrait[first]! * monotrait[second]!;
      ratios.push({ first, second, value: product > 0 ? heterotrait / Math.sqrt(product) : null });
    }
  }
  return ratios;
}
