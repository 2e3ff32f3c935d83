/**
 * The cases section of GET /admin/reports (functions/domain/cases/figures.ts says what it counts).
 * Read at report time, not computed with the responses: a case changes after the month it was
 * opened in (it is worked, resolved, reopened), and "overdue now" is about now. Two index reads
 * (the month's cases, the open ones) beside the report's own, and the unit tree and the case
 * settings (root-cause labels, cached a minute) only when there are cases to place in it.
 */
import { casesSection, type CasesSection } from '../domain/cases/figures';
import type { OrgTree } from '../domain/org';
import { caseConfig } from './case-opening';
import type { Deps } from './deps';

/** The section of `orgUnit`'s subtree for `period` (YYYY-MM), or undefined when it has no case to show. */
export async function readCasesSection(deps: Pick<Deps, 'store' | 'clock'>, period: string, orgUnit: string, treeOf: () => Promise<OrgTree>): Promise<CasesSection | undefined> {
  const { ofMonth: ofPeriod, open } = await deps.store.caseFiguresOf(period);
  if (ofPeriod.length === 0 && open.length === 0) return undefined;
  const [tree, config] = await Promise.all([treeOf(), caseConfig(deps)]);
  const inSubtree = (caseUnit: string, root: string) => tree.isWithin(caseUnit, root);
  const mine = { period: ofPeriod.filter((c) => inSubtree(c.orgUnitId, orgUnit)), open: open.filter((c) => inSubtree(c.orgUnitId, orgUnit)) };
  if (mine.period.length === 0 && mine.open.length === 0) return undefined;
  const section = casesSection(orgUnit, tree.children(orgUnit), mine, inSubtree, deps.clock.now());
  // The organisation's labels of its root causes, for the page (a retired cause keeps its id).
  const labels = new Map(config.settings.rootCauses.map((cause) => [cause.id, cause.label]));
  return { ...section, rootCauses: section.rootCauses.map((rank) => ({ ...rank, ...(labels.has(rank.rootCause) ? { label: labels.get(rank.rootCause)! } : {}) })) };
}
