/**
 * Item moments: counts, sums and cross-products of complete rows, plain JSON, merged exactly.
 * The accumulators of the drivers and reliability analyses; every entry is an integer when the
 * values are, so merging is exact whatever the grouping of the responses.
 */

/** Index of (i, j) in a packed upper triangle (with the diagonal) of a p x p matrix. */
export const packedIndex = (i: number, j: number, p: number): number => (i <= j ? i * p - (i * (i - 1)) / 2 + (j - i) : packedIndex(j, i, p));

/**
 * Sums and cross-products of complete rows taken about 0, so that with integer values every entry
 * is an exact integer and merging is element-wise addition: the state does not depend on the
 * order or grouping of the responses (unlike sums about the first row). Rows with a missing value
 * are only counted (listwise deletion).
 */
export interface ItemMoments {
  items: string[];
  n: number;
  incomplete: number;
  sums: number[];
  /** Packed upper triangle, with the diagonal, of sum x_i x_j. */
  cross: number[];
}

export function emptyItemMoments(items: readonly string[]): ItemMoments {
  const p = items.length;
  return { items: [...items], n: 0, incomplete: 0, sums: new Array<number>(p).fill(0), cross: new Array<number>((p * (p + 1)) / 2).fill(0) };
}

export function addItemRow(m: ItemMoments, row: readonly (number | null | undefined)[]): void {
  if (row.some((v) => v === null || v === undefined || !Number.isFinite(v))) {
    m.incomplete++;
    return;
  }
  const p = m.items.length;
  m.n++;
  let k = 0;
  for (let i = 0; i < p; i++) {
    const x = row[i]!;
    m.sums[i]! += x;
    for (let j = i; j < p; j++) m.cross[k++]! += x * row[j]!;
  }
}

export function mergeItemMoments(a: ItemMoments, b: ItemMoments): ItemMoments {
  if (a.items.join('\u0000') !== b.items.join('\u0000')) throw new Error('item moments with different items cannot be merged');
  return {
    items: [...a.items],
    n: a.n + b.n,
    incomplete: a.incomplete + b.incomplete,
    sums: a.sums.map((v, i) => v + b.sums[i]!),
    cross: a.cross.map((v, i) => v + b.cross[i]!),
  };
}


export const copyItemMoments = (m: ItemMoments): ItemMoments => ({ items: [...m.items], n: m.n, incomplete: m.incomplete, sums: [...m.sums], cross: [...m.cross] });

/** Means and population covariance (divisor n) of the complete rows; n must be > 0. */
export function itemCovariance(m: ItemMoments): { means: number[]; cov: number[][] } {
  const p = m.items.length;
  const means = m.sums.map((s) => s / m.n);
  const cov = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (__, j) => (m.cross[packedIndex(i, j, p)]! - (m.sums[i]! * m.sums[j]!) / m.n) / m.n));
  return { means, cov };
}


/** Item moments by id (an element, a driver model). */
export type MomentsRecord = Record<string, ItemMoments>;
export const mergeMomentsRecord = (a: MomentsRecord, b: MomentsRecord): MomentsRecord => {
  const result: MomentsRecord = {};
  for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const mine = a[id];
    const theirs = b[id];
    result[id] = mine && theirs ? mergeItemMoments(mine, theirs) : copyItemMoments((mine ?? theirs)!);
  }
  return result;
};
export const copyMomentsRecord = (json: unknown): MomentsRecord => Object.fromEntries(Object.entries((json ?? {}) as MomentsRecord).map(([id, m]) => [id, copyItemMoments(m)]));
