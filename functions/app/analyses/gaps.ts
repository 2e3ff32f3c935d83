/**
 * The SERVQUAL / SERVPERF gaps of a questionnaire with `gaps:`, per unit and
 * period (docs/gaps.md). The accumulator is the domain's GapAccumulator (moments and counts, JSON),
 * merged exactly up the organisation; the result is scoreGaps' report under the key `gaps`.
 *
 * Gap 1 needs to know which responses come from managers: a response carrying
 * `audience: "management"` (copied from its invitation: a campaign with `audience: management`) answers the
 * expectation items as management believes customers would; a response without one is a customer's.
 */
import {
  accumulateGaps,
  emptyGapAccumulator,
  gapPlan,
  hasGapModel,
  mergeGapAccumulators,
  scoreGaps,
  type GapAccumulator,
  type GapPlan,
  type GapReport,
} from '../../domain/gaps';
import type { Questionnaire } from '../../domain/questionnaire';
import type { ResponseRecord } from '../../domain/records';
import type { ResponseAnalysis } from './analysis';

const plans = new WeakMap<Questionnaire, GapPlan>();
const planOf = (questionnaire: Questionnaire): GapPlan => {
  let plan = plans.get(questionnaire);
  if (!plan) plans.set(questionnaire, (plan = gapPlan(questionnaire)));
  return plan;
};

/** The audience of the response's invitation (managers answer for SERVQUAL gap 1). */
export function audienceOf(response: ResponseRecord): string | undefined {
  return response.audience;
}

export const gapsAnalysis: ResponseAnalysis<GapAccumulator, GapReport, 'gaps'> = {
  id: 'gaps',
  withheldWhenSmall: true,
  applies: hasGapModel,
  empty: () => emptyGapAccumulator(),
  add: (questionnaire, acc, response) => accumulateGaps(planOf(questionnaire), acc, { answers: response.answers, audience: audienceOf(response) }),
  merge: mergeGapAccumulators,
  serialize: (acc) => acc,
  deserialize: (_questionnaire, json) => json as GapAccumulator,
  result: (acc, context) => scoreGaps(planOf(context.questionnaire), acc ?? emptyGapAccumulator()),
};

