/**
 * Key drivers of the target and the weights of `weighting: derived` (run before the tree's scores,
 * which use those weights), and the importance-performance analysis of the key drivers (run after
 * the scores: importance = rescaled relative weight, performance = the reported score).
 */
import type { TreeScores } from '../../domain/scoring';
import { StatisticsInputError } from '../../domain/stats/data';
import { importancePerformance, relativeWeightsFromCorrelations, type IpaQuadrant } from '../../domain/stats/drivers';
import { addItemRow, copyMomentsRecord, emptyItemMoments, itemCovariance, mergeMomentsRecord, type ItemMoments, type MomentsRecord } from '../../domain/stats/moments';
import type { AnalysisContext, EarlierResults, ResponseAnalysis } from './analysis';
import type { WeightOverride } from './scores';
import { respondentValues, scoreFactor, statisticsPlan, TARGET_COLUMN, type DriverModel, type Plan } from './statistics-plan';

export type DriverStatus = 'ok' | 'withheld' | 'invalid';

export interface DriverResult {
  status: DriverStatus;
  reason?: string;
  target: string | null;
  predictors: string[];
  /** Complete responses used (every predictor and the target answered). */
  n: number;
  r2?: number;
  correlations?: Record<string, number>;
  beta?: Record<string, number>;
  relativeWeights?: Record<string, number>;
  /** Relative weights / R2 (sum 1): the importance, and the weights of `weighting: derived`. */
  rescaled?: Record<string, number>;
  /** Mean 0-100 score of each predictor and of the target over the complete responses. */
  means?: Record<string, number>;
}

export interface DerivedWeights extends DriverResult {
  /** The weights handed to the scores, and where they come from (this unit, or its root when too few here). */
  weights?: Record<string, number>;
  source?: 'unit' | 'root';
}

export interface DriversReport {
  target: string | null;
  key: DriverResult;
  derived: Record<string, DerivedWeights>;
  weightOverride?: WeightOverride;
}

export type DriversAccumulator = MomentsRecord;

/** Fewer complete responses than predictors + this withholds the analysis. */
export const DRIVERS_EXTRA_N = 10;

export const driversAnalysis: ResponseAnalysis<DriversAccumulator, DriversReport, 'drivers'> = {
  id: 'drivers',
  withheldWhenSmall: true,
  applies: () => true,
  empty: (q) => {
    const acc: DriversAccumulator = {};
    for (const model of statisticsPlan(q).models) {
      if (!model.problem && model.target) acc[model.id] = emptyItemMoments([...model.predictors.map((p) => p.column), TARGET_COLUMN]);
    }
    return acc;
  },
  add: (q, acc, response) => {
    const plan = statisticsPlan(q);
    const targets = plan.models.flatMap((m) => (m.target?.column.startsWith('q:') ? [m.target.id] : []));
    const values = respondentValues(plan, response.answers, targets);
    for (const model of plan.models) {
      const stats = acc[model.id];
      if (!stats || !model.target) continue;
      addItemRow(stats, [...model.predictors.map((p) => values.get(p.column) ?? null), values.get(model.target.column) ?? null]);
    }
  },
  merge: mergeMomentsRecord,
  serialize: (acc) => acc,
  deserialize: (_q, json) => copyMomentsRecord(json),
  result: (acc, context) => driversResult(statisticsPlan(context.questionnaire), acc, context),
  sharedWithUnits: (result) => Object.fromEntries(Object.entries(result.derived).map(([id, d]) => [id, d.status === 'ok' ? (d.weights ?? null) : null])),
  borrowsFromRoot: (result) => Object.values(result.derived).some((d) => d.source === 'root'),
};

function driverResult(plan: Plan, model: DriverModel, stats: ItemMoments | undefined): DriverResult {
  const predictors = model.predictors.map((p) => p.id);
  const base = { target: model.target?.id ?? null, predictors, n: stats?.n ?? 0 };
  if (model.problem || !model.target || !stats) return { status: 'invalid', reason: model.problem ?? 'no target', ...base };
  const needed = predictors.length + DRIVERS_EXTRA_N;
  if (stats.n < needed) {
    return { status: 'withheld', reason: `withheld: fewer than ${needed} responses answer every predictor and the target (${predictors.length} predictors + ${DRIVERS_EXTRA_N})`, ...base };
  }
  const columns = stats.items;
  const moments = itemCovariance(stats);
  const k = predictors.length;
  const variance = columns.map((_, i) => moments.cov[i]![i]!);
  const constant = columns.findIndex((_, i) => !(variance[i]! > 0));
  if (constant >= 0) {
    const name = constant === k ? model.target.id : predictors[constant];
    return { status: 'invalid', reason: `"${name}" does not vary over the complete responses: it has no correlation with anything`, ...base };
  }
  const corr = (i: number, j: number) => (i === j ? 1 : moments.cov[i]![j]! / Math.sqrt(variance[i]! * variance[j]!));
  const rxx = predictors.map((_, i) => predictors.map((__, j) => corr(i, j)));
  const rxy = predictors.map((_, i) => corr(i, k));
  let fit;
  try {
    fit = relativeWeightsFromCorrelations(rxx, rxy, predictors);
  } catch (error) {
    if (error instanceof StatisticsInputError) return { status: 'invalid', reason: error.message, ...base };
    throw error;
  }
  if (!(fit.r2 > 0)) return { status: 'invalid', reason: 'no predictor explains any of the target (R2 = 0)', ...base };
  const byName = (values: readonly number[]) => Object.fromEntries(predictors.map((name, j) => [name, values[j]!]));
  const means = Object.fromEntries([
    ...model.predictors.map((p, j) => [p.id, moments.means[j]! * scoreFactor(plan, p.column)] as const),
    [model.target.id, moments.means[k]! * scoreFactor(plan, model.target.column)] as const,
  ]);
  return {
    status: 'ok',
    ...base,
    r2: fit.r2,
    correlations: byName(rxy),
    beta: byName(fit.beta),
    relativeWeights: byName(fit.relativeWeights),
    rescaled: byName(fit.relativeWeights.map((w) => w / fit.r2)),
    means,
  };
}

function driversResult(plan: Plan, acc: DriversAccumulator, context: AnalysisContext<EarlierResults, DriversReport>): DriversReport {
  const root = context.rootResult;
  const key = driverResult(plan, plan.models.find((m) => m.id === 'key')!, acc.key);
  const derived: Record<string, DerivedWeights> = {};
  const weights: Record<string, Record<string, number>> = {};
  for (const model of plan.models) {
    if (model.node === null) continue;
    const result: DerivedWeights = driverResult(plan, model, acc[model.id]);
    if (result.status === 'ok' && result.rescaled) {
      result.weights = result.rescaled;
      result.source = 'unit';
    } else {
      // Too few responses here: the whole organisation's derived weights (as PLS does for small units).
      const fromRoot = root?.derived[model.id];
      if (fromRoot?.status === 'ok' && fromRoot.weights) {
        result.weights = fromRoot.weights;
        result.source = 'root';
      }
    }
    if (result.weights) weights[model.id] = result.weights;
    derived[model.id] = result;
  }
  const report: DriversReport = { target: plan.defaultTarget, key, derived };
  const fromRoot = Object.entries(derived).filter(([, d]) => d.source === 'root').map(([id]) => `"${id}"`);
  if (Object.keys(weights).length > 0) {
    report.weightOverride = { weights };
    if (fromRoot.length > 0) report.weightOverride.note = `derived weights of ${fromRoot.join(', ')} come from the whole organisation: too few responses here`;
  }
  return report;
}

/** The importance-performance grid of the key drivers: importance = rescaled relative weight, performance = the reported score. */
export interface IpaReport {
  status: DriverStatus;
  reason?: string;
  target: string | null;
  importanceMean?: number;
  performanceMean?: number;
  items?: { id: string; importance: number; performance: number; quadrant: IpaQuadrant }[];
}

type Nothing = Record<string, never>;

export const ipaAnalysis: ResponseAnalysis<Nothing, IpaReport, 'ipa', { drivers?: DriversReport; scores?: TreeScores }> = {
  id: 'ipa',
  withheldWhenSmall: true,
  applies: () => true,
  empty: () => ({}),
  add: () => undefined,
  merge: () => ({}),
  serialize: () => ({}),
  deserialize: () => ({}),
  result: (_acc, context) => {
    const { drivers, scores } = context.earlier;
    const key = drivers?.key;
    if (!key || key.status !== 'ok' || !key.rescaled || !scores) {
      return { status: key?.status ?? 'invalid', reason: key?.reason ?? 'no key-driver analysis', target: key?.target ?? null };
    }
    const indicatorScore = new Map(scores.elements.flatMap((e) => e.indicators.map((i) => [i.id, i.score] as const)));
    const items = key.predictors.flatMap((id) => {
      const performance = indicatorScore.get(id);
      return performance === null || performance === undefined ? [] : [{ id, importance: key.rescaled![id]!, performance }];
    });
    if (items.length === 0) return { status: 'invalid', reason: 'no indicator has a score', target: key.target };
    return { status: 'ok', target: key.target, ...importancePerformance(items) };
  },
};
