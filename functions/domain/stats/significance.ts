/**
 * Is a change real? Period over period, or a unit against the rest of its parent: Welch's t-test
 * for mean scores, a two-proportion z-test for top-2-box shares and a z-test on the difference of
 * two NPS. All p values are two-sided; a change is significant when p < alpha (0.05).
 *
 * The tests assume independent samples. A unit's responses are part of its parent's, so compare
 * a unit with the rest of the parent (complementSummary, or the counts minus the unit's), not with
 * the parent including it.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { StatisticsInputError } from './data';
import { normalTwoSidedP, studentTTwoSidedP } from './distributions';
import type { NpsResult } from './nps';

export const DEFAULT_SIGNIFICANCE_LEVEL = 0.05;

export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (divisor n - 1). */
  sd: number;
}

export interface SignificanceTest {
  /** Which test was used, for the report's footnote. */
  test: 'Welch t-test' | 'two-proportion z-test' | 'NPS difference z-test' | 'bootstrap z-test';
  /** a - b, in the figure's unit (score points, proportion, NPS points). */
  difference: number;
  standardError: number;
  /** t or z. */
  statistic: number;
  /** Degrees of freedom (Welch-Satterthwaite) for the t-test; null for z-tests. */
  df: number | null;
  /** Two-sided p value. */
  p: number;
  alpha: number;
  significant: boolean;
}

/** n, mean and sample sd of the values. */
export function summarize(values: readonly number[]): SampleSummary {
  if (values.length < 2) throw new StatisticsInputError(`a sample needs at least 2 values for its spread, got ${values.length}`);
  return { n: values.length, mean: mean(values), sd: sampleStandardDeviation(values) };
}

/**
 * The summary of the responses in `whole` that are not in `part` (a parent without one of its
 * units), recovered from the sums of values and of squares.
 */
export function complementSummary(whole: SampleSummary, part: SampleSummary): SampleSummary {
  const n = whole.n - part.n;
  if (n < 2) throw new StatisticsInputError(`the rest has ${n} response(s); a comparison needs at least 2`);
  const sumOf = (s: SampleSummary) => s.n * s.mean;
  const squaresOf = (s: SampleSummary) => (s.n - 1) * s.sd * s.sd + s.n * s.mean * s.mean;
  const restMean = (sumOf(whole) - sumOf(part)) / n;
  const restSquares = squaresOf(whole) - squaresOf(part);
  const variance = Math.max(0, (restSquares - n * restMean * restMean) / (n - 1));
  return { n, mean: restMean, sd: Math.sqrt(variance) };
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new StatisticsInputError(`the significance level ${alpha} is not between 0 and 1`);
}

/** p when the standard error is 0: no difference is no evidence, any difference is certain. */
function degenerateP(difference: number): number {
  return difference === 0 ? 1 : 0;
}

function asSummary(sample: SampleSummary | readonly number[]): SampleSummary {
  return Array.isArray(sample) ? summarize(sample as readonly number[]) : (sample as SampleSummary);
}

/**
 * Welch's unequal-variances t-test of mean(a) - mean(b), as scipy.stats.ttest_ind(a, b,
 * equal_var=False): se^2 = sa^2/na + sb^2/nb, t = (ma - mb) / se, Welch-Satterthwaite df.
 */
export function welchTTest(
  a: SampleSummary | readonly number[],
  b: SampleSummary | readonly number[],
  alpha = DEFAULT_SIGNIFICANCE_LEVEL,
): SignificanceTest {
  checkAlpha(alpha);
  const x = asSummary(a);
  const y = asSummary(b);
  if (x.n < 2 || y.n < 2) throw new StatisticsInputError('Welch\'s t-test needs at least 2 values in each sample');
  const va = (x.sd * x.sd) / x.n;
  const vb = (y.sd * y.sd) / y.n;
  const standardError = Math.sqrt(va + vb);
  const difference = x.mean - y.mean;
  if (standardError === 0) {
    const p = degenerateP(difference);
    return {
      test: 'Welch t-test',
      difference,
      standardError,
      statistic: difference === 0 ? 0 : Math.sign(difference) * Infinity,
      df: x.n + y.n - 2,
      p,
      alpha,
      significant: p < alpha,
    };
  }
  const statistic = difference / standardError;
  const df = (va + vb) ** 2 / (va ** 2 / (x.n - 1) + vb ** 2 / (y.n - 1));
  const p = studentTTwoSidedP(statistic, df);
  return { test: 'Welch t-test', difference, standardError, statistic, df, p, alpha, significant: p < alpha };
}

export interface ProportionSample {
  successes: number;
  n: number;
}

/**
 * Two-proportion z-test of pa - pb with the pooled standard error
 * sqrt(p (1 - p) (1/na + 1/nb)), p = (xa + xb) / (na + nb); the same as R's
 * prop.test(correct = FALSE), whose chi-squared is z^2.
 */
export function twoProportionZTest(a: ProportionSample, b: ProportionSample, alpha = DEFAULT_SIGNIFICANCE_LEVEL): SignificanceTest {
  checkAlpha(alpha);
  for (const [name, s] of [['a', a], ['b', b]] as const) {
    if (!Number.isInteger(s.n) || s.n < 1 || !(s.successes >= 0 && s.successes <= s.n)) {
      throw new StatisticsInputError(`sample ${name}: ${s.successes} of ${s.n} is not a proportion`);
    }
  }
  const difference = a.successes / a.n - b.successes / b.n;
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const statistic = standardError === 0 ? 0 : difference / standardError;
  const p = standardError === 0 ? degenerateP(difference) : normalTwoSidedP(statistic);
  return { test: 'two-proportion z-test', difference, standardError, statistic, df: null, p, alpha, significant: p < alpha };
}

/**
 * z-test of the difference of two independent NPS: z = (NPSa - NPSb) / sqrt(se_a^2 + se_b^2),
 * each se from its own sample (unpooled: an NPS is a difference of two proportions, so there is
 * no single pooled share under the null).
 */
export function npsDifferenceTest(a: NpsResult, b: NpsResult, alpha = DEFAULT_SIGNIFICANCE_LEVEL): SignificanceTest {
  return independentZTest('NPS difference z-test', a.nps - b.nps, a.standardError, b.standardError, alpha);
}

/** z = difference / sqrt(se_a^2 + se_b^2) of two independent estimates, two-sided normal p. */
function independentZTest(test: SignificanceTest['test'], difference: number, seA: number, seB: number, alpha: number): SignificanceTest {
  checkAlpha(alpha);
  const standardError = Math.sqrt(seA ** 2 + seB ** 2);
  const statistic = standardError === 0 ? 0 : difference / standardError;
  const p = standardError === 0 ? degenerateP(difference) : normalTwoSidedP(statistic);
  return { test, difference, standardError, statistic, df: null, p, alpha, significant: p < alpha };
}

/** An estimate with its bootstrap standard error (a PLS index, for example). */
export interface BootstrapEstimate {
  estimate: number;
  standardError: number;
}

/**
 * z-test of the difference of two independent estimates from their bootstrap standard errors:
 * z = (a - b) / sqrt(se_a^2 + se_b^2), two-sided normal p (the estimates of two months or two
 * units come from disjoint samples, so their covariance is zero).
 */
export function bootstrapZTest(a: BootstrapEstimate, b: BootstrapEstimate, alpha = DEFAULT_SIGNIFICANCE_LEVEL): SignificanceTest {
  for (const [name, e] of [['a', a], ['b', b]] as const) {
    if (!Number.isFinite(e.estimate) || !(e.standardError >= 0)) throw new StatisticsInputError(`estimate ${name} needs a finite value and standard error`);
  }
  return independentZTest('bootstrap z-test', a.estimate - b.estimate, a.standardError, b.standardError, alpha);
}
