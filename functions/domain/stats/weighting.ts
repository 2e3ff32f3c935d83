/**
 * How a node of the indicator tree weights its children, as a questionnaire declares it:
 *   weighting: { method: ahp, matrix: [[1, 3, "5"], ["1/3", 1, 3], ["1/5", "1/3", 1]] }
 * and the resolver of the declared methods (fixed, equal, AHP), which questionnaire validation and
 * scoring use; the data-driven methods (entropy, derived) are resolved by data-weights.ts, so the
 * functions that only validate questionnaires do not carry the regression code.
 */
import * as z from '../zod';
import { AhpMatrixError, ahpInconsistencyMessage, analyzeAhpMatrix, parseAhpMatrix, type AhpResult } from './ahp';
import type { NumericColumn } from './data';
import type { DriverAnalysis } from './drivers';
import type { EntropyResult } from './entropy';

const judgementSchema = z.union([z.number(), z.string()]);

/** Structure of the matrix is checked here, cell by cell (path: matrix, row, col); whether it has
 *  one row per child and is consistent needs the children, so resolveDeclaredWeights checks that. */
const ahpSchema = z
  .strictObject({ method: z.literal('ahp'), matrix: z.array(z.array(judgementSchema)) })
  .check(z.superRefine((spec, ctx) => {
    try {
      parseAhpMatrix(spec.matrix);
    } catch (error) {
      if (!(error instanceof AhpMatrixError)) throw error;
      const path = error.cell ? ['matrix', error.cell.row, error.cell.col] : ['matrix'];
      ctx.addIssue({ code: 'custom', message: error.message, path });
    }
  }));

export const weightingSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('fixed'),
    /** In child order, or by child id. */
    weights: z.union([z.array(z.number().check(z.nonnegative())).check(z.minLength(1)), z.record(z.string(), z.number().check(z.nonnegative()))]),
  }),
  z.strictObject({ method: z.literal('equal') }),
  ahpSchema,
  z.strictObject({ method: z.literal('entropy') }),
  /** Rescaled relative weights of the children as drivers of `target` (default: the overall satisfaction). */
  z.strictObject({ method: z.literal('derived'), target: z.optional(z.string().check(z.minLength(1))) }),
  /** Outer weights of the PLS path model; the PLS engine supplies them. */
  z.strictObject({ method: z.literal('pls') }),
]);

export type WeightingSpec = z.infer<typeof weightingSchema>;
export type WeightingMethod = WeightingSpec['method'];

/** Respondent-level data for the data-driven methods; all columns aligned by respondent, null = no answer. */
export interface WeightingData {
  /** Each child's score per respondent (entropy, derived). */
  childScores?: Readonly<Record<string, NumericColumn>>;
  /** The target per respondent (derived). */
  target?: NumericColumn;
}

export type WeightResolution =
  | {
      status: 'resolved';
      method: WeightingMethod;
      /** One weight per child id, summing to 1, in child order. */
      weights: Record<string, number>;
      warnings: string[];
      ahp?: AhpResult;
      entropy?: EntropyResult;
      drivers?: DriverAnalysis;
    }
  /** Valid, but the weights come from data that were not given (entropy, derived) or from the PLS engine. */
  | { status: 'needs-data'; method: 'entropy' | 'derived' | 'pls'; reason: string; warnings: string[] }
  | { status: 'invalid'; method: WeightingMethod; errors: string[]; warnings: string[] };

/** Why a data-driven method has no weights without the children's scores. */
export const CHILD_SCORES_NEEDED = "the children's scores per respondent are needed";

export function normalised(childIds: readonly string[], raw: readonly number[]): Record<string, number> {
  const total = raw.reduce((acc, value) => acc + value, 0);
  return Object.fromEntries(childIds.map((id, j) => [id, raw[j]! / total]));
}

/**
 * The weights of a node's children from its declaration alone: entropy and derived come back
 * 'needs-data' (the declaration is valid), so questionnaire validation can call this for every
 * node and report 'invalid' errors; reports resolve the data-driven methods with data
 * (data-weights.ts).
 */
export function resolveDeclaredWeights(spec: WeightingSpec, childIds: readonly string[]): WeightResolution {
  const { method } = spec;
  const invalid = (...errors: string[]): WeightResolution => ({ status: 'invalid', method, errors, warnings: [] });
  if (childIds.length === 0) return invalid('the node has no children to weight');
  const duplicate = childIds.find((id, j) => childIds.indexOf(id) !== j);
  if (duplicate !== undefined) return invalid(`child "${duplicate}" is listed twice`);
  const k = childIds.length;

  switch (spec.method) {
    case 'equal':
      return { status: 'resolved', method, weights: normalised(childIds, childIds.map(() => 1)), warnings: [] };

    case 'fixed': {
      let raw: number[];
      if (Array.isArray(spec.weights)) {
        if (spec.weights.length !== k) return invalid(`${spec.weights.length} fixed weights for ${k} children`);
        raw = spec.weights;
      } else {
        const given = spec.weights as Record<string, number>;
        const unknown = Object.keys(given).filter((id) => !childIds.includes(id));
        const missing = childIds.filter((id) => given[id] === undefined);
        const errors = [
          ...unknown.map((id) => `fixed weight for "${id}", which is not a child (children: ${childIds.join(', ')})`),
          ...missing.map((id) => `no fixed weight for child "${id}"`),
        ];
        if (errors.length > 0) return invalid(...errors);
        raw = childIds.map((id) => given[id]!);
      }
      const total = raw.reduce((acc, value) => acc + value, 0);
      if (!(total > 0)) return invalid('the fixed weights sum to 0');
      // Weights given as fractions or percentages are normalised silently; any other total is
      // probably a typo worth a look.
      const warnings =
        Math.abs(total - 1) <= 1e-6 || Math.abs(total - 100) <= 1e-4
          ? []
          : [`the fixed weights sum to ${total}, not 1 or 100; they were normalised to sum to 1`];
      return { status: 'resolved', method, weights: normalised(childIds, raw), warnings };
    }

    case 'ahp': {
      let matrix: number[][];
      try {
        matrix = parseAhpMatrix(spec.matrix);
      } catch (error) {
        if (error instanceof AhpMatrixError) return invalid(error.message);
        throw error;
      }
      if (matrix.length !== k) return invalid(`the AHP matrix is ${matrix.length} x ${matrix.length} for ${k} children (${childIds.join(', ')})`);
      const ahp = analyzeAhpMatrix(matrix);
      const inconsistency = ahpInconsistencyMessage(ahp, childIds);
      if (inconsistency) return invalid(inconsistency);
      return { status: 'resolved', method, weights: normalised(childIds, ahp.weights), warnings: [], ahp };
    }

    case 'entropy':
    case 'derived':
      return { status: 'needs-data', method: spec.method, reason: CHILD_SCORES_NEEDED, warnings: [] };

    case 'pls':
      return { status: 'needs-data', method: 'pls', reason: 'PLS weights come from the PLS path model', warnings: [] };
  }
}
