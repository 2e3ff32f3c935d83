import { describe, expect, it } from 'vitest';
import { unstorableNumbers, withStorableNumbers } from '../../functions/domain/storable-numbers';

describe('numbers DynamoDB can store', () => {
  const result = {
    n: 2,
    alpha: Number.NEGATIVE_INFINITY,
    items: [{ r: Number.NaN }, { r: 0.5 }],
    nested: { big: -11031745118975308, fine: Number.MAX_SAFE_INTEGER, text: 'Infinity', missing: null },
  };

  it('finds NaN, ±Infinity and numbers beyond ±2^53 - 1, with their paths', () => {
    expect(unstorableNumbers(result)).toEqual([
      { path: 'alpha', value: '-Infinity' },
      { path: 'items.0.r', value: 'NaN' },
      { path: 'nested.big', value: '-11031745118975308' },
    ]);
    expect(unstorableNumbers(Number.POSITIVE_INFINITY)).toEqual([{ path: '', value: 'Infinity' }]);
    expect(unstorableNumbers({ a: [1, 2.5, -3], b: 'x' })).toEqual([]);
  });

  it('replaces them by null and leaves everything else, and the input, as it was', () => {
    const { value, replaced } = withStorableNumbers(result);
    expect(value).toEqual({ n: 2, alpha: null, items: [{ r: null }, { r: 0.5 }], nested: { big: null, fine: Number.MAX_SAFE_INTEGER, text: 'Infinity', missing: null } });
    expect(replaced.map((r) => r.path)).toEqual(['alpha', 'items.0.r', 'nested.big']);
    expect(result.alpha).toBe(Number.NEGATIVE_INFINITY);
    const clean = { a: 1 };
    expect(withStorableNumbers(clean).value).toBe(clean);
  });
});
