/**
 * Reliability of an element's items (the questions under one element): Cronbach's alpha,
 * standardised alpha, item-total correlations and alpha if an item is deleted.
 */
import { sampleCorrelation, sampleVariance, sum } from 'simple-statistics';
import { StatisticsInputError } from './data';

export interface ItemReliability {
  /** Correlation of the item with the total of all items (including itself). */
  itemTotalCorrelation: number | null;
  /** Correlation with the total of the other items (SPSS's "corrected item-total correlation"). */
  correctedItemTotalCorrelation: number | null;
  /** Alpha of the other items; null when fewer than 2 would remain. */
  alphaIfDeleted: number | null;
}

export interface ReliabilityResult {
  /** Complete rows used. */
  n: number;
  /** Number of items. */
  k: number;
  /** Cronbach's alpha on the raw answers; null when the total does not vary. */
  alpha: number | null;
  /** Alpha of the standardised items, k r / (1 + (k - 1) r) with r the mean inter-item correlation;
   *  null when an item is constant or r = -1/(k - 1). */
  standardizedAlpha: number | null;
  items: Record<string, ItemReliability>;
}

/**
 * k r / (1 + (k - 1) r) for the mean inter-item correlation r; null where it has no value: at
 * r = -1/(k - 1) (two items that move exactly against each other, common with two or three
 * respondents) the denominator is zero.
 */
function standardizedAlphaOf(k: number, r: number): number | null {
  const denominator = 1 + (k - 1) * r;
  // Rounding leaves about 1e-16 where the exact value is 0: a quotient of 1e15 is no alpha either.
  return Math.abs(denominator) < 1e-12 ? null : (k * r) / denominator;
}

function isConstant(values: readonly number[]): boolean {
  return values.every((value) => value === values[0]);
}

function correlationOrNull(x: readonly number[], y: readonly number[]): number | null {
  return isConstant(x) || isConstant(y) ? null : sampleCorrelation(x, y);
}

function rowTotals(columns: readonly (readonly number[])[]): number[] {
  const n = columns[0]?.length ?? 0;
  return Array.from({ length: n }, (_, row) => sum(columns.map((column) => column[row]!)));
}

/**
 * Cronbach's alpha = k / (k - 1) (1 - sum of item variances / variance of the total), sample
 * variances (the divisor cancels). Null when the total is constant (alpha is undefined).
 */
export function cronbachAlpha(columns: readonly (readonly number[])[]): number | null {
  const k = columns.length;
  if (k < 2) throw new StatisticsInputError(`Cronbach's alpha needs at least 2 items, got ${k}`);
  const totalVariance = sampleVariance(rowTotals(columns));
  if (totalVariance === 0) return null;
  const itemVariance = sum(columns.map((column) => sampleVariance(column)));
  return (k / (k - 1)) * (1 - itemVariance / totalVariance);
}

/** Reliability of complete item columns (use completeCases first when answers are missing). */
export function reliability(items: Readonly<Record<string, readonly number[]>>): ReliabilityResult {
  const names = Object.keys(items);
  const k = names.length;
  if (k < 2) throw new StatisticsInputError(`reliability needs at least 2 items, got ${k}`);
  const columns = names.map((name) => items[name]!);
  const n = columns[0]!.length;
  names.forEach((name, j) => {
    if (columns[j]!.length !== n) throw new StatisticsInputError(`item "${name}" has ${columns[j]!.length} answers, "${names[0]}" has ${n}`);
  });
  if (n < 2) throw new StatisticsInputError(`reliability needs at least 2 respondents, got ${n}`);

  const totals = rowTotals(columns);
  let standardizedAlpha: number | null = null;
  if (!columns.some(isConstant)) {
    const pairs: number[] = [];
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairs.push(sampleCorrelation(columns[i]!, columns[j]!));
    standardizedAlpha = standardizedAlphaOf(k, sum(pairs) / pairs.length);
  }
  const perItem = names.map((name, j): [string, ItemReliability] => {
    const item = columns[j]!;
    const rest = totals.map((total, row) => total - item[row]!);
    const others = columns.filter((_, m) => m !== j);
    return [
      name,
      {
        itemTotalCorrelation: correlationOrNull(item, totals),
        correctedItemTotalCorrelation: correlationOrNull(item, rest),
        alphaIfDeleted: others.length >= 2 ? cronbachAlpha(others) : null,
      },
    ];
  });
  return { n, k, alpha: cronbachAlpha(columns), standardizedAlpha, items: Object.fromEntries(perItem) };
}

/** Reliability figures from the items' covariance matrix (any divisor: it cancels). */
export function reliabilityFromCovariance(ids: readonly string[], cov: readonly (readonly number[])[]): Omit<ReliabilityResult, 'n'> {
  const k = ids.length;
  const sumOver = (rows: number[], cols: number[]) => rows.reduce((s, i) => s + cols.reduce((t, j) => t + cov[i]![j]!, 0), 0);
  const all = ids.map((_, i) => i);
  const alphaOf = (items: number[]): number | null => {
    const m = items.length;
    const total = sumOver(items, items);
    if (!(total > 0)) return null;
    const itemVariance = items.reduce((s, i) => s + cov[i]![i]!, 0);
    return (m / (m - 1)) * (1 - itemVariance / total);
  };
  const variance = all.map((i) => cov[i]![i]!);
  let standardizedAlpha: number | null = null;
  if (variance.every((v) => v > 0)) {
    let total = 0;
    let pairs = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) {
      total += cov[i]![j]! / Math.sqrt(variance[i]! * variance[j]!);
      pairs++;
    }
    standardizedAlpha = standardizedAlphaOf(k, total / pairs);
  }
  const correlation = (c: number, va: number, vb: number) => (va > 0 && vb > 0 ? c / Math.sqrt(va * vb) : null);
  const totalVariance = sumOver(all, all);
  const items = Object.fromEntries(
    ids.map((id, i) => {
      const others = all.filter((j) => j !== i);
      const withTotal = all.reduce((s, j) => s + cov[i]![j]!, 0);
      const withRest = withTotal - variance[i]!;
      return [
        id,
        {
          itemTotalCorrelation: correlation(withTotal, variance[i]!, totalVariance),
          correctedItemTotalCorrelation: correlation(withRest, variance[i]!, sumOver(others, others)),
          alphaIfDeleted: others.length >= 2 ? alphaOf(others) : null,
        },
      ];
    }),
  );
  return { k, alpha: alphaOf(all), standardizedAlpha, items };
}

