/**
 * The 0-100 index of a latent variable (the ACSI/ECSI customer satisfaction index): the weighted
 * mean of its items, with the normalised unstandardised outer weights, placed between the
 * questionnaire's scale ends. It is the mean latent score rescaled so that "every item at its
 * minimum" is 0 and "every item at its maximum" is 100.
 */
import { PlsInputError } from './errors';
import type { PlsFit } from './fit';

export interface ItemBounds {
  min: number;
  max: number;
}

/** The scale ends of the questionnaire (not the observed extremes): one pair for every item, and
 *  optionally per-item exceptions. */
export interface ScaleBounds {
  min?: number;
  max?: number;
  items?: Readonly<Record<string, ItemBounds>>;
}

export type PlsIndexValue = { defined: true; value: number } | { defined: false; reason: string };

export interface PlsIndexInput {
  items: readonly string[];
  /** Unstandardised weights, i.e. the weights that apply to the raw (centred) items, with the sign
   *  of the latent variable's orientation. */
  weights: ArrayLike<number>;
  /** The items' means on their raw scale. */
  means: ArrayLike<number>;
  bounds: ScaleBounds;
}

export function boundsOf(item: string, bounds: ScaleBounds): ItemBounds {
  const own = bounds.items?.[item];
  const min = own?.min ?? bounds.min;
  const max = own?.max ?? bounds.max;
  if (min === undefined || max === undefined) throw new PlsInputError(`no scale bounds for item ${item}`);
  if (!(Number.isFinite(min) && Number.isFinite(max) && max > min)) {
    throw new PlsInputError(`the scale bounds of item ${item} must satisfy min < max (got ${min}..${max})`);
  }
  return { min, max };
}

export function plsIndex({ items, weights, means, bounds }: PlsIndexInput): PlsIndexValue {
  const nonPositive = items.filter((_, i) => !(weights[i]! > 0));
  if (nonPositive.length > 0) {
    const list = nonPositive.map((item) => `${item} (${weights[items.indexOf(item)]!.toPrecision(4)})`).join(', ');
    return {
      defined: false,
      reason: `the index needs every weight positive; non-positive: ${list}`,
    };
  }
  const total = items.reduce((sum, _, i) => sum + weights[i]!, 0);
  let weightedMean = 0;
  let weightedMin = 0;
  let weightedRange = 0;
  items.forEach((item, i) => {
    const share = weights[i]! / total;
    const { min, max } = boundsOf(item, bounds);
    weightedMean += share * means[i]!;
    weightedMin += share * min;
    weightedRange += share * (max - min);
  });
  return { defined: true, value: (100 * (weightedMean - weightedMin)) / weightedRange };
}

/** The index of every latent variable of a fit, from its oriented unstandardised weights. */
export function fitIndexes(fit: PlsFit, bounds: ScaleBounds): PlsIndexValue[] {
  return fit.model.blockItems.map((items) =>
    plsIndex({
      items: items.map((i) => fit.model.items[i]!),
      weights: items.map((i) => fit.unstandardizedWeights[i]!),
      means: items.map((i) => fit.means[i]!),
      bounds,
    }),
  );
}
