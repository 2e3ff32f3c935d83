/** The indicator tree's scores (the spine's report: CSI, elements, indicators, questions). */
import { accumulate, emptyAccumulator, mergeAccumulators, scoreTree, scoringPlan, type ScoreAccumulator, type TreeScores } from '../../domain/scoring';
import type { Questionnaire } from '../../domain/questionnaire';
import type { ResponseAnalysis } from './analysis';

const plans = new WeakMap<Questionnaire, ReturnType<typeof scoringPlan>>();
const planOf = (q: Questionnaire) => {
  let plan = plans.get(q);
  if (!plan) plans.set(q, (plan = scoringPlan(q)));
  return plan;
};

/** Weights estimated by an earlier analysis (e.g. PLS) that the tree should use, by node id. */
export interface WeightOverride {
  weights: Record<string, Record<string, number>>;
  /** A CSI computed by the model instead of the weighted mean of the elements. */
  csi?: number | null;
  note?: string;
}

/** The weight overrides the earlier analyses of a unit hand over (the PLS model, derived weights), in order. */
export function weightOverridesOf(earlier: Readonly<Record<string, unknown>>): WeightOverride[] {
  return Object.values(earlier)
    .map((r) => (r as { weightOverride?: WeightOverride } | undefined)?.weightOverride)
    .filter((o): o is WeightOverride => o !== undefined);
}

/** The data-driven child weights the tree uses, by node: later overrides win per node. */
export function overrideWeightsOf(earlier: Readonly<Record<string, unknown>>): WeightOverride['weights'] {
  return Object.assign({}, ...weightOverridesOf(earlier).map((o) => o.weights)) as WeightOverride['weights'];
}

export const scoresAnalysis: ResponseAnalysis<ScoreAccumulator, TreeScores, 'scores'> = {
  id: 'scores',
  // Not a section: the report carries the scores at its top level.
  withheldWhenSmall: false,
  applies: () => true,
  empty: () => emptyAccumulator(),
  add: (q, acc, response) => accumulate(planOf(q), acc, response.answers),
  merge: mergeAccumulators,
  serialize: (acc) => acc,
  deserialize: (_q, json) => json as ScoreAccumulator,
  result: (acc, context) => {
    // Every earlier analysis may hand weights over (the PLS model, derived weights); later ones win per node.
    const overrides = weightOverridesOf(context.earlier);
    const tree = scoreTree(context.questionnaire, acc, overrideWeightsOf(context.earlier));
    const notes = [...tree.notes, ...overrides.flatMap((o) => (o.note ? [o.note] : []))];
    const withCsi = overrides.find((o) => o.csi !== undefined);
    return { ...tree, notes, ...(withCsi ? { csi: withCsi.csi ?? null } : {}) };
  },
};
