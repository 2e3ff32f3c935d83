/**
 * Folding responses into a mergeable gap accumulator. Everything the gap report needs is kept as
 * counts and moments, so the platform can accumulate per organisation unit and period and merge
 * up the tree (as scoring.ts does for the index): per item the paired moments of E, P and P - E;
 * per respondent only what the per-respondent figures need (the state counts, the moments of the
 * respondent's overall and weighted values, the sums of allocated points).
 */
import type { Answers } from '../scoring';
import { addObservation, emptyMoments, mergeMoments, type Moments } from './moments';
import { MANAGEMENT_AUDIENCE, type GapPlan, type GapPlanItem } from './plan';

/** One response: its answers and the audience of its invitation (`management` for gap 1). */
export interface GapRespondent {
  answers: Answers;
  audience?: string | undefined;
}

export interface GapItemAccumulator {
  /** Over customers who answered both expectation and perception (all perception answers when the item has no expectation). */
  expectation: Moments;
  perception: Moments;
  /** P - E per respondent. */
  difference: Moments;
  /** Over customers who answered both perception and the adequate (minimum acceptable) level. */
  adequate: Moments;
  /** P - adequate per respondent: the measure of service adequacy (MSA). */
  adequacyMargin: Moments;
  /** Expectation answers of management respondents (gap 1). */
  managementExpectation: Moments;
}

export type SatisfactionState = 'highlySatisfied' | 'basicallySatisfied' | 'dissatisfied';

export interface GapAccumulator {
  /** Customer responses folded in (management responses are counted apart). */
  respondents: number;
  managementRespondents: number;
  items: Record<string, GapItemAccumulator>;
  /** Respondents with a value in every dimension, by satisfaction state (SERVQUAL basis only). */
  states: Record<SatisfactionState, number>;
  /** The respondent's unweighted overall (mean of the respondent's dimension values), over respondents with every dimension. */
  respondentOverall: Moments;
  /** sum_d (points_d / total) x respondent's dimension value, over respondents with every dimension and an allocation. */
  respondentWeighted: Moments;
  /** Allocated points per dimension, summed over the customers who gave a valid allocation. */
  allocation: { n: number; points: Record<string, number> };
}

/** A value within this distance of a state boundary counts as on it (the means of integer answers are not exact in binary). */
export const STATE_BOUNDARY_EPSILON = 1e-9;

const emptyItem = (): GapItemAccumulator => ({
  expectation: emptyMoments(),
  perception: emptyMoments(),
  difference: emptyMoments(),
  adequate: emptyMoments(),
  adequacyMargin: emptyMoments(),
  managementExpectation: emptyMoments(),
});

export const emptyGapAccumulator = (): GapAccumulator => ({
  respondents: 0,
  managementRespondents: 0,
  items: {},
  states: { highlySatisfied: 0, basicallySatisfied: 0, dissatisfied: 0 },
  respondentOverall: emptyMoments(),
  respondentWeighted: emptyMoments(),
  allocation: { n: 0, points: {} },
});

/** The state of a respondent whose overall gap is g: above +tolerance, within, or below -tolerance. */
export function satisfactionState(g: number, tolerance: number): SatisfactionState {
  if (g > tolerance + STATE_BOUNDARY_EPSILON) return 'highlySatisfied';
  if (g < -tolerance - STATE_BOUNDARY_EPSILON) return 'dissatisfied';
  return 'basicallySatisfied';
}

/** A rating answer on the item's scale, or undefined (unanswered, or not a value the scale has). */
function ratingAnswer(answers: Answers, questionId: string | undefined, item: GapPlanItem): number | undefined {
  if (questionId === undefined) return undefined;
  const value = answers[questionId];
  return typeof value === 'number' && Number.isInteger(value) && value >= item.scale.min && value <= item.scale.max ? value : undefined;
}

/** The allocation as points per dimension when it is complete and adds up to the total; else undefined. */
function allocationAnswer(plan: GapPlan, answers: Answers): Record<string, number> | undefined {
  if (!plan.importance) return undefined;
  const value = answers[plan.importance.questionId];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const points: Record<string, number> = {};
  let sum = 0;
  for (const dimension of plan.dimensions) {
    // An omitted dimension got no points (as the answer schema's default of 0 says).
    const given = (value as Record<string, unknown>)[dimension.id] ?? 0;
    if (typeof given !== 'number' || !Number.isFinite(given) || given < 0) return undefined;
    points[dimension.id] = given;
    sum += given;
  }
  return sum === plan.importance.total ? points : undefined;
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

export function accumulateGaps(plan: GapPlan, acc: GapAccumulator, respondent: GapRespondent): void {
  const { answers } = respondent;
  if (respondent.audience === MANAGEMENT_AUDIENCE) {
    acc.managementRespondents += 1;
    for (const item of plan.items) {
      const expected = ratingAnswer(answers, item.expectation, item);
      if (expected !== undefined) addObservation((acc.items[item.id] ??= emptyItem()).managementExpectation, expected);
    }
    return;
  }
  acc.respondents += 1;

  // The respondent's value per dimension: the mean of their item gaps (or perceptions) there.
  const dimensionValues: Record<string, number> = {};
  for (const dimension of plan.dimensions) {
    const itemValues: number[] = [];
    for (const item of dimension.items) {
      const perceived = ratingAnswer(answers, item.perception, item);
      if (perceived === undefined) continue;
      const slot = (acc.items[item.id] ??= emptyItem());
      const adequate = ratingAnswer(answers, item.adequate, item);
      if (adequate !== undefined) {
        addObservation(slot.adequate, adequate);
        addObservation(slot.adequacyMargin, perceived - adequate);
      }
      if (item.expectation === undefined) {
        addObservation(slot.perception, perceived);
        if (plan.basis === 'perception') itemValues.push(perceived);
        continue;
      }
      const expected = ratingAnswer(answers, item.expectation, item);
      if (expected === undefined) continue;
      addObservation(slot.expectation, expected);
      addObservation(slot.perception, perceived);
      addObservation(slot.difference, perceived - expected);
      itemValues.push(plan.basis === 'gap' ? perceived - expected : perceived);
    }
    if (itemValues.length > 0) dimensionValues[dimension.id] = mean(itemValues);
  }

  const allocation = allocationAnswer(plan, answers);
  if (allocation && plan.importance) {
    acc.allocation.n += 1;
    for (const [id, points] of Object.entries(allocation)) acc.allocation.points[id] = (acc.allocation.points[id] ?? 0) + points;
  }

  const complete = plan.dimensions.every((d) => dimensionValues[d.id] !== undefined);
  if (!complete) return;
  const overall = mean(plan.dimensions.map((d) => dimensionValues[d.id] as number));
  addObservation(acc.respondentOverall, overall);
  if (plan.basis === 'gap') acc.states[satisfactionState(overall, plan.tolerance)] += 1;
  if (allocation && plan.importance) {
    const total = plan.importance.total;
    const weighted = plan.dimensions.reduce((sum, d) => sum + ((allocation[d.id] ?? 0) / total) * (dimensionValues[d.id] as number), 0);
    addObservation(acc.respondentWeighted, weighted);
  }
}

function mergeItem(a: GapItemAccumulator, b: GapItemAccumulator): GapItemAccumulator {
  return {
    expectation: mergeMoments(a.expectation, b.expectation),
    perception: mergeMoments(a.perception, b.perception),
    difference: mergeMoments(a.difference, b.difference),
    adequate: mergeMoments(a.adequate, b.adequate),
    adequacyMargin: mergeMoments(a.adequacyMargin, b.adequacyMargin),
    managementExpectation: mergeMoments(a.managementExpectation, b.managementExpectation),
  };
}

export function mergeGapAccumulators(a: GapAccumulator, b: GapAccumulator): GapAccumulator {
  const items: Record<string, GapItemAccumulator> = Object.fromEntries(Object.entries(a.items).map(([id, item]) => [id, mergeItem(item, emptyItem())]));
  for (const [id, item] of Object.entries(b.items)) {
    const mine = items[id];
    items[id] = mergeItem(mine ?? emptyItem(), item); // copies, so later folding into the result never touches b
  }
  const points: Record<string, number> = { ...a.allocation.points };
  for (const [id, p] of Object.entries(b.allocation.points)) points[id] = (points[id] ?? 0) + p;
  return {
    respondents: a.respondents + b.respondents,
    managementRespondents: a.managementRespondents + b.managementRespondents,
    items,
    states: {
      highlySatisfied: a.states.highlySatisfied + b.states.highlySatisfied,
      basicallySatisfied: a.states.basicallySatisfied + b.states.basicallySatisfied,
      dissatisfied: a.states.dissatisfied + b.states.dissatisfied,
    },
    respondentOverall: mergeMoments(a.respondentOverall, b.respondentOverall),
    respondentWeighted: mergeMoments(a.respondentWeighted, b.respondentWeighted),
    allocation: { n: a.allocation.n + b.allocation.n, points },
  };
}
