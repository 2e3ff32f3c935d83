/** Reliability: Cronbach's alpha per element over its questions' 0-100 scores. */
import { addItemRow, copyMomentsRecord, emptyItemMoments, itemCovariance, mergeMomentsRecord, type MomentsRecord } from '../../domain/stats/moments';
import { reliabilityFromCovariance, type ItemReliability } from '../../domain/stats/reliability';
import type { ResponseAnalysis } from './analysis';
import { statisticsPlan, unitsOf } from './statistics-plan';

export interface ElementReliability {
  status: 'ok' | 'withheld' | 'invalid';
  reason?: string;
  n: number;
  k: number;
  alpha?: number | null;
  standardizedAlpha?: number | null;
  items?: Record<string, ItemReliability>;
}

export type ReliabilityReport = Record<string, ElementReliability>;

/** Fewer complete responses than this gives no reliability figures. */
export const RELIABILITY_MINIMUM_N = 3;

export const reliabilityAnalysis: ResponseAnalysis<MomentsRecord, ReliabilityReport, 'reliability'> = {
  id: 'reliability',
  withheldWhenSmall: true,
  applies: () => true,
  empty: (q) => {
    const acc: MomentsRecord = {};
    for (const [element, ids] of statisticsPlan(q).elementQuestions) if (ids.length >= 2) acc[element] = emptyItemMoments(ids);
    return acc;
  },
  add: (q, acc, response) => {
    const plan = statisticsPlan(q);
    for (const stats of Object.values(acc)) addItemRow(stats, stats.items.map((id) => unitsOf(plan.allRatings.get(id)!, response.answers[id])));
  },
  merge: mergeMomentsRecord,
  serialize: (acc) => acc,
  deserialize: (_q, json) => copyMomentsRecord(json),
  result: (acc, context) => {
    const plan = statisticsPlan(context.questionnaire);
    const report: ReliabilityReport = {};
    for (const [element, ids] of plan.elementQuestions) {
      const stats = acc[element];
      if (ids.length < 2 || !stats) {
        report[element] = { status: 'invalid', reason: 'reliability needs at least 2 questions', n: 0, k: ids.length };
      } else if (stats.n < RELIABILITY_MINIMUM_N) {
        report[element] = { status: 'withheld', reason: `fewer than ${RELIABILITY_MINIMUM_N} responses answer every question of the element`, n: stats.n, k: ids.length };
      } else {
        const { cov: units } = itemCovariance(stats);
        const f = ids.map((id) => 100 / plan.allRatings.get(id)!.range);
        const cov = ids.map((_, i) => ids.map((__, j) => f[i]! * f[j]! * units[i]![j]!));
        report[element] = { status: 'ok', n: stats.n, ...reliabilityFromCovariance(ids, cov) };
      }
    }
    return report;
  },
};
