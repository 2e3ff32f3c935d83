/**
 * The scorecard section of GET /admin/reports (issue #15, the balanced scorecard's customer view):
 * the operating figures of the unit's subtree for the period (functions/domain/metrics.ts says how
 * they roll up), complaints per 10,000 customers and the lead over a competitor's satisfaction.
 * Read with the report (one Query of the period's figures; the tree only when there are any).
 */
import { complaintsPer10k, rollUpMetrics, type ScorecardSection, type UnitMetrics } from '../domain/metrics';
import type { OrgTree } from '../domain/org';
import type { Deps } from './deps';

/** The figures of `orgUnit`'s subtree (each unit's own row counted once), or undefined when none were posted. */
export async function readScorecard(deps: Pick<Deps, 'store'>, period: string, orgUnit: string, treeOf: () => Promise<OrgTree>): Promise<{ of: (complaintsFromCases: number | null, csi: number | null) => ScorecardSection } | undefined> {
  const rows = await deps.store.metricsOf(period);
  if (rows.length === 0) return undefined;
  const tree = await treeOf();
  const within = (root: string) => rows.filter((row) => tree.isWithin(row.orgUnitId, root));
  const mine = within(orgUnit);
  if (mine.length === 0) return undefined;
  const ownRow = (unit: string) => rows.find((row) => row.orgUnitId === unit);
  const figures = rollUpMetrics(mine, ownRow(orgUnit));
  const children = tree.children(orgUnit).flatMap((child) => {
    const theirs: UnitMetrics[] = within(child);
    return theirs.length === 0 ? [] : [{ orgUnit: child, ...rollUpMetrics(theirs, ownRow(child)) }];
  });
  return {
    of: (complaintsFromCases, csi) => {
      // Without a posted complaints figure anywhere below: the complaints customers filed as cases, over the customers posted.
      const fromCases = figures.complaints === null && figures.customers !== null;
      return {
        ...figures,
        complaintsPer10k: fromCases ? complaintsPer10k(complaintsFromCases, figures.customers) : figures.complaintsPer10k,
        complaintsSource: figures.complaints !== null ? 'metrics' : fromCases ? 'cases' : null,
        competitorLead: csi === null || figures.competitorCsi === null ? null : csi - figures.competitorCsi,
        children,
      };
    },
  };
}
