/**
 * Bootstrap: deterministic for a seed, summaries computed as plspm does (sd with n-1, R's type-7
 * percentiles), original values equal to the full-data estimate. Few resamples, to stay fast.
 */
import { describe, expect, it } from 'vitest';
import { estimatePls, quantileType7, seededRandom, type BootstrapSummary } from '../../functions/domain/pls';
import { satisfactionData, satisfactionModel } from './helpers';

const data = satisfactionData();
const run = (seed: number, resamples = 25) =>
  estimatePls({ ...satisfactionModel, columns: data.columns, rows: data.rows, bootstrap: { resamples, seed } });

describe('bootstrap', () => {
  const first = run(7);

  it('is deterministic for a seed and changes with it', () => {
    expect(run(7).bootstrap).toEqual(first.bootstrap);
    expect(run(8).bootstrap!.paths['VAL->SAT']!.mean).not.toBe(first.bootstrap!.paths['VAL->SAT']!.mean);
  });

  it('reports paths, weights, loadings, R2 and the index, with the full-data values as originals', () => {
    const boot = first.bootstrap!;
    expect(boot.resamples).toBe(25);
    expect(boot.seed).toBe(7);
    expect(boot.rejected).toBe(0);
    expect(Object.keys(boot.paths)).toEqual(Object.keys(first.paths));
    expect(Object.keys(boot.weights)).toEqual(Object.keys(first.weights));
    expect(Object.keys(boot.r2)).toEqual(Object.keys(first.r2));
    for (const [path, summary] of Object.entries(boot.paths)) expect(summary.original).toBe(first.paths[path]);
    for (const [item, summary] of Object.entries(boot.weights)) expect(summary.original).toBe(first.weights[item]);
    for (const [item, summary] of Object.entries(boot.loadings)) expect(summary.original).toBe(first.loadings[item]);
    const sat = first.index!.SAT!;
    expect(boot.index!.SAT!.original).toBe(sat.defined ? sat.value : null);
    expect(boot.index!.SAT!.undefinedIn).toBe(0);
  });

  it('gives plausible summaries: spread > 0, percentiles around the mean', () => {
    const boot = first.bootstrap!;
    const summaries: BootstrapSummary[] = [
      ...Object.values(boot.paths),
      ...Object.values(boot.weights),
      ...Object.values(boot.loadings),
      ...Object.values(boot.r2),
    ];
    for (const summary of summaries) {
      expect(summary.se).toBeGreaterThan(0);
      expect(summary.perc025).toBeLessThanOrEqual(summary.mean);
      expect(summary.perc975).toBeGreaterThanOrEqual(summary.mean);
    }
    // the strong VAL->SAT path stays well away from 0; its bootstrap mean is near the estimate
    const path = boot.paths['VAL->SAT']!;
    expect(path.perc025).toBeGreaterThan(0.3);
    expect(Math.abs(path.mean - path.original)).toBeLessThan(3 * path.se);
    const index = boot.index!.SAT!;
    expect(index.se).toBeGreaterThan(0);
    expect(index.perc025! < 68.598 && 68.598 < index.perc975!).toBe(true);
  });

  it('summarises with the sample sd and R type-7 percentiles (checked on a recomputation)', () => {
    // the same resamples, redrawn with the same generator, for one path
    const random = seededRandom(7);
    const n = data.rows.length;
    const draws = Array.from({ length: 25 }, () => Array.from({ length: n }, () => data.rows[Math.floor(random() * n)]!));
    const values = draws.map(
      (rows) => estimatePls({ ...satisfactionModel, columns: data.columns, rows }).paths['SAT->LOY']!,
    );
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    const summary = first.bootstrap!.paths['SAT->LOY']!;
    expect(Math.abs(summary.mean - mean)).toBeLessThan(1e-12);
    expect(Math.abs(summary.se - sd)).toBeLessThan(1e-12);
    const sorted = [...values].sort((a, b) => a - b);
    // type 7 with 25 values: h = 24 * 0.025 = 0.6 -> x1 + 0.6 (x2 - x1)
    expect(Math.abs(summary.perc025 - (sorted[0]! + 0.6 * (sorted[1]! - sorted[0]!)))).toBeLessThan(1e-12);
    expect(Math.abs(summary.perc975 - (sorted[23]! + 0.4 * (sorted[24]! - sorted[23]!)))).toBeLessThan(1e-12);
  });

  it('computes R type-7 quantiles', () => {
    // R: quantile(1:10, c(0.025, 0.975)) -> 1.225, 9.775; quantile(c(1, 2, 3), 0.975) -> 2.95
    const oneToTen = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(quantileType7(oneToTen, 0.025)).toBeCloseTo(1.225, 12);
    expect(quantileType7(oneToTen, 0.975)).toBeCloseTo(9.775, 12);
    expect(quantileType7([1, 2, 3], 0.975)).toBeCloseTo(2.95, 12);
  });

  it('refuses fewer than 2 resamples', () => {
    expect(() => run(1, 1)).toThrow('bootstrap needs at least 2 resamples, not 1');
  });
});
