/**
 * The data-driven weighting methods, resolved with respondent data: entropy (the children's score
 * dispersion) and derived (the children's relative weights as drivers of a target, a regression).
 * Every other method, and these without data, resolve as declared (weighting.ts).
 */
import { StatisticsInputError, completeCases, type NumericColumn } from './data';
import { keyDriverAnalysis } from './drivers';
import { entropyWeights } from './entropy';
import { normalised, resolveDeclaredWeights, type WeightingData, type WeightingMethod, type WeightingSpec, type WeightResolution } from './weighting';

/** The weights of a node's children; entropy and derived from `data` (without it, 'needs-data'). */
export function resolveChildWeights(spec: WeightingSpec, childIds: readonly string[], data?: WeightingData): WeightResolution {
  const declared = resolveDeclaredWeights(spec, childIds);
  if (declared.status !== 'needs-data') return declared;
  const { method } = spec;
  const invalid = (...errors: string[]): WeightResolution => ({ status: 'invalid', method, errors, warnings: [] });
  switch (spec.method) {
    case 'entropy': {
      const columns = childColumns(childIds, data);
      if (typeof columns === 'string') return { status: 'needs-data', method: 'entropy', reason: columns, warnings: [] };
      const cases = completeCases(columns);
      try {
        const entropy = entropyWeights(cases.columns);
        const warnings = [...droppedWarning(cases.dropped), ...entropy.warnings];
        return { status: 'resolved', method, weights: normalised(childIds, childIds.map((id) => entropy.weights[id]!)), warnings, entropy };
      } catch (error) {
        return invalidFrom(method, error);
      }
    }

    case 'derived': {
      const columns = childColumns(childIds, data);
      if (typeof columns === 'string') return { status: 'needs-data', method: 'derived', reason: columns, warnings: [] };
      if (!data?.target) return { status: 'needs-data', method: 'derived', reason: 'the target\'s answers are needed', warnings: [] };
      // A key no child id can collide with.
      const targetKey = '\u0000target';
      const cases = completeCases({ ...columns, [targetKey]: data.target });
      const { [targetKey]: target, ...predictors } = cases.columns;
      try {
        const drivers = keyDriverAnalysis(target!, predictors, spec.target ?? 'target');
        if (!(drivers.r2 > 0)) return invalid('no child explains any of the target (R2 = 0): derived weights are undefined');
        const weights = normalised(childIds, childIds.map((id) => drivers.rescaled[id]!));
        return { status: 'resolved', method, weights, warnings: droppedWarning(cases.dropped), drivers };
      } catch (error) {
        return invalidFrom(method, error);
      }
    }

    default:
      return declared;
  }
}

function childColumns(childIds: readonly string[], data?: WeightingData): Record<string, NumericColumn> | string {
  const scores = data?.childScores;
  if (!scores) return 'the children\'s scores per respondent are needed';
  const missing = childIds.filter((id) => scores[id] === undefined);
  if (missing.length > 0) return `no scores for child(ren) ${missing.join(', ')}`;
  return Object.fromEntries(childIds.map((id) => [id, scores[id]!]));
}

function droppedWarning(dropped: number): string[] {
  return dropped > 0 ? [`${dropped} respondent(s) without an answer for every child were left out`] : [];
}

function invalidFrom(method: WeightingMethod, error: unknown): WeightResolution {
  if (error instanceof StatisticsInputError) {
    return { status: 'invalid', method, errors: [error.message], warnings: [] };
  }
  throw error;
}
