/**
 * The paired t-test of perception against expectation, as scipy.stats.ttest_rel(P, E) and R's
 * t.test(P, E, paired = TRUE): d = P - E per respondent, t = mean(d) / (sd(d) / sqrt(n)),
 * df = n - 1, two-sided p, and the t-based 95% interval of mean(d).
 */
import { studentTTwoSidedP, tConfidenceInterval } from '../stats/distributions';
import { momentsOf, sampleSd, type Moments } from './moments';

export interface PairedTTest {
  n: number;
  /** mean(P - E). */
  meanDifference: number;
  /** Sample standard deviation of the differences; null below 2 pairs. */
  sd: number | null;
  /** null below 2 pairs, and when the differences do not vary (t would be infinite or undefined). */
  t: number | null;
  df: number | null;
  /** Two-sided. Differences that do not vary: 1 when they are all 0, else 0 (as a limit). */
  p: number | null;
  ci95: [number, number] | null;
}

/** The test from the mergeable moments of the differences. */
export function pairedTTestFromMoments(differences: Moments): PairedTTest {
  const { n, mean } = differences;
  const sd = sampleSd(differences);
  if (n < 2 || sd === null) return { n, meanDifference: n > 0 ? mean : NaN, sd: null, t: null, df: null, p: null, ci95: null };
  const df = n - 1;
  if (sd === 0) {
    // Every respondent shows the same difference: no sampling spread, the interval collapses.
    return { n, meanDifference: mean, sd, t: null, df, p: mean === 0 ? 1 : 0, ci95: [mean, mean] };
  }
  const t = mean / (sd / Math.sqrt(n));
  return { n, meanDifference: mean, sd, t, df, p: studentTTwoSidedP(t, df), ci95: tConfidenceInterval(mean, sd, n) };
}

/** The test of `perceived` against `expected` (equal lengths, pair by pair). */
export function pairedTTest(perceived: readonly number[], expected: readonly number[]): PairedTTest {
  if (perceived.length !== expected.length) {
    throw new RangeError(`a paired test needs pairs: ${perceived.length} perception values against ${expected.length} expectation values`);
  }
  return pairedTTestFromMoments(momentsOf(perceived.map((p, i) => p - (expected[i] as number))));
}
