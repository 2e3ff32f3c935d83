/** Top-2-box with Wilson intervals for every rating question, and the NPS of the 0..10 ones. */
import { copyCounts, mergeCounts, type AnswerCounts } from '../../domain/stats/counts';
import { wilsonInterval, type ProportionInterval } from '../../domain/stats/intervals';
import { npsFromCounts, type NpsResult } from '../../domain/stats/nps';
import type { ResponseAnalysis } from './analysis';
import { countAnswers, statisticsPlan, unitsOf, type Plan } from './statistics-plan';

export interface QuestionProportions {
  n: number;
  /** Answers in the two most favourable scale points (for a reversed question, the two lowest). */
  topBox: ProportionInterval;
  /** For a 0..10 question that is not reversed: promoters 9-10, passives 7-8, detractors 0-6. */
  nps: NpsResult | null;
}

export interface ProportionsReport {
  questions: Record<string, QuestionProportions>;
  /** The 0..10 questions that carry an NPS. */
  npsQuestions: string[];
}

const TOP_BOXES = 2;

export const proportionsAnalysis: ResponseAnalysis<AnswerCounts, ProportionsReport, 'proportions'> = {
  id: 'proportions',
  withheldWhenSmall: true,
  applies: () => true,
  empty: () => ({}),
  add: (q, acc, response) => countAnswers(statisticsPlan(q).allRatings.values(), acc, response.answers),
  merge: mergeCounts,
  serialize: (acc) => acc,
  deserialize: (_q, json) => copyCounts(json),
  result: (acc, context) => proportionsResult(statisticsPlan(context.questionnaire), acc),
};

export const isNpsQuestion = (info: { min: number; max: number; reverse: boolean }): boolean => info.min === 0 && info.max === 10 && !info.reverse;

function proportionsResult(plan: Plan, counts: AnswerCounts): ProportionsReport {
  const questions: Record<string, QuestionProportions> = {};
  const npsQuestions: string[] = [];
  for (const info of plan.allRatings.values()) {
    const entries = Object.entries(counts[info.id] ?? {});
    const n = entries.reduce((sum, [, c]) => sum + c, 0);
    if (n === 0) continue;
    const successes = entries.reduce((sum, [value, c]) => sum + ((unitsOf(info, Number(value)) ?? 0) > info.range - TOP_BOXES ? c : 0), 0);
    let nps: NpsResult | null = null;
    if (isNpsQuestion(info)) {
      const tally = { promoters: 0, passives: 0, detractors: 0 };
      for (const [value, c] of entries) {
        const v = Number(value);
        if (v >= 9) tally.promoters += c;
        else if (v >= 7) tally.passives += c;
        else tally.detractors += c;
      }
      nps = npsFromCounts(tally);
      npsQuestions.push(info.id);
    }
    questions[info.id] = { n, topBox: wilsonInterval(successes, n), nps };
  }
  return { questions, npsQuestions };
}

