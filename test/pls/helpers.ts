/**
 * Shared test material: the plspm reference files (read from <repo>/../shared/reference), the
 * satisfaction model, value-by-value comparison that records the largest deviation, and a seeded
 * generator of synthetic survey data.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parseCsvTable, type CsvTable } from '../../functions/cli/csv';
import { seededRandom, type PlsModel } from '../../functions/domain/pls';

export const referenceDirectory = new URL('../../../shared/reference/plspm-satisfaction/', import.meta.url);
export const satisfactionCsvPath = new URL('satisfaction.csv', referenceDirectory).pathname;
export const satisfactionModelPath = new URL('./fixtures/satisfaction-model.json', import.meta.url).pathname;

export function readReference(file: string): CsvTable {
  return parseCsvTable(readFileSync(new URL(file, referenceDirectory), 'utf8'));
}

/** The value of a numeric cell of a reference table. */
export function cell(record: Record<string, string>, column: string): number {
  const text = record[column];
  if (text === undefined || text === '') throw new Error(`reference column ${column} is missing`);
  return Number(text);
}

export interface SatisfactionModelFile extends PlsModel {
  scheme: 'centroid';
  scaled: boolean;
  bounds: { min: number; max: number };
}

export const satisfactionModel = JSON.parse(readFileSync(satisfactionModelPath, 'utf8')) as SatisfactionModelFile;
export const satisfactionItems = Object.values(satisfactionModel.blocks).flat();

/** The satisfaction data: item columns as numbers (gender left out), row names, gender. */
export function satisfactionData(): { columns: string[]; rows: number[][]; rowNames: string[]; gender: string[] } {
  const table = readReference('satisfaction.csv');
  return {
    columns: satisfactionItems,
    rows: table.rows.map((record) => satisfactionItems.map((item) => cell(record, item))),
    rowNames: table.rowNames ?? [],
    gender: table.rows.map((record) => record.gender ?? ''),
  };
}

/** Compares value by value and remembers the largest absolute deviation (reported by the suites). */
export class DeviationTracker {
  largest = 0;
  where = '';
  count = 0;

  close(actual: number | undefined, expected: number, tolerance: number, label: string): void {
    expect(actual, `${label} is missing`).toBeTypeOf('number');
    const deviation = Math.abs((actual as number) - expected);
    this.count++;
    if (deviation > this.largest) {
      this.largest = deviation;
      this.where = label;
    }
    if (!(deviation <= tolerance)) {
      expect.fail(`${label}: got ${actual}, expected ${expected} (deviation ${deviation.toExponential(3)} > ${tolerance})`);
    }
  }

  summary(): string {
    return `${this.count} values, largest deviation ${this.largest.toExponential(3)} at ${this.where}`;
  }
}

/** Standard normal draws from the engine's seeded generator (Box-Muller). */
export function normalGenerator(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export interface SyntheticSpec {
  seed: number;
  rows: number;
  /** Items per latent variable. */
  blockSizes: Record<string, number>;
  /** Structural paths with their true coefficients. */
  paths: [string, string, number][];
  /** Round the items to a 1..points scale (Likert) when given. */
  likertPoints?: number;
}

/** Survey-like data from a linear structural model: latent variables in the given block order
 *  (which must be causal), items = loading * LV + noise. */
export function syntheticSurvey(spec: SyntheticSpec): { columns: string[]; rows: number[][]; blocks: Record<string, string[]> } {
  const normal = normalGenerator(spec.seed);
  const lvs = Object.keys(spec.blockSizes);
  const blocks = Object.fromEntries(
    lvs.map((lv) => [lv, Array.from({ length: spec.blockSizes[lv]! }, (_, i) => `${lv.toLowerCase()}${i + 1}`)]),
  );
  const loadings = Object.fromEntries(lvs.map((lv) => [lv, blocks[lv]!.map(() => 0.55 + 0.4 * Math.abs(normal()) / 3)]));
  const columns = lvs.flatMap((lv) => blocks[lv]!);
  const rows = Array.from({ length: spec.rows }, () => {
    const scores: Record<string, number> = {};
    for (const lv of lvs) {
      const incoming = spec.paths.filter(([, to]) => to === lv);
      const explained = incoming.reduce((total, [from, , beta]) => total + beta * scores[from]!, 0);
      scores[lv] = explained + Math.sqrt(Math.max(0.2, 1 - incoming.reduce((t, [, , b]) => t + b * b, 0))) * normal();
    }
    return lvs.flatMap((lv) =>
      blocks[lv]!.map((_, i) => {
        const loading = loadings[lv]![i]!;
        const value = loading * scores[lv]! + Math.sqrt(1 - loading * loading) * normal();
        if (!spec.likertPoints) return value;
        const points = spec.likertPoints;
        return Math.min(points, Math.max(1, Math.round((points + 1) / 2 + value * (points / 4))));
      }),
    );
  });
  return { columns, rows, blocks };
}
