/**
 * The engine's entry point: estimate a PLS path model from data rows or from sufficient statistics,
 * and report every figure by name (items, latent variables, "FROM->TO" paths).
 */
import { bootstrapPls, type PlsBootstrap } from './bootstrap';
import { PlsInputError } from './errors';
import { fitPls, type PlsFit } from './fit';
import { htmtRatios } from './htmt';
import type { Coefficient } from './inner-model';
import { pathKey, resolveModel, resolveOptions, type PlsModel, type PlsOptions, type ResolvedOptions } from './model';
import { unidimensionality, type Unidimensionality } from './quality';
import { fitIndexes, type PlsIndexValue, type ScaleBounds } from './satisfaction-index';
import { SufficientStatistics } from './statistics';

/** A data row: values in the order of `columns`; null, undefined or NaN is a missing answer. */
export type PlsRow = ArrayLike<number | null | undefined>;

export type PlsData =
  | { statistics: SufficientStatistics; rows?: undefined; columns?: undefined }
  | { rows: readonly PlsRow[]; columns: readonly string[]; statistics?: undefined };

export type EstimatePlsInput = PlsModel &
  PlsOptions &
  PlsData & {
    /** Scale ends of the items; the 0-100 index is reported only when given. */
    bounds?: ScaleBounds;
    /** Resampling needs the rows; it is an error with statistics. */
    bootstrap?: { resamples: number; seed?: number };
  };

export interface EffectTriple {
  direct: number;
  indirect: number;
  total: number;
}

export interface LatentSummary {
  type: 'Exogenous' | 'Endogenous';
  r2: number;
  blockCommunality: number;
  meanRedundancy: number;
  ave: number;
}

export interface PlsResult {
  converged: true;
  iterations: number;
  /** Complete rows the estimate rests on. */
  n: number;
  /** Rows left out because an item of the model was missing (listwise deletion). */
  incompleteRows: number;
  options: ResolvedOptions;
  latentVariables: string[];
  items: string[];
  paths: Record<string, number>;
  /** R2 of the endogenous latent variables. */
  r2: Record<string, number>;
  weights: Record<string, number>;
  /** Weights on the raw item scale, oriented with the latent variable (what the index uses). */
  unstandardizedWeights: Record<string, number>;
  loadings: Record<string, number>;
  communality: Record<string, number>;
  redundancy: Record<string, number>;
  crossloadings: Record<string, Record<string, number>>;
  ave: Record<string, number>;
  innerSummary: Record<string, LatentSummary>;
  gof: number;
  /** Every ordered pair of latent variables in causal order, "FROM->TO". */
  effects: Record<string, EffectTriple>;
  /** Per endogenous latent variable: Intercept and one coefficient per predecessor. */
  inner: Record<string, Record<string, Coefficient>>;
  unidim: Record<string, Unidimensionality>;
  /** "A|B" for every pair of latent variables in block order; null when undefined. */
  htmt: Record<string, number | null>;
  /** Only when bounds were given. */
  index?: Record<string, PlsIndexValue>;
  bootstrap?: PlsBootstrap;
  /** Only with rows: one entry per input row, null for a row left out as incomplete. */
  scores?: (Record<string, number> | null)[];
}

export function estimatePls(input: EstimatePlsInput): PlsResult {
  const model = resolveModel(input);
  const options = resolveOptions(input);

  let statistics: SufficientStatistics;
  let completeRows: Float64Array | undefined;
  let rowIsComplete: boolean[] | undefined;
  if (input.statistics) {
    if (input.bootstrap) throw new PlsInputError('the bootstrap needs the data rows, not statistics');
    statistics = input.statistics;
  } else {
    const positions = model.items.map((item, i) => {
      const position = input.columns.indexOf(item);
      if (position < 0) {
        throw new PlsInputError(`column ${item} (block ${model.latentVariables[model.blockOfItem[i]!]}) is not in the data`);
      }
      return position;
    });
    statistics = new SufficientStatistics(model.items);
    const p = model.items.length;
    const buffer = new Float64Array(input.rows.length * p);
    // a typed scratch row (missing -> NaN) keeps the accumulator's hot loop monomorphic
    const values = new Float64Array(p);
    let complete = 0;
    const completeness = new Array<boolean>(input.rows.length);
    input.rows.forEach((row, r) => {
      for (let i = 0; i < p; i++) values[i] = row[positions[i]!] ?? Number.NaN;
      const added = statistics.add(values);
      if (added) buffer.set(values, complete++ * p);
      completeness[r] = added;
    });
    rowIsComplete = completeness;
    completeRows = buffer.subarray(0, complete * p);
  }

  const fit = fitPls(statistics.moments(model.items), model, options);
  const result = describeFit(fit, statistics.incomplete, input.bounds);
  if (input.bootstrap && completeRows) {
    result.bootstrap = bootstrapPls({
      rows: completeRows,
      fit,
      resamples: input.bootstrap.resamples,
      seed: input.bootstrap.seed ?? 1,
      bounds: input.bounds,
    });
  }
  if (completeRows && rowIsComplete) result.scores = latentScores(fit, completeRows, rowIsComplete);
  return result;
}

/** Scores of the complete rows (mean 0, population variance 1), null for the others. */
function latentScores(fit: PlsFit, completeRows: Float64Array, rowIsComplete: boolean[]): (Record<string, number> | null)[] {
  const { model, unstandardizedWeights, means } = fit;
  const p = model.items.length;
  let next = 0;
  return rowIsComplete.map((complete) => {
    if (!complete) return null;
    const offset = next++ * p;
    const scores: Record<string, number> = {};
    model.blockItems.forEach((items, lv) => {
      let score = 0;
      for (const i of items) score += unstandardizedWeights[i]! * (completeRows[offset + i]! - means[i]!);
      scores[model.latentVariables[lv]!] = score;
    });
    return scores;
  });
}

function describeFit(fit: PlsFit, incompleteRows: number, bounds: ScaleBounds | undefined): PlsResult {
  const { model, inner, quality, effects } = fit;
  const names = model.latentVariables;
  const items = model.items;
  const byItem = (values: ArrayLike<number>) => Object.fromEntries(items.map((item, i) => [item, values[i]!]));
  const byLv = <T>(values: (lv: number) => T) => Object.fromEntries(names.map((name, lv) => [name, values(lv)]));

  const effectPairs: [string, EffectTriple][] = [];
  model.topologicalOrder.forEach((from, position) => {
    for (const to of model.topologicalOrder.slice(position + 1)) {
      effectPairs.push([
        pathKey(names[from]!, names[to]!),
        { direct: effects.direct.get(from, to), indirect: effects.indirect.get(from, to), total: effects.total.get(from, to) },
      ]);
    }
  });

  const result: PlsResult = {
    converged: true,
    iterations: fit.iterations,
    n: fit.n,
    incompleteRows,
    options: fit.options,
    latentVariables: [...names],
    items: [...items],
    paths: Object.fromEntries(
      model.paths.map(({ from, to }) => [pathKey(names[from]!, names[to]!), inner.pathCoefficients.get(from, to)]),
    ),
    r2: Object.fromEntries(model.endogenous.map((lv) => [names[lv]!, inner.r2[lv]!])),
    weights: byItem(fit.weights),
    unstandardizedWeights: byItem(fit.unstandardizedWeights),
    loadings: byItem(quality.loadings),
    communality: byItem(quality.communality),
    redundancy: byItem(quality.redundancy),
    crossloadings: Object.fromEntries(
      items.map((item, i) => [item, byLv((lv) => quality.crossloadings.get(i, lv))]),
    ),
    ave: byLv((lv) => quality.ave[lv]!),
    innerSummary: byLv(
      (lv): LatentSummary => ({
        type: model.predecessors[lv]!.length > 0 ? 'Endogenous' : 'Exogenous',
        r2: inner.r2[lv]!,
        blockCommunality: quality.blockCommunality[lv]!,
        meanRedundancy: quality.meanRedundancy[lv]!,
        ave: quality.ave[lv]!,
      }),
    ),
    gof: quality.gof,
    effects: Object.fromEntries(effectPairs),
    inner: Object.fromEntries(
      inner.regressions.map((regression) => [
        names[regression.dependent]!,
        {
          Intercept: regression.intercept,
          ...Object.fromEntries(regression.predictors.map((lv, k) => [names[lv]!, regression.slopes[k]!])),
        },
      ]),
    ),
    unidim: (() => {
      const figures = unidimensionality(fit.itemCorrelation, model);
      return byLv((lv) => figures[lv]!);
    })(),
    htmt: Object.fromEntries(
      htmtRatios(fit.itemCorrelation, model).map(({ first, second, value }) => [`${names[first]}|${names[second]}`, value]),
    ),
  };
  if (bounds) {
    const indexes = fitIndexes(fit, bounds);
    result.index = byLv((lv) => indexes[lv]!);
  }
  return result;
}
