/**
 * Net Promoter Score from a 0-10 "would you recommend" question: promoters answer 9-10,
 * detractors 0-6, passives 7-8; NPS = %promoters - %detractors, on -100..100.
 */
import { StatisticsInputError } from './data';
import { DEFAULT_CONFIDENCE_LEVEL } from './intervals';
import { normalQuantile } from './distributions';

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsResult extends NpsCounts {
  n: number;
  /** Shares in 0..1. */
  promoterShare: number;
  detractorShare: number;
  /** 100 (p - d), in points from -100 to 100. */
  nps: number;
  /** 100 sqrt((p + d - (p - d)^2) / n), in NPS points: the multinomial standard error of p - d. */
  standardError: number;
  /** nps -/+ z se, clamped to -100..100; a normal approximation. */
  lower: number;
  upper: number;
  level: number;
}

/** NPS from counts of promoters, passives and detractors. */
export function npsFromCounts(counts: NpsCounts, level = DEFAULT_CONFIDENCE_LEVEL): NpsResult {
  const { promoters, passives, detractors } = counts;
  for (const [name, count] of Object.entries(counts)) {
    if (!Number.isInteger(count) || count < 0) throw new StatisticsInputError(`${name} = ${count} is not a count`);
  }
  const n = promoters + passives + detractors;
  if (n < 1) throw new StatisticsInputError('an NPS needs at least one answer');
  const p = promoters / n;
  const d = detractors / n;
  const difference = p - d;
  // Var(p - d) = (p (1 - p) + d (1 - d) + 2 p d) / n = (p + d - (p - d)^2) / n for one multinomial sample.
  const standardError = 100 * Math.sqrt(Math.max(0, p + d - difference * difference) / n);
  const z = normalQuantile(1 - (1 - level) / 2);
  const nps = 100 * difference;
  return {
    promoters,
    passives,
    detractors,
    n,
    promoterShare: p,
    detractorShare: d,
    nps,
    standardError,
    lower: Math.max(-100, nps - z * standardError),
    upper: Math.min(100, nps + z * standardError),
    level,
  };
}

/** Counts the answers of a 0-10 question; anything other than an integer 0..10 is an error. */
export function npsCounts(answers: readonly number[]): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  answers.forEach((answer, index) => {
    if (!Number.isInteger(answer) || answer < 0 || answer > 10) {
      throw new StatisticsInputError(`answer ${index + 1} = ${answer} is not an integer from 0 to 10`);
    }
    if (answer >= 9) counts.promoters++;
    else if (answer >= 7) counts.passives++;
    else counts.detractors++;
  });
  return counts;
}

/** NPS of the answers to a 0-10 question, with its standard error and interval. */
export function netPromoterScore(answers: readonly number[], level = DEFAULT_CONFIDENCE_LEVEL): NpsResult {
  return npsFromCounts(npsCounts(answers), level);
}
