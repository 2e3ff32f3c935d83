/**
 * Count, mean and sum of squared deviations (Welford), merged by Chan's parallel formula: the
 * same mergeable summary scoring.ts keeps per question, so gap figures of a unit come from every
 * response in its subtree exactly, never from a mean of its children's means.
 */
export interface Moments {
  n: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
}

export const emptyMoments = (): Moments => ({ n: 0, mean: 0, m2: 0 });

export function addObservation(m: Moments, x: number): void {
  m.n += 1;
  const delta = x - m.mean;
  m.mean += delta / m.n;
  m.m2 += delta * (x - m.mean);
}

export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return { n, mean: a.mean + (delta * b.n) / n, m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n };
}

/** The mean, or null without observations. */
export const meanOf = (m: Moments | undefined): number | null => (m && m.n > 0 ? m.mean : null);

/** Sample standard deviation (divisor n - 1), or null below 2 observations. */
export const sampleSd = (m: Moments): number | null => (m.n >= 2 ? Math.sqrt(Math.max(0, m.m2) / (m.n - 1)) : null);

export function momentsOf(values: readonly number[]): Moments {
  const m = emptyMoments();
  for (const value of values) addObservation(m, value);
  return m;
}
