/**
 * Entropy weight method (熵权法): a column whose values differ more across respondents (lower
 * entropy) carries more information and gets more weight.
 */
import { max as maximum, min as minimum, sum } from 'simple-statistics';
import { StatisticsInputError } from './data';

export interface EntropyResult {
  /** w_j = d_j / sum_k d_k, in the order of the input columns; 0 for a constant column. */
  weights: Record<string, number>;
  /** e_j = -(1 / ln n) sum_i p_ij ln p_ij; 1 for a constant column (it carries no information). */
  entropy: Record<string, number>;
  /** Rows used. */
  n: number;
  /** Columns whose values are all equal (weight 0). */
  constantColumns: string[];
  warnings: string[];
}

/**
 * Entropy weights of complete numeric columns (use completeCases first when answers are missing).
 * Each column is min-max normalised over the data, x' = (x - min) / (max - min), so the method is
 * the same for any scale; p_ij = x'_ij / sum_i x'_ij, with 0 ln 0 = 0.
 */
export function entropyWeights(columns: Readonly<Record<string, readonly number[]>>): EntropyResult {
  const names = Object.keys(columns);
  if (names.length === 0) throw new StatisticsInputError('entropy weights need at least one column');
  const n = columns[names[0]!]!.length;
  for (const name of names) {
    const values = columns[name]!;
    if (values.length !== n) {
      throw new StatisticsInputError(`column "${name}" has ${values.length} values, column "${names[0]}" has ${n}`);
    }
    values.forEach((value, row) => {
      if (!Number.isFinite(value)) {
        throw new StatisticsInputError(`column "${name}", row ${row + 1}: ${value} is not a finite number`);
      }
    });
  }
  // ln n is the entropy of a uniform distribution over the rows; with one row it is 0.
  if (n < 2) throw new StatisticsInputError(`entropy weights need at least 2 rows, got ${n}`);

  const entropy: Record<string, number> = {};
  const divergence: Record<string, number> = {};
  const constantColumns: string[] = [];
  for (const name of names) {
    const values = columns[name]!;
    const min = minimum(values);
    const max = maximum(values);
    if (max === min) {
      constantColumns.push(name);
      entropy[name] = 1;
      divergence[name] = 0;
      continue;
    }
    const normalised = values.map((value) => (value - min) / (max - min));
    const total = sum(normalised);
    let plogp = 0;
    for (const value of normalised) {
      const p = value / total;
      if (p > 0) plogp += p * Math.log(p);
    }
    // max(0, .): entropy is never negative; this also turns -0 (a column singling out one row) into 0.
    const e = Math.max(0, -plogp / Math.log(n));
    entropy[name] = e;
    divergence[name] = 1 - e;
  }
  const totalDivergence = sum(names.map((name) => divergence[name]!));
  if (!(totalDivergence > 0)) {
    throw new StatisticsInputError(
      `every column is constant (${names.join(', ')}): the data carry no information to weight them by`,
    );
  }
  const weights = Object.fromEntries(names.map((name) => [name, divergence[name]! / totalDivergence]));
  const warnings = constantColumns.map(
    (name) => `column "${name}" is constant: it carries no information and gets entropy weight 0`,
  );
  return { weights, entropy, n, constantColumns, warnings };
}
