/**
 * Item moments stay exact integers at any n up to 10^8 and beyond, with the largest node values
 * a questionnaire the validator accepts can produce, and merge exactly whatever the grouping.
 */
import { describe, expect, it } from 'vitest';
import { addItemRow, emptyItemMoments, itemCovariance, mergeItemMoments, plusExact, type ItemMoments } from '../../functions/domain/stats/moments';
import { driversAnalysis } from '../../functions/app/analyses/drivers';
import { statisticsPlan } from '../../functions/app/analyses/statistics-plan';
import { validateQuestionnaire, type Questionnaire } from '../../functions/domain/questionnaire';
import { unstorableNumbers } from '../../functions/domain/storable-numbers';
import type { ResponseRecord } from '../../functions/domain/records';

/** 2^k copies of `m`, by merging it with itself k times (n = 2^27 is 134 million rows). */
function doubled(m: ItemMoments, k: number): ItemMoments {
  let result = m;
  for (let i = 0; i < k; i++) result = mergeItemMoments(result, JSON.parse(JSON.stringify(result)) as ItemMoments);
  return result;
}

describe('exact integer sums', () => {
  it('adds exactly on both sides of 2^53', () => {
    expect(plusExact(Number.MAX_SAFE_INTEGER - 1, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(plusExact(Number.MAX_SAFE_INTEGER, 1)).toBe('9007199254740992');
    expect(plusExact(Number.MAX_SAFE_INTEGER, 2)).toBe('9007199254740993'); // a float would say ...992
    expect(plusExact('9007199254740993', -2)).toBe(Number.MAX_SAFE_INTEGER);
    expect(plusExact(-Number.MAX_SAFE_INTEGER, -2)).toBe('-9007199254740993');
    expect(plusExact(0.5, 0.25)).toBe(0.75); // plain scores stay floats
  });

  it('keeps the sums and cross-products of 10^8 rows of the largest values exact and storable', () => {
    // Larger than any node value (those reach their denominators, <= 10^6): one square passes 2^53.
    const big = 100_000_000;
    const m = emptyItemMoments(['a', 'b']);
    addItemRow(m, [big, big - 1]);
    addItemRow(m, [0, 1]);
    expect(m.cross[0]).toBe('10000000000000000'); // one square already passes 2^53
    const many = doubled(m, 26); // 2^27 rows
    const half = 2n ** 26n;
    const exact = (value: bigint) => (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString());
    expect(many.n).toBe(2 ** 27);
    expect(many.sums).toEqual([exact(BigInt(big) * half), exact(BigInt(big) * half)]);
    expect(many.cross).toEqual([exact(BigInt(big) ** 2n * half), exact(BigInt(big) * BigInt(big - 1) * half), exact((BigInt(big - 1) ** 2n + 1n) * half)]);
    expect(typeof many.cross[0]).toBe('string');
    expect(unstorableNumbers(many)).toEqual([]);
    // Two rows repeated: the covariance is that of the two rows (population divisor).
    const { means, cov } = itemCovariance(many);
    expect(means).toEqual([big / 2, big / 2]);
    expect(cov[0]![0]).toBeCloseTo((big / 2) ** 2, 0);
    expect(cov[0]![1]).toBeCloseTo((big / 2) * ((big - 2) / 2), 0);
    expect(cov[1]![1]).toBeCloseTo(((big - 2) / 2) ** 2, 0);
  });

  it('gives a zero covariance for identical rows however many', () => {
    const m = emptyItemMoments(['a', 'b']);
    addItemRow(m, [99_999_999, 12_345_678]);
    expect(itemCovariance(doubled(m, 27)).cov).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});

/**
 * Indicators of coprime sizes (7, 5, 4 questions) on a 0-100 scale: the satisfaction element's
 * denominator is 100 x lcm(1..7) x lcm(1..3) = 252,000 and the index's 504,000, still exact
 * (<= 10^6); node values reach 2.52 x 10^7.
 */
function worstShape(): Questionnaire {
  const text = (en: string) => ({ 'zh-CN': en, en });
  let next = 0;
  const indicator = (id: string, size: number) => ({ id, title: text(id), questions: Array.from({ length: size }, () => `q${++next}`) });
  const elements = [
    { id: 'quality', title: text('quality'), indicators: [indicator('quality-7', 7)] },
    { id: 'satisfaction', title: text('satisfaction'), indicators: [indicator('satisfaction-7', 7), indicator('satisfaction-5', 5), indicator('satisfaction-4', 4)] },
  ];
  const ids = elements.flatMap((e) => e.indicators.flatMap((i) => i.questions));
  const result = validateQuestionnaire({
    id: 'worst',
    version: 1,
    title: text('Worst shape'),
    languages: ['zh-CN', 'en'],
    scales: { hundred: { type: 'rating', min: 0, max: 100 } },
    index: { id: 'csi', title: text('CSI'), elements },
    questions: ids.map((id) => ({ id, type: 'rating', scale: 'hundred', text: text(id) })),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.questionnaire;
}

describe('the key-driver accumulator of the worst shape', () => {
  const q = worstShape();
  const plan = statisticsPlan(q);
  const response = (i: number, answer: (id: string) => number | undefined): ResponseRecord => ({
    responseId: `r${i}`,
    invitationId: `i${i}`,
    campaignId: 'c',
    surveyId: q.id,
    version: 1,
    orgUnitId: 'u',
    period: '2026-11',
    submittedAt: '2026-11-10T00:00:00Z',
    lang: 'en',
    answers: Object.fromEntries(plan.questions.flatMap((info) => {
      const value = answer(info.id);
      return value === undefined ? [] : [[info.id, value]];
    })),
  });
  // Extreme answers: all 100, all 0, and every question but one answered 100 (odd numerators).
  const rows = [response(0, () => 100), response(1, () => 0), response(2, (id) => (id === 'q1' ? undefined : 100)), response(3, (id) => (Number(id.slice(1)) % 2 === 0 ? 100 : 0))];

  it('is exact (the tree is), and stays so past 2^53', () => {
    expect(plan.exact).toBe(true);
    expect(plan.inner.get('satisfaction')!.denominator).toBe(252_000);
    expect(plan.inner.get('csi')!.denominator).toBe(504_000);
    const acc = driversAnalysis.empty(q);
    driversAnalysis.add(q, acc, rows[0]!);
    expect(JSON.stringify(driversAnalysis.serialize(acc))).not.toMatch(/"\d{16,}"/);
    let many = acc;
    for (let i = 0; i < 18; i++) many = driversAnalysis.merge(many, many); // 262,144 responses of 100s
    const json = JSON.stringify(driversAnalysis.serialize(many));
    expect(json).toMatch(/"\d{16,}"/); // entries beyond 2^53, kept as digits
    expect(unstorableNumbers(driversAnalysis.serialize(many))).toEqual([]);
  });

  it('merges exactly at 10^8 responses, and its result is finite', () => {
    const together = driversAnalysis.empty(q);
    for (const row of rows) driversAnalysis.add(q, together, row);
    const parts = rows.map((row) => {
      const acc = driversAnalysis.empty(q);
      driversAnalysis.add(q, acc, row);
      return driversAnalysis.deserialize(q, JSON.parse(JSON.stringify(driversAnalysis.serialize(acc))));
    });
    const merged = parts.reduce((a, b) => driversAnalysis.merge(a, b), driversAnalysis.empty(q));
    expect(driversAnalysis.serialize(merged)).toEqual(driversAnalysis.serialize(together));

    let many = together;
    for (let i = 0; i < 25; i++) many = driversAnalysis.merge(many, driversAnalysis.deserialize(q, JSON.parse(JSON.stringify(driversAnalysis.serialize(many)))));
    const serialized = driversAnalysis.serialize(many) as Record<string, ItemMoments>;
    expect(Object.values(serialized)[0]!.n).toBe(4 * 2 ** 25); // 134 million
    expect(unstorableNumbers(serialized)).toEqual([]);
    // The same four rows repeated: every covariance equals the four rows' own.
    const own = itemCovariance(Object.values(driversAnalysis.serialize(together) as Record<string, ItemMoments>)[0]!);
    const scaled = itemCovariance(Object.values(serialized)[0]!);
    expect(scaled.means).toEqual(own.means);
    scaled.cov.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(own.cov[i]![j]!, 6)));
  });
});
