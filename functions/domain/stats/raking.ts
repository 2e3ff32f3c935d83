/**
 * Respondent weighting by raking (iterative proportional fitting) to known population margins,
 * e.g. customers per unit and per customer grade: each pass scales the weights of every category
 * of one dimension so that its weighted share matches the population's, until all margins hold.
 */
import { sum } from 'simple-statistics';
import { StatisticsInputError } from './data';

export interface RakingDimension {
  /** e.g. "unit" or "grade". */
  name: string;
  /** Each respondent's category on this dimension, in respondent order. */
  categories: readonly string[];
  /** Population size (or share) of every category; read as shares of the dimension's total. */
  targets: Readonly<Record<string, number>>;
}

export interface RakingOptions {
  /** Full passes over all dimensions before giving up (default 100). */
  maxIterations?: number;
  /** Converged when no weighted share differs from its target share by more than this (default 1e-6). */
  tolerance?: number;
  /** Starting weights (e.g. design weights); default 1 each. */
  baseWeights?: readonly number[];
}

export interface RakingResult {
  /** One weight per respondent, scaled to mean 1 (they sum to the unweighted n), so the weighted
   *  n of a subgroup (sum of its weights) reads against its count. */
  weights: number[];
  unweightedN: number;
  /** Sum of the weights (equals unweightedN; a subgroup's weighted n is the sum of its weights). */
  weightedN: number;
  /** Kish's effective sample size (sum w)^2 / sum w^2: what the weighting costs in precision. */
  effectiveN: number;
  iterations: number;
  converged: boolean;
  /** Largest |weighted share - target share| over all categories at the end. */
  maxShareError: number;
  warnings: string[];
}

/** Kish's effective sample size of weighted data. */
export function kishEffectiveSampleSize(weights: readonly number[]): number {
  const total = sum(weights);
  const squares = sum(weights.map((w) => w * w));
  return squares === 0 ? 0 : (total * total) / squares;
}

/** Weighted mean sum(w x) / sum(w). */
export function weightedMean(values: readonly number[], weights: readonly number[]): number {
  if (values.length !== weights.length) throw new StatisticsInputError(`${values.length} values but ${weights.length} weights`);
  const total = sum(weights);
  if (!(total > 0)) throw new StatisticsInputError('the weights sum to 0');
  return sum(values.map((value, i) => value * weights[i]!)) / total;
}

interface PreparedDimension {
  name: string;
  categories: readonly string[];
  shares: Map<string, number>;
}

function prepare(dimension: RakingDimension, n: number): PreparedDimension {
  const { name, categories, targets } = dimension;
  if (categories.length !== n) {
    throw new StatisticsInputError(`dimension "${name}" has ${categories.length} categories for ${n} respondents`);
  }
  const entries = Object.entries(targets);
  for (const [category, target] of entries) {
    if (!(target >= 0) || !Number.isFinite(target)) {
      throw new StatisticsInputError(`dimension "${name}", category "${category}": target ${target} is not a non-negative number`);
    }
  }
  const total = sum(entries.map(([, target]) => target));
  if (!(total > 0)) throw new StatisticsInputError(`dimension "${name}": the targets sum to 0`);
  const present = new Set(categories);
  categories.forEach((category, i) => {
    const target = targets[category];
    if (target === undefined) {
      throw new StatisticsInputError(`dimension "${name}": respondent ${i + 1} is in category "${category}", which has no target`);
    }
    if (target === 0) {
      throw new StatisticsInputError(`dimension "${name}": category "${category}" has respondents but a target of 0`);
    }
  });
  for (const [category, target] of entries) {
    if (target > 0 && !present.has(category)) {
      throw new StatisticsInputError(
        `dimension "${name}": category "${category}" has a target but no respondents, so no weight can represent it`,
      );
    }
  }
  return { name, categories, shares: new Map(entries.map(([category, target]) => [category, target / total])) };
}

function weightedShares(dimension: PreparedDimension, weights: readonly number[]): Map<string, number> {
  const totals = new Map<string, number>();
  dimension.categories.forEach((category, i) => totals.set(category, (totals.get(category) ?? 0) + weights[i]!));
  const all = sum(weights);
  return new Map([...totals].map(([category, total]) => [category, total / all]));
}

function maxShareError(dimensions: readonly PreparedDimension[], weights: readonly number[]): number {
  let largest = 0;
  for (const dimension of dimensions) {
    const current = weightedShares(dimension, weights);
    for (const [category, share] of dimension.shares) {
      largest = Math.max(largest, Math.abs((current.get(category) ?? 0) - share));
    }
  }
  return largest;
}

/** Rakes the respondents to the margins. Categories with respondents but no target, or targets
 *  without respondents, are errors; not converging within maxIterations is a warning. */
export function rake(dimensions: readonly RakingDimension[], options: RakingOptions = {}): RakingResult {
  const { maxIterations = 100, tolerance = 1e-6 } = options;
  if (dimensions.length === 0) throw new StatisticsInputError('raking needs at least one dimension');
  const n = options.baseWeights?.length ?? dimensions[0]!.categories.length;
  if (n === 0) throw new StatisticsInputError('raking needs at least one respondent');
  const prepared = dimensions.map((dimension) => prepare(dimension, n));
  let weights = options.baseWeights ? [...options.baseWeights] : new Array<number>(n).fill(1);
  weights.forEach((w, i) => {
    if (!(w > 0) || !Number.isFinite(w)) throw new StatisticsInputError(`base weight of respondent ${i + 1} is ${w}, not positive`);
  });

  let iterations = 0;
  let error = maxShareError(prepared, weights);
  while (error > tolerance && iterations < maxIterations) {
    for (const dimension of prepared) {
      const current = weightedShares(dimension, weights);
      weights = weights.map((w, i) => {
        const category = dimension.categories[i]!;
        return (w * dimension.shares.get(category)!) / current.get(category)!;
      });
    }
    iterations++;
    error = maxShareError(prepared, weights);
  }
  const scale = n / sum(weights);
  weights = weights.map((w) => w * scale);
  const converged = error <= tolerance;
  const warnings = converged
    ? []
    : [`raking did not converge in ${maxIterations} iterations: a weighted share is still ${error.toExponential(2)} off its target`];
  return {
    weights,
    unweightedN: n,
    weightedN: sum(weights),
    effectiveN: kishEffectiveSampleSize(weights),
    iterations,
    converged,
    maxShareError: error,
    warnings,
  };
}
