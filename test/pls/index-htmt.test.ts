/**
 * The 0-100 index and the HTMT ratios, against values computed here from the raw data and the
 * reference weights, independently of the engine.
 */
import { sampleCorrelation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { estimatePls, plsIndex, PlsInputError } from '../../functions/domain/pls';
import { cell, readReference, satisfactionData, satisfactionModel } from './helpers';

const data = satisfactionData();
const column = (item: string) => data.rows.map((row) => row[data.columns.indexOf(item)]!);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const lvs = Object.keys(satisfactionModel.blocks);

describe('0-100 index', () => {
  const reference = readReference('satisfaction.outer-model.csv');
  const referenceWeight = (item: string) => cell(reference.rows.find((row) => row.name === item)!, 'weight');
  const result = estimatePls({ ...satisfactionModel, columns: data.columns, rows: data.rows });

  it.each(lvs)('%s: from plspm unstandardised weights and the item means on the 0..10 scale', (lv) => {
    const items = satisfactionModel.blocks[lv]!;
    const weights = items.map(referenceWeight);
    const total = weights.reduce((a, b) => a + b, 0);
    // bounds 0..10 for every item: index = 100 * sum(w~ mean) / 10
    const expected = (100 * items.reduce((sum, item, i) => sum + (weights[i]! / total) * mean(column(item)), 0)) / 10;
    const index = result.index![lv]!;
    expect(index.defined).toBe(true);
    if (index.defined) expect(Math.abs(index.value - expected)).toBeLessThan(1e-8);
  });

  it('uses the unstandardised weights (weight / sd) when the items were standardised', () => {
    const scaled = estimatePls({ ...satisfactionModel, scaled: true, columns: data.columns, rows: data.rows });
    const items = satisfactionModel.blocks.SAT!;
    const unstandardised = items.map((item) => {
      const values = column(item);
      const sd = Math.sqrt(mean(values.map((v) => (v - mean(values)) ** 2)));
      return scaled.weights[item]! / sd;
    });
    const total = unstandardised.reduce((a, b) => a + b, 0);
    const expected = (100 * items.reduce((sum, item, i) => sum + (unstandardised[i]! / total) * mean(column(item)), 0)) / 10;
    const index = scaled.index!.SAT!;
    expect(index.defined && Math.abs(index.value - expected)).toBeLessThan(1e-9);
    // a different solution from the unscaled one, but close on this data
    expect(index.defined && Math.abs(index.value - 68.598)).toBeLessThan(0.5);
  });

  it('honours per-item scale bounds', () => {
    const value = plsIndex({
      items: ['a', 'b'],
      weights: [1, 3],
      means: [3, 50],
      bounds: { min: 1, max: 5, items: { b: { min: 0, max: 100 } } },
    });
    // (0.25*3 + 0.75*50 - (0.25*1 + 0)) / (0.25*4 + 0.75*100)
    expect(value).toEqual({ defined: true, value: (100 * (0.75 + 37.5 - 0.25)) / 76 });
  });

  it('is undefined, with the reason, when a weight is not positive', () => {
    const value = plsIndex({ items: ['a', 'b'], weights: [0.4, -0.1], means: [3, 4], bounds: { min: 1, max: 5 } });
    expect(value.defined).toBe(false);
    if (!value.defined) expect(value.reason).toMatch(/non-positive: b \(-0\.1000\)/);

    // a reverse-coded item in a reflective block gets a negative weight
    const reversed = data.rows.map((row) => [...row, 10 - row[data.columns.indexOf('imag4')]!]);
    const blocks = { ...satisfactionModel.blocks, IMAG: ['imag1', 'imag2', 'imag3', 'imag4r', 'imag5'] };
    const result = estimatePls({ ...satisfactionModel, blocks, columns: [...data.columns, 'imag4r'], rows: reversed });
    const imag = result.index!.IMAG!;
    expect(imag.defined).toBe(false);
    if (!imag.defined) expect(imag.reason).toContain('imag4r');
    expect(result.index!.SAT!.defined).toBe(true);
  });

  it('requires bounds for every item and min < max', () => {
    expect(() => plsIndex({ items: ['a'], weights: [1], means: [2], bounds: {} })).toThrow('no scale bounds for item a');
    expect(() => plsIndex({ items: ['a'], weights: [1], means: [2], bounds: { min: 5, max: 5 } })).toThrow(PlsInputError);
  });

  it('is left out when no bounds are given', () => {
    const { bounds: _, ...withoutBounds } = satisfactionModel;
    expect(estimatePls({ ...withoutBounds, columns: data.columns, rows: data.rows }).index).toBeUndefined();
  });
});

describe('HTMT', () => {
  const result = estimatePls({ ...satisfactionModel, columns: data.columns, rows: data.rows });
  const correlationOf = (a: string, b: string) => sampleCorrelation(column(a), column(b));

  it('reports every pair of latent variables in block order', () => {
    const expected = lvs.flatMap((a, i) => lvs.slice(i + 1).map((b) => `${a}|${b}`));
    expect(Object.keys(result.htmt)).toEqual(expected);
  });

  it('equals mean heterotrait / sqrt(product of mean monotrait correlations)', () => {
    const monotrait = (items: string[]) => {
      const values = items.flatMap((a, i) => items.slice(i + 1).map((b) => correlationOf(a, b)));
      return mean(values);
    };
    for (const [pair, value] of Object.entries(result.htmt)) {
      const [first, second] = pair.split('|') as [string, string];
      const a = satisfactionModel.blocks[first]!;
      const b = satisfactionModel.blocks[second]!;
      const heterotrait = mean(a.flatMap((i) => b.map((j) => correlationOf(i, j))));
      const expected = heterotrait / Math.sqrt(monotrait([...a]) * monotrait([...b]));
      expect(Math.abs(value! - expected), pair).toBeLessThan(1e-12);
    }
    // discriminant validity on this data: every ratio below 0.9 except the expectation/quality pair
    expect(result.htmt['EXPE|QUAL']).toBeGreaterThan(0.9);
    expect(result.htmt['IMAG|LOY']).toBeLessThan(0.9);
  });

  it('is null for a single-item block', () => {
    const blocks = { ...satisfactionModel.blocks, LOY: ['loy1'] };
    const single = estimatePls({ ...satisfactionModel, blocks, columns: data.columns, rows: data.rows });
    expect(single.htmt['SAT|LOY']).toBeNull();
    expect(single.unidim.LOY).toEqual({ mode: 'A', items: 1, alpha: 1, rho: 1, eig1: 1, eig2: 0 });
  });
});
