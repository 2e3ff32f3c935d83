/**
 * Sufficient statistics of a set of questionnaire responses for PLS path modeling: the number of
 * complete responses, the sums of the items and the sums of their cross-products. Every PLS result
 * except per-respondent scores is a function of the item means and covariance matrix, and these
 * sums of two groups add up, so a region's model can be estimated from its branches' statistics.
 *
 * Missing answers: listwise deletion. A row with any missing item (null, undefined or NaN) is not
 * added; it is only counted in `incomplete`. This is the one policy under which the statistics stay
 * exactly mergeable and the estimate from statistics equals the estimate from rows.
 *
 * The sums are taken about an origin (the first complete row): sums of deviations stay small, so the
 * covariance does not lose digits to cancellation even for large means, and with integer answers and
 * an integer origin every sum is an exact integer in double precision (up to 2^53), so merging is
 * exact whatever the grouping.
 */
import { Matrix } from 'ml-matrix';
import * as z from '../zod';
import { PlsInputError } from './errors';

export const STATISTICS_FORMAT = 'manyi.pls.statistics/1';

export interface SufficientStatisticsJson {
  format: typeof STATISTICS_FORMAT;
  items: string[];
  /** Complete rows accumulated. */
  n: number;
  /** Rows skipped because an item was missing. */
  incomplete: number;
  /** The point the sums are taken about; null before the first complete row. */
  origin: number[] | null;
  /** sum over rows of (x - origin). */
  sums: number[];
  /** sum over rows of (x - origin)(x - origin)', upper triangle packed row by row. */
  crossProducts: number[];
}

/** The moments PLS needs, for a chosen list of items. */
export interface Moments {
  items: string[];
  n: number;
  means: Float64Array;
  /** Population covariance (divisor n), items x items. */
  covariance: Matrix;
}

const jsonSchema = z.object({
  format: z.literal(STATISTICS_FORMAT),
  items: z.array(z.string()),
  n: z.number().check(z.int(), z.nonnegative()),
  incomplete: z.number().check(z.int(), z.nonnegative()),
  origin: z.nullable(z.array(z.number())),
  sums: z.array(z.number()),
  crossProducts: z.array(z.number()),
});

const isMissing = (value: number | null | undefined): boolean =>
  value === null || value === undefined || Number.isNaN(value);

export class SufficientStatistics {
  readonly items: readonly string[];
  private readonly itemPosition: Map<string, number>;
  private count = 0;
  private incompleteCount = 0;
  private origin: Float64Array | null = null;
  private readonly sums: Float64Array;
  private readonly crossProducts: Float64Array;
  private readonly deviation: Float64Array;

  constructor(items: readonly string[]) {
    const position = new Map<string, number>();
    items.forEach((item, i) => {
      if (position.has(item)) throw new PlsInputError(`item ${item} is listed twice in the statistics`);
      position.set(item, i);
    });
    this.items = [...items];
    this.itemPosition = position;
    const p = items.length;
    this.sums = new Float64Array(p);
    this.crossProducts = new Float64Array((p * (p + 1)) / 2);
    this.deviation = new Float64Array(p);
  }

  /** Complete rows accumulated. */
  get n(): number {
    return this.count;
  }

  /** Rows skipped by listwise deletion. */
  get incomplete(): number {
    return this.incompleteCount;
  }

  /** Adds one response, its values in the order of `items`. Returns false (and counts the row as
   *  incomplete) when a value is missing. */
  add(row: ArrayLike<number | null | undefined>): boolean {
    const p = this.items.length;
    if (row.length !== p) throw new PlsInputError(`a row has ${row.length} values, the statistics have ${p} items`);
    for (let i = 0; i < p; i++) {
      const value = row[i];
      if (isMissing(value)) {
        this.incompleteCount++;
        return false;
      }
      if (!Number.isFinite(value)) throw new PlsInputError(`item ${this.items[i]}: ${value} is not a valid answer`);
    }
    if (this.origin === null) this.origin = Float64Array.from({ length: p }, (_, i) => row[i] as number);
    const origin = this.origin;
    const deviation = this.deviation;
    for (let i = 0; i < p; i++) {
      deviation[i] = (row[i] as number) - origin[i]!;
      this.sums[i]! += deviation[i]!;
    }
    const crossProducts = this.crossProducts;
    let k = 0;
    for (let i = 0; i < p; i++) {
      const di = deviation[i]!;
      for (let j = i; j < p; j++) crossProducts[k++]! += di * deviation[j]!;
    }
    this.count++;
    return true;
  }

  /**
   * Statistics from sums already taken (about `origin`, cross-products packed as `toJSON` has
   * them): how a PLS bootstrap resample that computed its sums in bulk becomes statistics.
   */
  static fromSums(items: readonly string[], n: number, origin: Float64Array, sums: Float64Array, crossProducts: Float64Array): SufficientStatistics {
    const statistics = new SufficientStatistics(items);
    statistics.count = n;
    statistics.origin = origin;
    statistics.sums.set(sums);
    statistics.crossProducts.set(crossProducts);
    return statistics;
  }

  /** Adds one response given by item name; items absent from the record count as missing. */
  addRecord(record: Readonly<Record<string, number | null | undefined>>): boolean {
    return this.add(this.items.map((item) => record[item]));
  }

  /** Adds another group's statistics to these (same items, in any order). */
  merge(other: SufficientStatistics): this {
    if (other.items.length !== this.items.length || other.items.some((item) => !this.itemPosition.has(item))) {
      throw new PlsInputError('statistics with different items cannot be merged');
    }
    this.incompleteCount += other.incompleteCount;
    if (other.count === 0 || other.origin === null) return this;
    const p = this.items.length;
    // other's item i is our item map[i]
    const map = other.items.map((item) => this.itemPosition.get(item)!);
    if (this.origin === null) {
      this.origin = new Float64Array(p);
      for (let i = 0; i < p; i++) this.origin[map[i]!] = other.origin[i]!;
    }
    // Move other's sums to our origin: x - a = (x - b) + (b - a).
    const shift = new Float64Array(p);
    const otherSums = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      shift[map[i]!] = other.origin[i]! - this.origin[map[i]!]!;
      otherSums[map[i]!] = other.sums[i]!;
    }
    const otherCount = other.count;
    for (let i = 0; i < p; i++) {
      for (let j = i; j < p; j++) {
        const theirs = other.crossProductAt(other.itemPosition.get(this.items[i]!)!, other.itemPosition.get(this.items[j]!)!);
        const moved =
          theirs + otherSums[i]! * shift[j]! + shift[i]! * otherSums[j]! + otherCount * shift[i]! * shift[j]!;
        this.crossProducts[packedIndex(i, j, p)]! += moved;
      }
    }
    for (let i = 0; i < p; i++) this.sums[i]! += otherSums[i]! + otherCount * shift[i]!;
    this.count += otherCount;
    return this;
  }

  clone(): SufficientStatistics {
    return SufficientStatistics.fromJSON(this.toJSON());
  }

  toJSON(): SufficientStatisticsJson {
    return {
      format: STATISTICS_FORMAT,
      items: [...this.items],
      n: this.count,
      incomplete: this.incompleteCount,
      origin: this.origin ? Array.from(this.origin) : null,
      sums: Array.from(this.sums),
      crossProducts: Array.from(this.crossProducts),
    };
  }

  static fromJSON(json: unknown): SufficientStatistics {
    const parsed = jsonSchema.safeParse(json);
    if (!parsed.success) throw new PlsInputError(`invalid PLS statistics: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
    const data = parsed.data;
    const p = data.items.length;
    if (data.sums.length !== p || data.crossProducts.length !== (p * (p + 1)) / 2 || (data.origin !== null && data.origin.length !== p)) {
      throw new PlsInputError('invalid PLS statistics: the array lengths do not match the items');
    }
    if ((data.origin === null) !== (data.n === 0)) {
      throw new PlsInputError('invalid PLS statistics: origin must be null exactly when n is 0');
    }
    const statistics = new SufficientStatistics(data.items);
    statistics.count = data.n;
    statistics.incompleteCount = data.incomplete;
    statistics.origin = data.origin ? Float64Array.from(data.origin) : null;
    statistics.sums.set(data.sums);
    statistics.crossProducts.set(data.crossProducts);
    return statistics;
  }

  /** Means and population covariance of the given items (all items by default). */
  moments(items: readonly string[] = this.items): Moments {
    const positions = items.map((item) => {
      const position = this.itemPosition.get(item);
      if (position === undefined) throw new PlsInputError(`item ${item} is not in the statistics`);
      return position;
    });
    const n = this.count;
    if (n === 0 || this.origin === null) throw new PlsInputError('there are no complete rows to estimate from');
    const p = this.items.length;
    const { origin, sums, crossProducts } = this.canonical() ?? { origin: this.origin, sums: this.sums, crossProducts: this.crossProducts };
    const means = Float64Array.from(positions, (i) => origin[i]! + sums[i]! / n);
    const covariance = new Matrix(positions.length, positions.length);
    positions.forEach((i, a) => {
      positions.forEach((j, b) => {
        const crossProduct = crossProducts[packedIndex(Math.min(i, j), Math.max(i, j), p)]!;
        covariance.set(a, b, (crossProduct - (sums[i]! * sums[j]!) / n) / n);
      });
    });
    return { items: [...items], n, means, covariance };
  }

  /**
   * The sums moved, exactly, to an origin that depends on the rows only, not on which came first:
   * the floor of each item's mean, from the exact integer total origin * n + sums. With integer
   * answers every sum is an exact integer, so the moments, and every figure estimated from them,
   * are the same bit for bit whatever the arrival order and however the rows were merged (an
   * incremental run equals a full one). Undefined when a value is not a safe integer (then the
   * sums are used about their own origin, as before).
   */
  private canonical(): { origin: Float64Array; sums: Float64Array; crossProducts: Float64Array } | undefined {
    const n = this.count;
    const p = this.items.length;
    const from = this.origin!;
    const origin = new Float64Array(p);
    const shift = new Float64Array(p);
    const sums = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      const total = from[i]! * n + this.sums[i]!;
      if (!Number.isSafeInteger(from[i]!) || !Number.isSafeInteger(this.sums[i]!) || !Number.isSafeInteger(total)) return undefined;
      origin[i] = Math.floor(total / n);
      shift[i] = from[i]! - origin[i]!;
      sums[i] = total - n * origin[i]!;
    }
    const crossProducts = new Float64Array(this.crossProducts.length);
    for (let i = 0; i < p; i++) {
      for (let j = i; j < p; j++) {
        const k = packedIndex(i, j, p);
        // (x - c) = (x - o) + (o - c): the cross-product about c from the one about o, in integers.
        const moved = this.crossProducts[k]! + shift[i]! * this.sums[j]! + shift[j]! * this.sums[i]! + n * shift[i]! * shift[j]!;
        if (!Number.isSafeInteger(this.crossProducts[k]!) || !Number.isSafeInteger(moved)) return undefined;
        crossProducts[k] = moved;
      }
    }
    return { origin, sums, crossProducts };
  }

  private crossProductAt(i: number, j: number): number {
    return this.crossProducts[packedIndex(Math.min(i, j), Math.max(i, j), this.items.length)]!;
  }
}

/** Position of (i, j), i <= j, in a p x p upper triangle packed row by row. */
function packedIndex(i: number, j: number, p: number): number {
  return i * p - (i * (i - 1)) / 2 + (j - i);
}
