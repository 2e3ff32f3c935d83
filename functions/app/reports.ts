import { invalid, notFound } from '../domain/errors';
import { OrgTree } from '../domain/org';
import { isPeriod, periodOf, periodsEndingWith } from '../domain/period';
import type { ElementScore } from '../domain/scoring';
import type { Deps } from './deps';

/** The report of one unit for one questionnaire version and period (the GET /admin/reports shape). */
export interface UnitReport {
  surveyId: string;
  version: number;
  period: string;
  orgUnit: string;
  orgUnitName: string;
  /** Unit ids from the root down to this unit. */
  path: string[];
  n: number;
  csi: number | null;
  elements: ElementScore[];
  children: { orgUnit: string; name: string; n: number; csi: number | null }[];
  notes: string[];
  computedAt: string;
  trend?: { period: string; n: number; csi: number | null }[];
}

export interface ReportQuery {
  surveyId: string;
  period?: string | undefined;
  orgUnit?: string | undefined;
  version?: number | undefined;
}

const TREND_PERIODS = 6;

export async function getReport(deps: Pick<Deps, 'store' | 'clock'>, query: ReportQuery): Promise<UnitReport> {
  const latest = await deps.store.getLatestSurveyVersion(query.surveyId);
  if (!latest) throw notFound(`unknown questionnaire "${query.surveyId}"`);
  if (query.period !== undefined && !isPeriod(query.period)) {
    throw invalid([{ path: 'period', message: 'expected a month written YYYY-MM' }]);
  }
  const period = query.period ?? periodOf(deps.clock.now(), latest.definition.timeZone);
  let orgUnit = query.orgUnit;
  if (!orgUnit) {
    const roots = new OrgTree(await deps.store.listOrgUnits()).roots;
    if (roots.length !== 1) throw invalid([{ path: 'orgUnit', message: `name the unit: the organisation has ${roots.length} top-level units` }]);
    orgUnit = roots[0] as string;
  }
  const version = query.version ?? (await deps.store.latestReportedVersion(query.surveyId, period));
  const record = version === undefined ? undefined : await deps.store.getReport<UnitReport>(query.surveyId, period, version, orgUnit);
  if (!record || version === undefined) throw notFound(`nothing computed for "${query.surveyId}" in ${period} at unit "${orgUnit}"`);

  // The trend: the same unit and version over the preceding months (key lookups, no scan).
  const earlier = periodsEndingWith(period, TREND_PERIODS);
  const trend = await Promise.all(
    earlier.map(async (p) => {
      const r = p === period ? record : await deps.store.getReport<UnitReport>(query.surveyId, p, version, orgUnit);
      return { period: p, n: r?.report.n ?? 0, csi: r?.report.csi ?? null };
    }),
  );
  return { ...record.report, trend };
}
