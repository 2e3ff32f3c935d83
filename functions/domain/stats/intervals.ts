/**
 * 95% confidence intervals for the figures in every report: t-based for mean scores, Wilson's
 * score interval for proportions such as the top-2-box share.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { StatisticsInputError } from './data';
import { normalQuantile, tConfidenceInterval } from './distributions';

export const DEFAULT_CONFIDENCE_LEVEL = 0.95;

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new StatisticsInputError(`the confidence level ${level} is not between 0 and 1`);
}

export interface MeanInterval {
  n: number;
  mean: number;
  /** Sample standard deviation (divisor n - 1); null with fewer than 2 values. */
  sd: number | null;
  /** mean -/+ t(1 - (1 - level)/2, n - 1) sd / sqrt(n); null with fewer than 2 values. */
  lower: number | null;
  upper: number | null;
  level: number;
}

/** The mean of the values with its t-based confidence interval. */
export function meanConfidenceInterval(values: readonly number[], level = DEFAULT_CONFIDENCE_LEVEL): MeanInterval {
  checkLevel(level);
  if (values.length === 0) throw new StatisticsInputError('a mean needs at least one value');
  const n = values.length;
  const average = mean(values);
  if (n < 2) return { n, mean: average, sd: null, lower: null, upper: null, level };
  const sd = sampleStandardDeviation(values);
  const interval = tConfidenceInterval(average, sd, n, level);
  return { n, mean: average, sd, lower: interval?.[0] ?? null, upper: interval?.[1] ?? null, level };
}

export interface ProportionInterval {
  successes: number;
  n: number;
  proportion: number;
  lower: number;
  upper: number;
  level: number;
}

/**
 * Wilson's score interval: (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), with
 * z = the normal (1 + level)/2 quantile. Unlike p -/+ z sqrt(p(1-p)/n) it stays inside [0, 1] and
 * keeps its coverage near 0% and 100%, where top-2-box shares of good units live.
 */
export function wilsonInterval(successes: number, n: number, level = DEFAULT_CONFIDENCE_LEVEL): ProportionInterval {
  checkLevel(level);
  if (!Number.isInteger(n) || n < 1) throw new StatisticsInputError(`a proportion needs n >= 1, got ${n}`);
  if (!(successes >= 0 && successes <= n)) {
    throw new StatisticsInputError(`${successes} successes is not between 0 and n = ${n}`);
  }
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  // At p = 0 or 1 one bound is exactly 0 or 1; clamp the rounding.
  const lower = successes === 0 ? 0 : Math.max(0, (centre - half) / denominator);
  const upper = successes === n ? 1 : Math.min(1, (centre + half) / denominator);
  return { successes, n, proportion: p, lower, upper, level };
}

/**
 * Top-box count: answers within `boxes` points of the top of the scale (top-2-box on a 1..5
 * scale: answers 4 and 5). Integer scales are assumed; answers outside the scale are errors.
 */
export function topBoxCount(
  answers: readonly number[],
  scale: { min: number; max: number },
  boxes = 2,
): { successes: number; n: number } {
  let successes = 0;
  answers.forEach((answer, index) => {
    if (!(answer >= scale.min && answer <= scale.max)) {
      throw new StatisticsInputError(`answer ${index + 1} = ${answer} is outside the scale ${scale.min}..${scale.max}`);
    }
    if (answer > scale.max - boxes) successes++;
  });
  return { successes, n: answers.length };
}

/** Top-box share with its Wilson interval. */
export function topBoxInterval(
  answers: readonly number[],
  scale: { min: number; max: number },
  boxes = 2,
  level = DEFAULT_CONFIDENCE_LEVEL,
): ProportionInterval {
  const { successes, n } = topBoxCount(answers, scale, boxes);
  return wilsonInterval(successes, n, level);
}
