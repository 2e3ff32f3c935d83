import { describe, expect, it } from 'vitest';
import { applyMinimumN, minimumNSchema, withholdingReason } from '../../functions/domain/stats/small-samples';

describe('small-sample withholding', () => {
  it('withholds below the minimum (default 10) and shows from it on', () => {
    expect(withholdingReason(9)).toMatch(/^withheld: fewer than 10 responses/);
    expect(withholdingReason(10)).toBeNull();
    expect(withholdingReason(4, 5)).toMatch(/fewer than 5 responses/);
    expect(withholdingReason(5, 5)).toBeNull();
  });

  it('does not reveal the count and does not compute a withheld figure', () => {
    let computed = false;
    const decision = applyMinimumN(3, () => {
      computed = true;
      return 87.5;
    });
    expect(decision.withheld).toBe(true);
    expect(computed).toBe(false);
    // The same text for every n below the minimum: the count itself is not disclosed.
    expect(decision).toEqual({ withheld: true, reason: withholdingReason(7) });
    expect(applyMinimumN(12, () => 87.5)).toEqual({ withheld: false, value: 87.5 });
  });

  it('validates the configured minimum', () => {
    expect(minimumNSchema.parse(undefined)).toBe(10);
    expect(minimumNSchema.parse(30)).toBe(30);
    expect(minimumNSchema.safeParse(0).success).toBe(false);
    expect(minimumNSchema.safeParse(2.5).success).toBe(false);
  });
});
