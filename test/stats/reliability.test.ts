import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../../functions/cli/csv';
import { completeCases, numericColumnsFromRows } from '../../functions/domain/stats/data';
import { cronbachAlpha, reliability, reliabilityFromCovariance } from '../../functions/domain/stats/reliability';

describe("Cronbach's alpha and item-total correlations", () => {
  // Hand computation, 4 respondents x 3 items:
  //  i1 = (2, 4, 3, 5): mean 3.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5
  //  i2 = (3, 5, 3, 4): mean 3.75, 0.5625 + 1.5625 + 0.5625 + 0.0625 = 2.75
  //  i3 = (1, 4, 2, 5): mean 3, 4 + 1 + 1 + 4 = 10
  //  total = (6, 13, 8, 14): mean 10.25, 18.0625 + 7.5625 + 5.0625 + 14.0625 = 44.75
  //  alpha = 3/2 (1 - (5 + 2.75 + 10) / 44.75) = 40.5 / 44.75 = 0.905028 (divisors cancel)
  //  i1 with the total: cross products 6.375 + 1.375 + 1.125 + 5.625 = 14.5, r = 14.5 / sqrt(5 x 44.75) = 0.969363
  //  i1 with i2 + i3 = (4, 9, 5, 9): mean 6.75, SS 20.75, cross products 4.125 + 1.125 + 0.875 + 3.375 = 9.5,
  //     corrected r = 9.5 / sqrt(5 x 20.75) = 0.932673; alpha without i1 = 2 (1 - 12.75 / 20.75) = 16 / 20.75
  //  inter-item r: i1,i2 = 2.5 / sqrt(5 x 2.75); i1,i3 = 7 / sqrt(50); i2,i3 = 4 / sqrt(27.5);
  //     mean r = 0.808973, standardised alpha = 3 r / (1 + 2 r) = 0.927032
  const items = { i1: [2, 4, 3, 5], i2: [3, 5, 3, 4], i3: [1, 4, 2, 5] };

  it('matches the hand computation', () => {
    const result = reliability(items);
    expect(result.n).toBe(4);
    expect(result.k).toBe(3);
    expect(result.alpha).toBeCloseTo(40.5 / 44.75, 12);
    const r = (2.5 / Math.sqrt(13.75) + 7 / Math.sqrt(50) + 4 / Math.sqrt(27.5)) / 3;
    expect(result.standardizedAlpha).toBeCloseTo((3 * r) / (1 + 2 * r), 12);
    expect(result.standardizedAlpha).toBeCloseTo(0.927032, 6);
    expect(result.items.i1!.itemTotalCorrelation).toBeCloseTo(14.5 / Math.sqrt(5 * 44.75), 12);
    expect(result.items.i1!.correctedItemTotalCorrelation).toBeCloseTo(9.5 / Math.sqrt(5 * 20.75), 12);
    expect(result.items.i1!.alphaIfDeleted).toBeCloseTo(16 / 20.75, 12);
  });

  it("matches R plspm's Cronbach's alpha (standardised items) on the satisfaction data", () => {
    // R plspm 0.4.9, unidimensionality of the ECSI blocks of the `satisfaction` data (250
    // customers): shared/reference/plspm-satisfaction/satisfaction_unidim.csv, copied as facts.
    const published: Record<string, [string[], number]> = {
      IMAG: [['imag1', 'imag2', 'imag3', 'imag4', 'imag5'], 0.830226690205339],
      EXPE: [['expe1', 'expe2', 'expe3', 'expe4', 'expe5'], 0.84658407892526],
      QUAL: [['qual1', 'qual2', 'qual3', 'qual4', 'qual5'], 0.871324954769643],
      VAL: [['val1', 'val2', 'val3', 'val4'], 0.835722840511797],
      SAT: [['sat1', 'sat2', 'sat3', 'sat4'], 0.894010912676559],
      LOY: [['loy1', 'loy2', 'loy3', 'loy4'], 0.819421641029961],
    };
    const table = readCsvTable(fileURLToPath(new URL('./fixtures/satisfaction.csv', import.meta.url)));
    for (const [block, [names, alpha]] of Object.entries(published)) {
      const { columns, n } = completeCases(numericColumnsFromRows(table.rows, names, table.columns));
      expect(n, block).toBe(250);
      expect(reliability(columns).standardizedAlpha, block).toBeCloseTo(alpha, 10);
    }
  });

  it('is undefined where a variance is zero', () => {
    expect(cronbachAlpha([[1, 1, 1], [2, 2, 2]])).toBeNull();
    const result = reliability({ a: [1, 2, 3], b: [4, 4, 4] });
    expect(result.standardizedAlpha).toBeNull();
    expect(result.items.b!.itemTotalCorrelation).toBeNull();
    expect(result.items.a!.alphaIfDeleted).toBeNull();
    expect(() => reliability({ a: [1, 2] })).toThrow('at least 2 items');
    expect(() => reliability({ a: [1, 2], b: [1] })).toThrow('item "b" has 1 answers, "a" has 2');
  });

  it('has no standardised alpha where two items move exactly against each other (r = -1/(k - 1))', () => {
    // Two or three respondents often give this: k r / (1 + (k - 1) r) = -2 / 0.
    const result = reliability({ a: [1, 2, 3], b: [3, 2, 1] });
    expect(result.standardizedAlpha).toBeNull();
    expect(Number.isFinite(result.alpha ?? 0)).toBe(true);
    // From the covariance matrix of the same answers (divisor 2): var 1 each, covariance -1.
    expect(reliabilityFromCovariance(['a', 'b'], [[1, -1], [-1, 1]]).standardizedAlpha).toBeNull();
    // Three items whose mean correlation is -1/2: 1 + 2 r = 0.
    const three = reliabilityFromCovariance(['a', 'b', 'c'], [[1, -0.5, -0.5], [-0.5, 1, -0.5], [-0.5, -0.5, 1]]);
    expect(three.standardizedAlpha).toBeNull();
    // Just off the singularity it is a number again.
    expect(reliabilityFromCovariance(['a', 'b'], [[1, -0.5], [-0.5, 1]]).standardizedAlpha).toBeCloseTo(-2, 12);
  });
});
