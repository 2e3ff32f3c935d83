/**
 * Service gaps (SERVQUAL / SERVPERF) of a questionnaire's `gaps:` model: pure scoring, no I/O.
 *
 * The platform folds each response into a GapAccumulator per unit and period
 * (accumulateGaps), merges accumulators up the organisation tree (mergeGapAccumulators) and turns
 * one into a report (scoreGaps). computeGaps does all three for a list of responses.
 */
import type { Questionnaire } from '../questionnaire/schema';
import { accumulateGaps, emptyGapAccumulator, type GapRespondent } from './accumulator';
import { gapPlan } from './plan';
import { scoreGaps, type GapReport, type GapReportOptions } from './report';

export * from './accumulator';
export * from './moments';
export * from './paired-t';
export * from './plan';
export * from './report';

export function computeGaps(questionnaire: Questionnaire, respondents: Iterable<GapRespondent>, options: GapReportOptions = {}): GapReport {
  const plan = gapPlan(questionnaire);
  const acc = emptyGapAccumulator();
  for (const respondent of respondents) accumulateGaps(plan, acc, respondent);
  return scoreGaps(plan, acc, options);
}
