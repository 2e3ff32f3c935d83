/**
 * Results and reports of units: every applicable analysis's result from a unit's subtree
 * accumulators, roots first (a unit may use its root's result), each analysis after the ones it
 * may build on; and the report record of a unit from its results.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json';
import type { OrgTree } from '../../domain/org';
import type { ReportRecord } from '../../domain/records';
import type { TreeScores } from '../../domain/scoring';
import { withStorableNumbers } from '../../domain/storable-numbers';
import type { AppLogger } from '../../shared/logger';
import type { UnitReport } from '../report-model';
import type { SubtreeUnit, VersionState } from './state';

/** Results of one unit by analysis id. */
export type UnitResults = Record<string, unknown>;

/** How many places of one figure set a log entry names (the count says how many there were). */
export const LOGGED_PATHS = 10;

/**
 * An analysis's result for a unit, with every figure DynamoDB would refuse (NaN, ±Infinity, beyond
 * ±2^53) replaced by null: degenerate data at one unit costs that figure, not the run's reports.
 */
function storableResult(logger: AppLogger, where: { surveyId: string; period: string; orgUnitId: string; analysis: string }, result: unknown): unknown {
  const { value, replaced } = withStorableNumbers(result);
  if (replaced.length > 0) {
    logger.warn('figures that cannot be stored replaced by null', { ...where, count: replaced.length, figures: replaced.slice(0, LOGGED_PATHS) });
  }
  return value;
}

/**
 * What roots lend their small units from another period (period.ts, lendingOf): the period, the
 * lending roots' results there, and (filled in by computeResults) the units that borrowed them.
 */
export interface Lending {
  period: string;
  roots: ReadonlyMap<string, UnitResults>;
  borrowed: Set<string>;
}

export const noLending = (): Lending => ({ period: '', roots: new Map(), borrowed: new Set() });

/**
 * Computes the results of `unitIds` (those in the tree with responses) into `results`, shallowest
 * first, so that a root's results are there before its units'; a unit's root must be among them or
 * in `results` already. Sets each unit's `borrows`.
 *
 * What a root lends its small units (analyses with `sharedWithUnits`: PLS and derived weights)
 * comes from `lending` where it has the root, else from the root's results here.
 */
export function computeResults(
  logger: AppLogger,
  state: VersionState,
  period: string,
  tree: OrgTree,
  unitIds: Iterable<string>,
  results: Map<string, UnitResults>,
  lending: Lending = noLending(),
): void {
  const lenders = lending.roots;
  const { questionnaire, applicable } = state;
  const depth = new Map<string, number>();
  for (const id of unitIds) if (tree.has(id) && (state.units.get(id)?.responses ?? 0) > 0) depth.set(id, tree.path(id).length);
  const ordered = [...depth.keys()].sort((a, b) => depth.get(a)! - depth.get(b)!);
  for (const unitId of ordered) {
    const unit = state.units.get(unitId)!;
    const root = tree.path(unitId)[0] ?? unitId;
    const unitResults: UnitResults = {};
    for (const analysis of applicable) {
      const result = analysis.result(unit.accumulators.get(analysis.id), {
        questionnaire,
        period,
        unitId,
        tree,
        rootResult: root === unitId ? undefined : ((analysis.sharedWithUnits ? lenders.get(root)?.[analysis.id] : undefined) ?? results.get(root)?.[analysis.id]),
        earlier: unitResults,
      });
      unitResults[analysis.id] = storableResult(logger, { surveyId: questionnaire.id, period, orgUnitId: unitId, analysis: analysis.id }, result);
    }
    unit.borrows = applicable.some((analysis) => analysis.borrowsFromRoot?.(unitResults[analysis.id]) ?? false);
    results.set(unitId, unitResults);
    if (unit.borrows && lenders.has(root) && root !== unitId) lending.borrowed.add(unitId);
    else lending.borrowed.delete(unitId);
  }
}

/**
 * A hash of what a root lends its units (PLS weights, derived weights): from its lender's results
 * where they have the analysis, else from its results of this run; null if it lends nothing,
 * undefined if the root was not computed here and has no lender.
 */
export function rootBasisOf(state: VersionState, lender: UnitResults | undefined, computed: UnitResults | undefined): string | null | undefined {
  const lending = state.applicable.filter((analysis) => analysis.sharedWithUnits);
  if (lending.length === 0) return null;
  if (!computed && !lender) return undefined;
  const lent = lending.map((analysis) => {
    const result = lender?.[analysis.id] ?? computed?.[analysis.id];
    return [analysis.id, result === undefined ? null : analysis.sharedWithUnits!(result)];
  });
  return createHash('sha256').update(canonicalJson(lent)).digest('hex');
}

/**
 * The report of a computed unit. Its children's figures come from this run's results where they
 * were computed, else from what the unit's last computation recorded (unit.children, updated here).
 */
export function reportOf(
  state: VersionState,
  period: string,
  tree: OrgTree,
  unitId: string,
  results: ReadonlyMap<string, UnitResults>,
  computedAt: string,
  lending: Lending = noLending(),
): ReportRecord<UnitReport> {
  const { questionnaire } = state;
  const unit = state.units.get(unitId)!;
  const { scores, ...sections } = results.get(unitId) as { scores: TreeScores } & UnitResults;
  const known: SubtreeUnit['children'] = {};
  const children = tree.children(unitId).map((childId) => {
    const computed = results.get(childId)?.scores as TreeScores | undefined;
    const figures = computed ? { n: computed.n, csi: computed.csi ?? null } : (unit.children[childId] ?? { n: 0, csi: null });
    if (figures.n > 0) known[childId] = figures;
    return { orgUnit: childId, name: tree.unit(childId)?.name ?? childId, ...figures };
  });
  unit.children = known;
  return {
    surveyId: questionnaire.id,
    version: questionnaire.version,
    period,
    orgUnitId: unitId,
    computedAt,
    report: {
      surveyId: questionnaire.id,
      version: questionnaire.version,
      ...(state.panel ? { panel: state.panel } : {}),
      period,
      orgUnit: unitId,
      orgUnitName: tree.unit(unitId)?.name ?? unitId,
      path: tree.path(unitId),
      n: scores.n,
      csi: scores.csi,
      elements: scores.elements,
      children,
      notes: lending.borrowed.has(unitId) ? [...scores.notes, `the weights borrowed from "${tree.path(unitId)[0]}" are those of ${lending.period}, the previous month`] : scores.notes,
      computedAt,
      ...sections,
    },
  };
}
