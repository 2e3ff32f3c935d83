import { describe, expect, it } from 'vitest';
import { netPromoterScore, npsCounts, npsFromCounts } from '../../functions/domain/stats/nps';

describe('Net Promoter Score', () => {
  it('matches the hand computation', () => {
    // 10, 9, 9, 10, 9 promoters (p = 0.5); 8, 7 passives; 6, 5, 3 detractors (d = 0.3).
    // NPS = 50 - 30 = 20; se = 100 sqrt((0.5 + 0.3 - 0.2^2) / 10) = 100 sqrt(0.076) = 27.5681;
    // 95%: 20 -/+ 1.959964 x 27.5681 = [-34.0325, 74.0325].
    const result = netPromoterScore([10, 9, 9, 8, 7, 6, 5, 10, 3, 9]);
    expect(result).toMatchObject({ n: 10, promoters: 5, passives: 2, detractors: 3, promoterShare: 0.5, detractorShare: 0.3 });
    expect(result.nps).toBeCloseTo(20, 12);
    expect(result.standardError).toBeCloseTo(100 * Math.sqrt(0.076), 10);
    expect(result.lower).toBeCloseTo(-34.0325, 4);
    expect(result.upper).toBeCloseTo(74.0325, 4);
  });

  it('uses the 0-6 / 7-8 / 9-10 boundaries', () => {
    expect(npsCounts([0, 6, 7, 8, 9, 10])).toEqual({ promoters: 2, passives: 2, detractors: 2 });
  });

  it('clamps the interval to -100..100 and has no spread when everyone promotes', () => {
    const all = npsFromCounts({ promoters: 12, passives: 0, detractors: 0 });
    expect(all).toMatchObject({ nps: 100, standardError: 0, lower: 100, upper: 100 });
    const mostly = npsFromCounts({ promoters: 9, passives: 0, detractors: 1 });
    expect(mostly.upper).toBe(100);
  });

  it('rejects answers off the 0-10 scale', () => {
    expect(() => netPromoterScore([9, 11])).toThrow('answer 2 = 11 is not an integer from 0 to 10');
    expect(() => netPromoterScore([8.5])).toThrow('answer 1 = 8.5');
    expect(() => netPromoterScore([])).toThrow('at least one answer');
  });
});
