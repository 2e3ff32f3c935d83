/**
 * Item moments: counts, sums and cross-products of complete rows, plain JSON, merged exactly.
 * The accumulators of the drivers and reliability analyses; every entry is an integer when the
 * values are, so merging is exact whatever the grouping of the responses.
 *
 * Integer entries never overflow: an entry is a number while it is a safe integer (|x| <= 2^53 - 1,
 * which DynamoDB stores exactly) and the decimal digits of a BigInt beyond that. The tree's node
 * values reach their denominators (up to 10^6), so a cross-product reaches 10^12 and a sum of them
 * passes 2^53 after about 9,000 responses; with this, any n (10^8 and beyond) stays exact.
 */

/** An integer sum kept exactly: a number while it is a safe integer, else its decimal digits. */
export type ExactSum = number | string;

const isSafeInteger = (x: ExactSum): x is number => typeof x === 'number' && Number.isSafeInteger(x);

const exactOf = (value: bigint): ExactSum => {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
};

/**
 * a + b, exactly where both are integers. The float sum of two safe integers is exact when it is
 * at most 2^53 - 1 in magnitude, and rounds to at least 2^53 otherwise: the check is enough.
 * Non-integer values (a plan whose values are plain scores) add as floats, as they always did.
 */
export function plusExact(a: ExactSum, b: ExactSum): ExactSum {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Math.abs(sum) <= Number.MAX_SAFE_INTEGER || !Number.isInteger(a) || !Number.isInteger(b)) return sum;
  } else if ((typeof a === 'number' && !Number.isInteger(a)) || (typeof b === 'number' && !Number.isInteger(b))) {
    return Number(a) + Number(b);
  }
  return exactOf(BigInt(a) + BigInt(b));
}

/** x y, exactly where both are integers (the same argument as plusExact). */
function timesExact(x: number, y: number): ExactSum {
  const product = x * y;
  return Math.abs(product) <= Number.MAX_SAFE_INTEGER || !Number.isInteger(x) || !Number.isInteger(y) ? product : exactOf(BigInt(x) * BigInt(y));
}

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
  sums: ExactSum[];
  /** Packed upper triangle, with the diagonal, of sum x_i x_j. */
  cross: ExactSum[];
}

export function emptyItemMoments(items: readonly string[]): ItemMoments {
  const p = items.length;
  return { items: [...items], n: 0, incomplete: 0, sums: new Array<ExactSum>(p).fill(0), cross: new Array<ExactSum>((p * (p + 1)) / 2).fill(0) };
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
    m.sums[i] = plusExact(m.sums[i]!, x);
    for (let j = i; j < p; j++, k++) m.cross[k] = plusExact(m.cross[k]!, timesExact(x, row[j]!));
  }
}

export function mergeItemMoments(a: ItemMoments, b: ItemMoments): ItemMoments {
  if (a.items.join('\u0000') !== b.items.join('\u0000')) throw new Error('item moments with different items cannot be merged');
  return {
    items: [...a.items],
    n: a.n + b.n,
    incomplete: a.incomplete + b.incomplete,
    sums: a.sums.map((v, i) => plusExact(v, b.sums[i]!)),
    cross: a.cross.map((v, i) => plusExact(v, b.cross[i]!)),
  };
}


export const copyItemMoments = (m: ItemMoments): ItemMoments => ({ items: [...m.items], n: m.n, incomplete: m.incomplete, sums: [...m.sums], cross: [...m.cross] });

/**
 * (cross - s_i s_j / n) / n. Beyond safe integers it is computed as (n cross - s_i s_j) / n^2 with
 * an exact numerator, so the cancellation loses nothing; within them, as it always was.
 */
function covarianceEntry(cross: ExactSum, si: ExactSum, sj: ExactSum, n: number): number {
  if (typeof cross === 'number' && typeof si === 'number' && typeof sj === 'number') {
    // Plain scores (floats throughout), or integers whose product is still exact.
    const exactIntegers = isSafeInteger(cross) && isSafeInteger(si) && isSafeInteger(sj);
    if (!exactIntegers || Number.isSafeInteger(si * sj)) return (cross - (si * sj) / n) / n;
  }
  return Number(BigInt(n) * BigInt(cross) - BigInt(si) * BigInt(sj)) / (n * n);
}

/** Means and population covariance (divisor n) of the complete rows; n must be > 0. */
export function itemCovariance(m: ItemMoments): { means: number[]; cov: number[][] } {
  const p = m.items.length;
  const means = m.sums.map((s) => Number(s) / m.n);
  const cov = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (__, j) => covarianceEntry(m.cross[packedIndex(i, j, p)]!, m.sums[i]!, m.sums[j]!, m.n)));
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
