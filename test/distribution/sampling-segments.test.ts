import { describe, expect, it } from 'vitest';
import { OrgTree } from '../../functions/domain/org';
import { drawSample, seedNumber } from '../../functions/domain/distribution/sampling';
import { matchesSegment, segmentSchema } from '../../functions/domain/distribution/segments';

describe('drawSample (mystery customers)', () => {
  const customers = Array.from({ length: 20 }, (_, i) => `c${i + 1}`);

  it('draws the same sample for the same seed, on every machine', () => {
    const sample = drawSample(customers, 5, '2026-05 project-7');
    expect(sample).toEqual(drawSample(customers, 5, '2026-05 project-7'));
    // Pinned: a change of generator or algorithm would change published draws.
    expect(sample).toEqual(PINNED_STRING_SEED);
    expect(drawSample(customers, 5, 42)).toEqual(PINNED_NUMBER_SEED);
    expect(drawSample(customers, 5, 43)).not.toEqual(drawSample(customers, 5, 42));
    expect(seedNumber('abc')).toBe(seedNumber('abc'));
    expect(seedNumber('abc')).not.toBe(seedNumber('abd'));
  });

  it('draws distinct items without replacement and leaves the input alone', () => {
    const copy = [...customers];
    const sample = drawSample(customers, 12, 'x');
    expect(new Set(sample).size).toBe(12);
    expect(sample.every((c) => customers.includes(c))).toBe(true);
    expect(customers).toEqual(copy);
  });

  it('returns everyone when the size reaches the population, nobody for size 0', () => {
    expect(drawSample(customers, 20, 1)).toEqual(customers);
    expect(drawSample(customers, 99, 1)).toEqual(customers);
    expect(drawSample(customers, 0, 1)).toEqual([]);
    expect(() => drawSample(customers, -1, 1)).toThrow(RangeError);
    expect(() => drawSample(customers, 1.5, 1)).toThrow(RangeError);
  });

  it('gives every item the same chance', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 10_000; seed += 1) {
      const [pick] = drawSample(customers.slice(0, 10), 1, seed);
      counts.set(pick!, (counts.get(pick!) ?? 0) + 1);
    }
    expect(counts.size).toBe(10);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });
});

describe('matchesSegment', () => {
  const tree = new OrgTree([
    { id: 'hq', name: 'HQ' },
    { id: 'north', name: 'North', parentId: 'hq' },
    { id: 'b1', name: 'Branch 1', parentId: 'north' },
    { id: 'b2', name: 'Branch 2', parentId: 'north' },
    { id: 'south', name: 'South', parentId: 'hq' },
    { id: 'b3', name: 'Branch 3', parentId: 'south' },
  ]);
  const contact = { orgUnitId: 'b1', grade: 'A', attributes: { vip: 'true', city: '北京', policies: 3 } };

  it('matches the org subtree', () => {
    expect(['hq', 'north', 'b1'].map((orgUnitId) => matchesSegment(contact, { orgUnitId }, tree))).toEqual([true, true, true]);
    expect(['south', 'b2', 'b3'].map((orgUnitId) => matchesSegment(contact, { orgUnitId }, tree))).toEqual([false, false, false]);
    expect(matchesSegment(contact, {}, tree)).toBe(true);
  });

  it('compares grade and attributes', () => {
    expect(matchesSegment(contact, { grade: 'A' }, tree)).toBe(true);
    expect(matchesSegment(contact, { grade: 'B' }, tree)).toBe(false);
    expect(matchesSegment(contact, { grade: ['B', 'A'] }, tree)).toBe(true);
    expect(matchesSegment({ ...contact, grade: undefined }, { grade: 'A' }, tree)).toBe(false);
    expect(matchesSegment(contact, { attributes: { vip: true, city: '北京' } }, tree)).toBe(true);
    expect(matchesSegment(contact, { attributes: { policies: '3' } }, tree)).toBe(true);
    expect(matchesSegment(contact, { attributes: { city: '上海' } }, tree)).toBe(false);
    expect(matchesSegment(contact, { attributes: { channel: 'web' } }, tree)).toBe(false);
    expect(matchesSegment(contact, { orgUnitId: 'north', grade: 'A', attributes: { vip: false } }, tree)).toBe(false);
  });

  it('validates segments', () => {
    expect(segmentSchema.parse({ orgUnitId: 'north', grade: 1, attributes: { vip: true } })).toEqual({ orgUnitId: 'north', grade: '1', attributes: { vip: true } });
    expect(segmentSchema.safeParse({ org: 'north' }).success).toBe(false);
    expect(segmentSchema.safeParse({ grade: [] }).success).toBe(false);
  });
});

const PINNED_STRING_SEED = ['c10', 'c11', 'c5', 'c8', 'c19'];
const PINNED_NUMBER_SEED = ['c4', 'c18', 'c3', 'c7', 'c13'];
