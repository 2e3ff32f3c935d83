import { describe, expect, it } from 'vitest';
import { emptyMoments, mergeMoments, momentsOf } from '../../functions/domain/gaps/moments';
import { pairedTTest, pairedTTestFromMoments } from '../../functions/domain/gaps/paired-t';

// R's `sleep` data (Student 1908): extra hours of sleep under two drugs, the same ten patients.
const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('paired t-test', () => {
  it("matches R's t.test(extra ~ group, data = sleep, paired = TRUE)", () => {
    // R: t = -4.0621, df = 9, p-value = 0.002833; 95 percent CI -2.4598858 -0.7001142;
    // mean difference -1.58 (scipy.stats.ttest_rel(drug1, drug2) gives the same).
    const test = pairedTTest(drug1, drug2);
    expect(test.n).toBe(10);
    expect(test.meanDifference).toBeCloseTo(-1.58, 12);
    expect(test.t).toBeCloseTo(-4.0621, 4);
    expect(test.df).toBe(9);
    expect(test.p).toBeCloseTo(0.002833, 6);
    expect(test.ci95?.[0]).toBeCloseTo(-2.4598858, 7);
    expect(test.ci95?.[1]).toBeCloseTo(-0.7001142, 7);
  });

  it('gives the scipy result of a small example computed by hand', () => {
    // P = 5, 6, 6, 4 against E = 7, 6, 5, 7: d = -2, 0, 1, -3, mean -1, squared deviations
    // 1 + 1 + 4 + 4 = 10, sd = sqrt(10/3), se = sd / 2 = 0.9128709, t = -1.0954451 with 3 df.
    // Student's t with 3 df has a closed form: two-sided p = 1 - (2/pi) (atan x + x / (1 + x^2)),
    // x = |t| / sqrt(3) = sqrt(0.4): p = 0.3533874663. t(0.975, 3) = 3.1824463 gives the interval
    // -1 -/+ 2.9051627. scipy.stats.ttest_rel([5,6,6,4], [7,6,5,7]): t -1.0954451150103324,
    // p 0.35338746628869777, CI (-3.905162715754765, 1.905162715754765).
    const test = pairedTTest([5, 6, 6, 4], [7, 6, 5, 7]);
    expect(test.t).toBeCloseTo(-1.0954451150103324, 12);
    expect(test.p).toBeCloseTo(0.35338746628869777, 9);
    expect(test.ci95?.[0]).toBeCloseTo(-3.905162715754765, 8);
    expect(test.ci95?.[1]).toBeCloseTo(1.905162715754765, 8);
  });

  it('works from merged moments exactly as from the raw differences', () => {
    const differences = drug1.map((x, i) => x - (drug2[i] as number));
    const merged = mergeMoments(momentsOf(differences.slice(0, 3)), mergeMoments(emptyMoments(), momentsOf(differences.slice(3))));
    const fromMoments = pairedTTestFromMoments(merged);
    expect(fromMoments.t).toBeCloseTo(-4.062127683382037, 10);
    expect(fromMoments.p).toBeCloseTo(0.002832890197384273, 9);
  });

  it('gives the same moments bit for bit for integer observations in any order and any merge', () => {
    // Incremental runs merge checkpointed moments with new ones: the figures must not depend on it.
    const values = [3, -1, 0, 2, -2, 1, 0, 0, 4, -3, 1, 2, -1, 0, 1];
    const reference = momentsOf(values);
    for (const [order, split] of [[[...values].reverse(), 4], [[...values].sort((a, b) => a - b), 9], [values.filter((_, i) => i % 2).concat(values.filter((_, i) => !(i % 2))), 7]] as const) {
      const merged = mergeMoments(momentsOf(order.slice(0, split)), momentsOf(order.slice(split)));
      expect([merged.n, merged.mean, merged.m2]).toEqual([reference.n, reference.mean, reference.m2]);
    }
    // A value that is not an integer drops to Welford's updates (no exactness claimed).
    expect(momentsOf([1, 2.5, 3]).exact).toBeUndefined();
  });

  it('has no t below two pairs and a degenerate p when every difference is the same', () => {
    expect(pairedTTest([5], [4])).toMatchObject({ n: 1, meanDifference: 1, t: null, p: null, ci95: null });
    // scipy gives t = inf, p = 0 for constant non-zero differences, and nan for all-zero ones.
    expect(pairedTTest([5, 6, 7], [4, 5, 6])).toMatchObject({ t: null, df: 2, p: 0, ci95: [1, 1] });
    expect(pairedTTest([5, 6], [5, 6])).toMatchObject({ t: null, p: 1, ci95: [0, 0] });
  });

  it('refuses unpaired lists', () => {
    expect(() => pairedTTest([1, 2, 3], [1, 2])).toThrow(/pairs/);
  });
});
