/**
 * The sufficient-statistics accumulator: exact merging, JSON round trip, estimation from merged
 * statistics equal to estimation from the raw rows, and the missing-answer policy (listwise deletion).
 */
import { describe, expect, it } from 'vitest';
import {
  estimatePls,
  PlsInputError,
  seededRandom,
  SufficientStatistics,
  type PlsResult,
} from '../../functions/domain/pls';
import { satisfactionData, satisfactionItems, satisfactionModel } from './helpers';

const data = satisfactionData();

const accumulate = (rows: readonly (readonly (number | null)[])[], items: readonly string[] = satisfactionItems) => {
  const statistics = new SufficientStatistics(items);
  for (const row of rows) statistics.add(row);
  return statistics;
};

/** Weights, paths, R2 and index of two estimates agree to `tolerance` (0: bit for bit). */
function expectSameEstimate(actual: PlsResult, expected: PlsResult, tolerance: number): void {
  const pairs: [string, number, number][] = [
    ...Object.entries(expected.weights).map(([k, v]): [string, number, number] => [`weight ${k}`, actual.weights[k]!, v]),
    ...Object.entries(expected.paths).map(([k, v]): [string, number, number] => [`path ${k}`, actual.paths[k]!, v]),
    ...Object.entries(expected.r2).map(([k, v]): [string, number, number] => [`r2 ${k}`, actual.r2[k]!, v]),
    ...Object.entries(expected.loadings).map(([k, v]): [string, number, number] => [`loading ${k}`, actual.loadings[k]!, v]),
    ...Object.entries(expected.index ?? {}).map(([k, v]): [string, number, number] => [
      `index ${k}`,
      actual.index?.[k]?.defined ? actual.index[k].value : Number.NaN,
      v.defined ? v.value : Number.NaN,
    ]),
  ];
  expect(pairs.length).toBeGreaterThan(40);
  for (const [label, a, e] of pairs) {
    if (tolerance === 0) expect(a, label).toBe(e);
    else expect(Math.abs(a - e), label).toBeLessThanOrEqual(tolerance);
  }
}

describe('SufficientStatistics', () => {
  it('gives the means and population covariance of the rows', () => {
    const statistics = accumulate([
      [1, 2],
      [3, 5],
      [5, 11],
    ], ['a', 'b']);
    const moments = statistics.moments();
    expect(moments.n).toBe(3);
    expect(Array.from(moments.means)).toEqual([3, 6]);
    // population covariance: var(a) = 8/3, var(b) = 42/3, cov = 18/3
    expect(moments.covariance.to2DArray()).toEqual([
      [8 / 3, 6],
      [6, 14],
    ]);
  });

  it('merges exactly: two groups merged equal the accumulation of all their rows', () => {
    const male = data.rows.filter((_, r) => data.gender[r] === 'male');
    const female = data.rows.filter((_, r) => data.gender[r] === 'female');
    expect(male.length + female.length).toBe(250);
    const merged = accumulate(male).merge(accumulate(female));
    expect(merged.toJSON()).toEqual(accumulate([...male, ...female]).toJSON());
  });

  it('merges groups with different origins and item orders without changing the moments', () => {
    const random = seededRandom(11);
    const groups: number[][][] = [[], [], []];
    for (const row of data.rows) groups[Math.floor(random() * 3)]!.push(row);
    const reversedItems = [...satisfactionItems].reverse();
    const third = accumulate(groups[2]!.map((row) => [...row].reverse()), reversedItems);
    const merged = accumulate(groups[1]!).merge(third).merge(accumulate(groups[0]!));
    const whole = accumulate(data.rows);
    const a = merged.moments();
    const b = whole.moments();
    expect(a.n).toBe(250);
    // integer answers: every sum is exact, only the final divisions round
    for (let i = 0; i < satisfactionItems.length; i++) {
      expect(Math.abs(a.means[i]! - b.means[i]!)).toBeLessThan(1e-14);
      for (let j = 0; j < satisfactionItems.length; j++) {
        expect(Math.abs(a.covariance.get(i, j) - b.covariance.get(i, j))).toBeLessThan(1e-13);
      }
    }
  });

  it('estimates from merged statistics exactly what it estimates from the raw rows', () => {
    const male = data.rows.filter((_, r) => data.gender[r] === 'male');
    const female = data.rows.filter((_, r) => data.gender[r] === 'female');
    const ordered = [...male, ...female];
    const merged = accumulate(male).merge(accumulate(female));
    const fromStatistics = estimatePls({ ...satisfactionModel, statistics: merged });
    const fromRows = estimatePls({ ...satisfactionModel, columns: data.columns, rows: ordered });
    expectSameEstimate(fromStatistics, fromRows, 0);
    // and from any grouping, to rounding
    const random = seededRandom(5);
    const groups: number[][][] = [[], [], [], []];
    for (const row of data.rows) groups[Math.floor(random() * 4)]!.push(row);
    const regrouped = groups.map((rows) => accumulate(rows)).reduce((total, next) => total.merge(next));
    expectSameEstimate(estimatePls({ ...satisfactionModel, statistics: regrouped }), fromRows, 1e-12);
  });

  it('survives a JSON round trip (as stored in DynamoDB)', () => {
    const statistics = accumulate(data.rows.slice(0, 100));
    statistics.add([null, ...data.rows[0]!.slice(1)]);
    const restored = SufficientStatistics.fromJSON(JSON.parse(JSON.stringify(statistics)));
    expect(restored.toJSON()).toEqual(statistics.toJSON());
    expect(restored.n).toBe(100);
    expect(restored.incomplete).toBe(1);
    restored.merge(accumulate(data.rows.slice(100)));
    expect(restored.moments().covariance.to2DArray()).toEqual(accumulate(data.rows).moments().covariance.to2DArray());
  });

  it('rejects malformed JSON and mismatched merges', () => {
    expect(() => SufficientStatistics.fromJSON({ format: 'other' })).toThrow(PlsInputError);
    const json = accumulate(data.rows.slice(0, 3)).toJSON();
    expect(() => SufficientStatistics.fromJSON({ ...json, sums: [1, 2] })).toThrow(/lengths/);
    expect(() => accumulate([], ['a']).merge(accumulate([], ['b']))).toThrow(/different items/);
  });

  it('estimates from statistics that hold more items than the model uses', () => {
    const extended = new SufficientStatistics([...satisfactionItems, 'extra']);
    data.rows.forEach((row, r) => extended.add([...row, r % 7]));
    const fromRows = estimatePls({ ...satisfactionModel, columns: data.columns, rows: data.rows });
    expectSameEstimate(estimatePls({ ...satisfactionModel, statistics: extended }), fromRows, 1e-13);
  });

  it('names an item the statistics lack', () => {
    const statistics = accumulate(data.rows.map((row) => row.slice(0, 26)), satisfactionItems.slice(0, 26));
    expect(() => estimatePls({ ...satisfactionModel, statistics })).toThrow('item loy4 is not in the statistics');
  });
});

describe('missing answers: listwise deletion', () => {
  const random = seededRandom(2024);
  const holed = data.rows.map((row) => [...row] as (number | null)[]);
  const blanked = new Set<number>();
  while (blanked.size < 20) {
    const r = Math.floor(random() * holed.length);
    holed[r]![Math.floor(random() * satisfactionItems.length)] = r % 2 === 0 ? null : Number.NaN;
    blanked.add(r);
  }
  const complete = data.rows.filter((_, r) => !blanked.has(r));

  it('leaves out every row with a missing item and counts it', () => {
    const result = estimatePls({ ...satisfactionModel, columns: data.columns, rows: holed });
    expect(result.n).toBe(230);
    expect(result.incompleteRows).toBe(20);
    expectSameEstimate(result, estimatePls({ ...satisfactionModel, columns: data.columns, rows: complete }), 0);
  });

  it('gives a null score to a left-out row and a score to every other', () => {
    const result = estimatePls({ ...satisfactionModel, columns: data.columns, rows: holed });
    result.scores!.forEach((score, r) => expect(score === null).toBe(blanked.has(r)));
  });

  it('is the same policy in the accumulator (statistics equal rows)', () => {
    const statistics = new SufficientStatistics(satisfactionItems);
    const added = holed.map((row) => statistics.add(row));
    expect(added.filter((ok) => !ok)).toHaveLength(20);
    expect(statistics.incomplete).toBe(20);
    expectSameEstimate(
      estimatePls({ ...satisfactionModel, statistics }),
      estimatePls({ ...satisfactionModel, columns: data.columns, rows: holed }),
      0,
    );
  });

  it('ignores missing values in columns outside the model', () => {
    const columns = [...data.columns, 'note'];
    const rows = data.rows.map((row, r) => [...row, r % 3 === 0 ? null : 1]);
    expect(estimatePls({ ...satisfactionModel, columns, rows }).n).toBe(250);
  });

  it('reports an infinite value instead of treating it as missing', () => {
    const rows = data.rows.map((row) => [...row]);
    rows[3]![2] = Number.POSITIVE_INFINITY;
    expect(() => estimatePls({ ...satisfactionModel, columns: data.columns, rows })).toThrow('item imag3: Infinity is not a valid answer');
  });
});
