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
  /**
   * While every observation is a safe integer (ratings, perception minus expectation): their exact
   * sum and sum of squares, from which mean and m2 are derived. The same observations then give the
   * same mean and m2 bit for bit, whatever their order and however they were merged, so an
   * incremental computation equals a full one. Dropped at the first other value (Welford from then).
   */
  exact?: { sum: number; sumSquares: number };
}

export const emptyMoments = (): Moments => ({ n: 0, mean: 0, m2: 0, exact: { sum: 0, sumSquares: 0 } });

const isExact = (value: number) => Number.isSafeInteger(value);

function fromExact(n: number, sum: number, sumSquares: number): Moments {
  return { n, mean: sum / n, m2: Math.max(0, sumSquares - (sum * sum) / n), exact: { sum, sumSquares } };
}

export function addObservation(m: Moments, x: number): void {
  if (m.exact && isExact(x)) {
    const sum = m.exact.sum + x;
    const sumSquares = m.exact.sumSquares + x * x;
    if (isExact(sum) && isExact(sumSquares)) {
      Object.assign(m, fromExact(m.n + 1, sum, sumSquares));
      return;
    }
  }
  delete m.exact;
  m.n += 1;
  const delta = x - m.mean;
  m.mean += delta / m.n;
  m.m2 += delta * (x - m.mean);
}

export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const n = a.n + b.n;
  if (a.exact && b.exact) {
    const sum = a.exact.sum + b.exact.sum;
    const sumSquares = a.exact.sumSquares + b.exact.sumSquares;
    if (isExact(sum) && isExact(sumSquares)) return fromExact(n, sum, sumSquares);
  }
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
