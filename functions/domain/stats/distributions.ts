/**
 * Probability distributions used across manyi's statistics (confidence intervals, p values).
 * jstat supplies the numerics; this module is the only place that imports it, so every caller
 * shares one well-tested implementation and one set of conventions (two-sided p, 95% = 0.975 quantile).
 */
import jStat from 'jstat';

/** The p-quantile of Student's t with `df` degrees of freedom. */
export function studentTQuantile(p: number, df: number): number {
  return jStat.studentt.inv(p, df);
}

/** Two-sided p value of a t statistic: 2 P(T <= -|t|), the lower tail, so tiny p values keep their precision. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  if (t === 0) return 1;
  return Math.min(1, 2 * jStat.studentt.cdf(-Math.abs(t), df));
}

/** P(Z <= z) for the standard normal. */
export function normalCdf(z: number): number {
  return jStat.normal.cdf(z, 0, 1);
}

/** The p-quantile of the standard normal. */
export function normalQuantile(p: number): number {
  return jStat.normal.inv(p, 0, 1);
}

/** Two-sided p value of a z statistic (lower tail, as for t). */
export function normalTwoSidedP(z: number): number {
  if (!Number.isFinite(z)) return 0;
  if (z === 0) return 1;
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** Mean +/- t(0.975, n-1) * sd / sqrt(n); null when n < 2 (no spread can be estimated). */
export function tConfidenceInterval(mean: number, sd: number, n: number, level = 0.95): [number, number] | null {
  if (n < 2 || !Number.isFinite(sd)) return null;
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return [mean - half, mean + half];
}
