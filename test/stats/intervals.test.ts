import { describe, expect, it } from 'vitest';
import { meanConfidenceInterval, topBoxCount, topBoxInterval, wilsonInterval } from '../../functions/domain/stats/intervals';

describe('t confidence interval of a mean', () => {
  it('matches the hand computation', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, sd = sqrt(32/7) = 2.138090 (divisor n-1);
    // t(0.975, 7) = 2.364624 (t tables; scipy.stats.t.ppf(0.975, 7)); half-width
    // 2.364624 x 2.138090 / sqrt 8 = 1.787488 -> [3.212512, 6.787488] (= scipy.stats.t.interval).
    const result = meanConfidenceInterval([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(result.n).toBe(8);
    expect(result.mean).toBe(5);
    expect(result.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(result.lower).toBeCloseTo(3.212512, 6);
    expect(result.upper).toBeCloseTo(6.787488, 6);
    expect(result.level).toBe(0.95);
  });

  it('has no interval for a single value', () => {
    expect(meanConfidenceInterval([4])).toEqual({ n: 1, mean: 4, sd: null, lower: null, upper: null, level: 0.95 });
    expect(() => meanConfidenceInterval([])).toThrow('at least one value');
  });
});

describe('Wilson score interval', () => {
  // R. G. Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison
  // of seven methods", Statistics in Medicine 17, 857-872, Table II, method 3 (score, no
  // continuity correction): 81/263 -> 0.2553, 0.3662; 15/148 -> 0.0624, 0.1605;
  // 0/20 -> 0, 0.1611; 1/29 -> 0.0061, 0.1718.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i -> [%f, %f]', (successes, n, lower, upper) => {
    const result = wilsonInterval(successes, n);
    expect(result.proportion).toBe(successes / n);
    expect(result.lower).toBeCloseTo(lower, 4);
    expect(result.upper).toBeCloseTo(upper, 4);
  });

  it('reaches exactly 1 at 100% and mirrors the interval of 0%', () => {
    const all = wilsonInterval(20, 20);
    expect(all.upper).toBe(1);
    expect(all.lower).toBeCloseTo(1 - 0.1611, 4);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(1, 0)).toThrow('n >= 1');
    expect(() => wilsonInterval(5, 4)).toThrow('5 successes is not between 0 and n = 4');
  });
});

describe('top-2-box', () => {
  it('counts the two highest scale points', () => {
    expect(topBoxCount([5, 4, 3, 2, 1, 4], { min: 1, max: 5 })).toEqual({ successes: 3, n: 6 });
    expect(topBoxCount([10, 9, 8], { min: 0, max: 10 }, 3)).toEqual({ successes: 3, n: 3 });
    expect(topBoxInterval([5, 4, 3, 2, 1, 4], { min: 1, max: 5 }).proportion).toBe(0.5);
    expect(() => topBoxCount([6], { min: 1, max: 5 })).toThrow('answer 1 = 6 is outside the scale 1..5');
  });
});
