/**
 * Sign orientation as plspm does it: a latent variable whose items' correlations with it have a
 * sign sum <= 0 is negated; its weights are reported unchanged.
 */
import { describe, expect, it } from 'vitest';
import { estimatePls } from '../../functions/domain/pls';
import { satisfactionData, satisfactionModel } from './helpers';

describe('sign orientation', () => {
  const data = satisfactionData();
  const columns = [...data.columns, 'imag2r'];
  const rows = data.rows.map((row) => [...row, 10 - row[data.columns.indexOf('imag2')]!]);
  // one ordinary and one reverse-coded item: the sign sum is 0, so plspm negates the score
  const blocks = { ...satisfactionModel.blocks, IMAG: ['imag1', 'imag2r'] };
  const result = estimatePls({ ...satisfactionModel, blocks, columns, rows });

  const column = (item: string) => rows.map((row) => row[columns.indexOf(item)]!);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const correlation = (a: number[], b: number[]) => {
    const ma = mean(a);
    const mb = mean(b);
    const cov = mean(a.map((v, i) => (v - ma) * (b[i]! - mb)));
    return cov / Math.sqrt(mean(a.map((v) => (v - ma) ** 2)) * mean(b.map((v) => (v - mb) ** 2)));
  };

  it('negates the score relative to X w, keeping the weights', () => {
    const w1 = result.weights.imag1!;
    const w2 = result.weights.imag2r!;
    const x1 = column('imag1');
    const x2 = column('imag2r');
    const m1 = mean(x1);
    const m2 = mean(x2);
    const unoriented = x1.map((v, r) => w1 * (v - m1) + w2 * (x2[r]! - m2));
    const scores = result.scores!.map((row) => row!.IMAG!);
    // which of the two items the iteration favoured decides the raw direction; the sign sum is 0
    // either way, so the reported score is exactly -X w
    scores.forEach((score, r) => expect(Math.abs(score + unoriented[r]!)).toBeLessThan(1e-12));
    expect(result.unstandardizedWeights.imag1).toBeCloseTo(-w1, 14);
    expect(Math.sign(result.loadings.imag1!)).toBe(-Math.sign(w1));
  });

  it('reports loadings as correlations with the oriented score', () => {
    const scores = result.scores!.map((row) => row!.IMAG!);
    expect(Math.abs(result.loadings.imag1! - correlation(column('imag1'), scores))).toBeLessThan(1e-12);
    expect(Math.abs(result.loadings.imag2r! - correlation(column('imag2r'), scores))).toBeLessThan(1e-12);
  });

  it('leaves an ordinary block unflipped', () => {
    for (const item of satisfactionModel.blocks.SAT!) expect(result.loadings[item]!).toBeGreaterThan(0);
    expect(result.unstandardizedWeights.sat1).toBe(result.weights.sat1);
  });
});
