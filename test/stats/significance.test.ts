import { describe, expect, it } from 'vitest';
import { npsFromCounts } from '../../functions/domain/stats/nps';
import {
  bootstrapZTest,
  complementSummary,
  npsDifferenceTest,
  summarize,
  twoProportionZTest,
  welchTTest,
} from '../../functions/domain/stats/significance';

describe("Welch's t-test", () => {
  // Student's sleep data (Cushny & Peebles), R's `sleep` data set. R's documented example
  // t.test(extra ~ group, data = sleep) prints: t = -1.8608, df = 17.776, p-value = 0.07939;
  // scipy.stats.ttest_ind(g1, g2, equal_var=False) gives t = -1.860813, p = 0.079394, df = 17.776474.
  const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

  it('matches R and scipy on the sleep data', () => {
    const result = welchTTest(group1, group2);
    expect(result.test).toBe('Welch t-test');
    expect(result.difference).toBeCloseTo(0.75 - 2.33, 12);
    expect(result.statistic).toBeCloseTo(-1.860813, 6);
    expect(result.df).toBeCloseTo(17.776474, 6);
    expect(result.p).toBeCloseTo(0.079394, 6);
    expect(result.significant).toBe(false);
  });

  it('gives the same result from summaries, and is symmetric', () => {
    const fromSummaries = welchTTest(summarize(group1), summarize(group2));
    expect(fromSummaries.statistic).toBeCloseTo(-1.860813, 6);
    const reversed = welchTTest(group2, group1);
    expect(reversed.statistic).toBeCloseTo(1.860813, 6);
    expect(reversed.p).toBeCloseTo(0.079394, 6);
  });

  it('marks a significant change at 0.05', () => {
    // Hand computation: means 80 and 70, sd 10 and 12, n 50 and 60:
    // se = sqrt(100/50 + 144/60) = sqrt(4.4) = 2.097618, t = 4.767313,
    // df = 4.4^2 / (2^2/49 + 2.4^2/59) = 19.36 / (0.0816327 + 0.0976271) = 107.9997.
    const result = welchTTest({ n: 50, mean: 80, sd: 10 }, { n: 60, mean: 70, sd: 12 });
    expect(result.standardError).toBeCloseTo(Math.sqrt(4.4), 12);
    expect(result.statistic).toBeCloseTo(10 / Math.sqrt(4.4), 12);
    expect(result.df).toBeCloseTo(19.36 / (4 / 49 + 5.76 / 59), 9);
    expect(result.p).toBeLessThan(1e-5);
    expect(result.significant).toBe(true);
  });

  it('handles samples without spread', () => {
    expect(welchTTest([3, 3, 3], [3, 3])).toMatchObject({ p: 1, significant: false, statistic: 0 });
    expect(welchTTest([4, 4, 4], [3, 3])).toMatchObject({ p: 0, significant: true });
    expect(() => welchTTest([1], [1, 2])).toThrow('at least 2 values');
  });
});

describe('comparing a unit with the rest of its parent', () => {
  it('recovers the rest of the parent from the summaries', () => {
    const unit = [4, 5, 3, 5];
    const rest = [2, 3, 4, 1, 5, 3];
    const whole = summarize([...unit, ...rest]);
    const recovered = complementSummary(whole, summarize(unit));
    const direct = summarize(rest);
    expect(recovered.n).toBe(6);
    expect(recovered.mean).toBeCloseTo(direct.mean, 12);
    expect(recovered.sd).toBeCloseTo(direct.sd, 12);
  });
});

describe('two-proportion z-test', () => {
  it('matches the hand computation (pooled standard error)', () => {
    // 45/100 vs 30/100: pooled p = 75/200 = 0.375, se = sqrt(0.375 x 0.625 x (1/100 + 1/100))
    // = 0.0684653, z = 0.15 / se = 2.190890; two-sided p = erfc(z / sqrt 2) = 0.028460
    // (R: prop.test(c(45, 30), c(100, 100), correct = FALSE) X-squared = z^2 = 4.8, p = 0.02846).
    const result = twoProportionZTest({ successes: 45, n: 100 }, { successes: 30, n: 100 });
    expect(result.test).toBe('two-proportion z-test');
    expect(result.statistic).toBeCloseTo(2.19089, 5);
    expect(result.statistic ** 2).toBeCloseTo(4.8, 10);
    expect(result.p).toBeCloseTo(0.02846, 5);
    expect(result.df).toBeNull();
    expect(result.significant).toBe(true);
  });

  it('finds no difference between two samples that are all successes', () => {
    expect(twoProportionZTest({ successes: 5, n: 5 }, { successes: 8, n: 8 })).toMatchObject({ p: 1, significant: false });
    expect(() => twoProportionZTest({ successes: 6, n: 5 }, { successes: 1, n: 2 })).toThrow('sample a: 6 of 5');
  });
});

describe('NPS difference z-test', () => {
  it('matches the hand computation (unpooled standard errors)', () => {
    // a: 50 P, 30 passive, 20 D of 100: NPS 30, se^2 = (0.7 - 0.09)/100 x 100^2 = 61;
    // b: 40 P, 30 passive, 30 D of 100: NPS 10, se^2 = (0.7 - 0.01)/100 x 100^2 = 69;
    // z = 20 / sqrt(130) = 1.754116, two-sided p = erfc(z / sqrt 2) = 0.079411.
    const a = npsFromCounts({ promoters: 50, passives: 30, detractors: 20 });
    const b = npsFromCounts({ promoters: 40, passives: 30, detractors: 30 });
    const result = npsDifferenceTest(a, b);
    expect(result.test).toBe('NPS difference z-test');
    expect(result.difference).toBeCloseTo(20, 10);
    expect(result.standardError).toBeCloseTo(Math.sqrt(130), 10);
    expect(result.statistic).toBeCloseTo(20 / Math.sqrt(130), 10);
    expect(result.p).toBeCloseTo(0.079411, 5);
    expect(result.significant).toBe(false);
  });
});

describe('bootstrap z-test', () => {
  it('tests the difference on the root sum of the squared standard errors, two-sided', () => {
    // 74.2 (se 0.8) against 71.0 (se 0.6): z = 3.2 / 1 = 3.2, p = 2 (1 - Phi(3.2)) = 0.001374...
    const test = bootstrapZTest({ estimate: 74.2, standardError: 0.8 }, { estimate: 71, standardError: 0.6 });
    expect(test.test).toBe('bootstrap z-test');
    expect(test.difference).toBeCloseTo(3.2, 12);
    expect(test.standardError).toBeCloseTo(1, 12);
    expect(test.statistic).toBeCloseTo(3.2, 12);
    expect(test.p).toBeCloseTo(0.0013742758758316, 9); // R: 2 * pnorm(-3.2)
    expect(test.significant).toBe(true);
    const close = bootstrapZTest({ estimate: 71.5, standardError: 0.8 }, { estimate: 71, standardError: 0.6 });
    expect(close.p).toBeCloseTo(0.6170750774519738, 9); // R: 2 * pnorm(-0.5)
    expect(close.significant).toBe(false);
    expect(() => bootstrapZTest({ estimate: Number.NaN, standardError: 1 }, { estimate: 1, standardError: 1 })).toThrow(/finite/);
  });
});
