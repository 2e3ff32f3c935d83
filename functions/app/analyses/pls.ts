/**
 * The PLS path model of a questionnaire's elements (docs/pls.md "In the platform").
 *
 * Manifest variables are the rating questions of the model's elements (reversed questions turned
 * round so every item points the same way); each element is a block. Per unit the accumulator holds
 * - the sufficient statistics of the complete rows (listwise, as the engine requires), which merge
 *   exactly, so the root's model is estimated from its branches' statistics;
 * - every item's mean over all its answers (for the index of units that borrow the root's weights);
 * - a bottom-k sample of complete rows (the k rows with the smallest hash of their invitation id),
 *   which also merges exactly: the bootstrap runs on it, rescaled m-out-of-n when the unit has more
 *   complete rows than the sample holds.
 * The root, and every unit with at least `minN` complete rows, gets its own estimate; smaller units
 * use their root's weights. The weights are handed to the tree (weightOverride), so element scores
 * follow the model, and the CSI is the 0-100 index of the CSI element.
 */
import { estimatePls, plsIndex, SufficientStatistics, type PlsResult, type ScaleBounds } from '../../domain/pls';
import type { Questionnaire } from '../../domain/questionnaire';
import type { ResponseAnalysis } from './analysis';
import type { WeightOverride } from './scores';

/** Rows kept for the bootstrap per unit. */
export const BOOTSTRAP_SAMPLE_SIZE = 1000;
/** Fewer complete rows than this: no estimate (the unit borrows its root's weights). */
const MINIMUM_ROWS = 10;

interface ModelPlan {
  blocks: Record<string, string[]>;
  items: string[];
  paths: [string, string][];
  csi: string;
  minN: number;
  resamples: number;
  scheme: 'centroid' | 'factorial' | 'path';
  bounds: ScaleBounds;
  /** Orients an answer: reversed questions count max + min - value. */
  orient: Map<string, (value: number) => number>;
  /** Question -> indicator, indicator -> element: to hand the weights to the tree. */
  indicatorOf: Map<string, string>;
  elementOfIndicator: Map<string, string>;
}

export interface PlsAccumulator {
  statistics: SufficientStatistics;
  itemTotals: Record<string, { n: number; sum: number }>;
  sample: { key: number; row: number[] }[];
}

export interface PlsUnitResult {
  /** Where the weights come from: this unit's own estimate, or its root's. */
  source: 'unit' | 'root';
  /** Complete rows of this unit (the estimate's n when the source is the unit). */
  n: number;
  incompleteRows: number;
  estimate?: {
    iterations: number;
    scheme: string;
    paths: Record<string, number>;
    r2: Record<string, number>;
    weights: Record<string, number>;
    unstandardizedWeights: Record<string, number>;
    loadings: Record<string, number>;
    ave: Record<string, number>;
    alpha: Record<string, number>;
    rho: Record<string, number>;
    gof: number;
    htmt: Record<string, number | null>;
  };
  /** The 0-100 index of every element of the model (null: undefined, see `undefinedIndex`). */
  index: Record<string, number | null>;
  undefinedIndex?: Record<string, string>;
  bootstrap?: { resamples: number; sampleRows: number; rescaled: boolean; index: Record<string, { se: number | null; lower: number | null; upper: number | null }> };
  error?: string;
  weightOverride?: WeightOverride;
}

const plans = new WeakMap<Questionnaire, ModelPlan>();

function planOf(q: Questionnaire): ModelPlan {
  const cached = plans.get(q);
  if (cached) return cached;
  const model = q.index.model;
  if (!model) throw new Error(`questionnaire ${q.id} has no model`);
  const inModel = new Set(model.paths.flat());
  const blocks: Record<string, string[]> = {};
  const orient = new Map<string, (value: number) => number>();
  const indicatorOf = new Map<string, string>();
  const elementOfIndicator = new Map<string, string>();
  const itemBounds: Record<string, { min: number; max: number }> = {};
  for (const element of q.index.elements) {
    if (!inModel.has(element.id)) continue;
    blocks[element.id] = [];
    for (const indicator of element.indicators) {
      elementOfIndicator.set(indicator.id, element.id);
      for (const questionId of indicator.questions) {
        const question = q.questions.find((x) => x.id === questionId);
        const scale = question?.type === 'rating' ? q.scales[question.scale] : undefined;
        if (!question || question.type !== 'rating' || !scale) continue;
        blocks[element.id]?.push(questionId);
        indicatorOf.set(questionId, indicator.id);
        itemBounds[questionId] = { min: scale.min, max: scale.max };
        orient.set(questionId, question.reverse ? (v) => scale.max + scale.min - v : (v) => v);
      }
    }
  }
  const plan: ModelPlan = {
    blocks,
    items: Object.values(blocks).flat(),
    paths: model.paths.map(([from, to]) => [from, to]),
    csi: model.csi ?? 'satisfaction',
    minN: model.minN,
    resamples: model.bootstrap,
    scheme: model.scheme,
    bounds: { items: itemBounds },
    orient,
    indicatorOf,
    elementOfIndicator,
  };
  plans.set(q, plan);
  return plan;
}

/** FNV-1a of the invitation id: a stable pseudo-random key for the bottom-k sample. */
function sampleKey(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** Rows by key, equal keys (a hash collision) by their values: one order whatever the arrival order. */
function byKeyThenRow(a: PlsAccumulator['sample'][number], b: PlsAccumulator['sample'][number]): number {
  if (a.key !== b.key) return a.key - b.key;
  for (let i = 0; i < a.row.length; i++) if (a.row[i] !== b.row[i]) return (a.row[i] as number) - (b.row[i] as number);
  return 0;
}

/**
 * The k rows with the smallest keys, in key order: the sample the bootstrap resamples. The same
 * responses give the same rows in the same order, whether they arrived in one run or over many
 * checkpointed ones, so an incremental run's bootstrap equals a full run's bit for bit.
 */
const bottomK = (rows: PlsAccumulator['sample']) => [...rows].sort(byKeyThenRow).slice(0, BOOTSTRAP_SAMPLE_SIZE);

function itemMeans(plan: ModelPlan, acc: PlsAccumulator): number[] {
  return plan.items.map((item) => {
    const totals = acc.itemTotals[item];
    return totals && totals.n > 0 ? totals.sum / totals.n : Number.NaN;
  });
}

/** The index of every block from (unstandardised) weights and item means. */
function indexes(plan: ModelPlan, weights: Record<string, number>, means: number[]) {
  const index: Record<string, number | null> = {};
  const reasons: Record<string, string> = {};
  for (const [lv, items] of Object.entries(plan.blocks)) {
    const value = plsIndex({
      items,
      weights: items.map((item) => weights[item] ?? 0),
      means: items.map((item) => means[plan.items.indexOf(item)] ?? Number.NaN),
      bounds: plan.bounds,
    });
    index[lv] = value.defined && Number.isFinite(value.value) ? value.value : null;
    if (!value.defined) reasons[lv] = value.reason;
    else if (!Number.isFinite(value.value)) reasons[lv] = 'no answers to its items';
  }
  return { index, reasons };
}

/** Question and indicator weights that make the tree's element scores follow the model. */
function overrideFor(plan: ModelPlan, weights: Record<string, number>, index: Record<string, number | null>): WeightOverride {
  const override: WeightOverride['weights'] = {};
  for (const [element, items] of Object.entries(plan.blocks)) {
    if (items.some((item) => !((weights[item] ?? 0) > 0))) continue; // undefined index: keep the declared weights
    for (const item of items) {
      const indicator = plan.indicatorOf.get(item) as string;
      (override[indicator] ??= {})[item] = weights[item] as number;
      (override[element] ??= {})[indicator] = (override[element]?.[indicator] ?? 0) + (weights[item] as number);
    }
  }
  const csi = index[plan.csi];
  return {
    weights: override,
    csi: csi ?? null,
    note: csi === null || csi === undefined ? `the CSI is undefined: the model's index of "${plan.csi}" is not defined` : `the CSI is the PLS index of "${plan.csi}"`,
  };
}

function estimateFor(plan: ModelPlan, acc: PlsAccumulator): { result: PlsResult; bootstrap?: PlsUnitResult['bootstrap'] } {
  const model = { blocks: plan.blocks, paths: plan.paths, scheme: plan.scheme, scaled: false, bounds: plan.bounds };
  const result = estimatePls({ ...model, statistics: acc.statistics });
  if (plan.resamples < 2 || acc.sample.length < MINIMUM_ROWS) return { result };
  // The bootstrap runs on the sample; with more complete rows than it holds, its spread is scaled
  // by sqrt(m / n) (m-out-of-n), around the estimate from all rows.
  // The canonical sample (bottomK): the accumulator's own may hold up to twice as many rows, in arrival order.
  const sampled = estimatePls({ ...model, rows: bottomK(acc.sample).map((s) => s.row), columns: plan.items, bootstrap: { resamples: plan.resamples, seed: 1 } });
  const m = sampled.n;
  const scale = Math.sqrt(m / Math.max(m, result.n));
  const index: NonNullable<PlsUnitResult['bootstrap']>['index'] = {};
  for (const lv of Object.keys(plan.blocks)) {
    const summary = sampled.bootstrap?.index?.[lv];
    const centre = result.index?.[lv];
    const original = centre?.defined ? centre.value : null;
    const sampleOriginal = summary?.original ?? null;
    if (!summary || original === null || sampleOriginal === null || summary.se === null || summary.perc025 === null || summary.perc975 === null) {
      index[lv] = { se: null, lower: null, upper: null };
      continue;
    }
    index[lv] = {
      se: summary.se * scale,
      lower: original - (sampleOriginal - summary.perc025) * scale,
      upper: original + (summary.perc975 - sampleOriginal) * scale,
    };
  }
  return { result, bootstrap: { resamples: plan.resamples, sampleRows: m, rescaled: scale < 1, index } };
}

export const plsAnalysis: ResponseAnalysis<PlsAccumulator, PlsUnitResult, 'model'> = {
  id: 'model',
  withheldWhenSmall: true,
  applies: (q) => q.index.model !== undefined,
  empty: (q) => ({ statistics: new SufficientStatistics(planOf(q).items), itemTotals: {}, sample: [] }),
  add: (q, acc, response) => {
    const plan = planOf(q);
    const row = plan.items.map((item) => {
      const answer = response.answers[item];
      return typeof answer === 'number' ? (plan.orient.get(item) as (v: number) => number)(answer) : null;
    });
    row.forEach((value, i) => {
      if (value === null) return;
      const totals = (acc.itemTotals[plan.items[i] as string] ??= { n: 0, sum: 0 });
      totals.n += 1;
      totals.sum += value;
    });
    if (acc.statistics.add(row) && row.every((v) => v !== null)) {
      acc.sample.push({ key: sampleKey(response.invitationId), row: row as number[] });
      if (acc.sample.length > 2 * BOOTSTRAP_SAMPLE_SIZE) acc.sample = bottomK(acc.sample);
    }
  },
  merge: (a, b) => {
    const itemTotals: PlsAccumulator['itemTotals'] = { ...a.itemTotals };
    for (const [item, t] of Object.entries(b.itemTotals)) {
      const mine = itemTotals[item];
      itemTotals[item] = mine ? { n: mine.n + t.n, sum: mine.sum + t.sum } : { ...t };
    }
    // SufficientStatistics.merge changes its receiver: merge into a copy.
    const statistics = SufficientStatistics.fromJSON(a.statistics.toJSON()).merge(b.statistics);
    return { statistics, itemTotals, sample: bottomK([...a.sample, ...b.sample]) };
  },
  // The sample as two flat arrays (keys, then the rows one after another), which the checkpoint
  // store packs as typed arrays.
  serialize: (acc) => {
    const sample = bottomK(acc.sample);
    return { statistics: acc.statistics.toJSON(), itemTotals: acc.itemTotals, sampleKeys: sample.map((s) => s.key), sampleRows: sample.flatMap((s) => s.row) };
  },
  deserialize: (q, json) => {
    const stored = json as { statistics: unknown; itemTotals: PlsAccumulator['itemTotals']; sampleKeys: number[]; sampleRows: number[] };
    const width = planOf(q).items.length;
    const sample = stored.sampleKeys.map((key, i) => ({ key, row: stored.sampleRows.slice(i * width, (i + 1) * width) }));
    return { statistics: SufficientStatistics.fromJSON(stored.statistics), itemTotals: stored.itemTotals, sample };
  },
  sharedWithUnits: (result) => result.estimate?.unstandardizedWeights ?? null,
  borrowsFromRoot: (result) => result.source === 'root',
  result: (acc, context): PlsUnitResult => {
    const plan = planOf(context.questionnaire);
    const means = itemMeans(plan, acc);
    const root = context.rootResult;
    const base = { n: acc.statistics.n, incompleteRows: acc.statistics.incomplete };
    const ownEstimate = !root || (acc.statistics.n >= plan.minN && acc.statistics.n >= MINIMUM_ROWS);
    if (!ownEstimate && root.estimate) {
      const { index, reasons } = indexes(plan, root.estimate.unstandardizedWeights, means);
      return { source: 'root', ...base, index, ...(Object.keys(reasons).length ? { undefinedIndex: reasons } : {}), weightOverride: overrideFor(plan, root.estimate.unstandardizedWeights, index) };
    }
    if (acc.statistics.n < MINIMUM_ROWS) {
      return { source: 'unit', ...base, index: {}, error: `the model needs at least ${MINIMUM_ROWS} complete answers; there are ${acc.statistics.n}` };
    }
    try {
      const { result, bootstrap } = estimateFor(plan, acc);
      const weights = result.unstandardizedWeights;
      const { index, reasons } = indexes(plan, weights, means);
      return {
        source: 'unit',
        ...base,
        estimate: {
          iterations: result.iterations,
          scheme: result.options.scheme,
          paths: result.paths,
          r2: result.r2,
          weights: result.weights,
          unstandardizedWeights: weights,
          loadings: result.loadings,
          ave: result.ave,
          alpha: Object.fromEntries(Object.entries(result.unidim).map(([lv, u]) => [lv, u.alpha])),
          rho: Object.fromEntries(Object.entries(result.unidim).map(([lv, u]) => [lv, u.rho])),
          gof: result.gof,
          htmt: result.htmt,
        },
        index,
        ...(Object.keys(reasons).length ? { undefinedIndex: reasons } : {}),
        ...(bootstrap ? { bootstrap } : {}),
        weightOverride: overrideFor(plan, weights, index),
      };
    } catch (error) {
      // Non-convergence or a singular model is reported, never replaced by a silent result.
      return { source: 'unit', ...base, index: {}, error: (error as Error).message };
    }
  },
};

