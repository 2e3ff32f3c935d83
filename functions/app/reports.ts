import { invalid, notFound } from '../domain/errors';
import { OrgTree } from '../domain/org';
import { isPeriod, periodOf, periodsEndingWith, shiftPeriod } from '../domain/period';
import { presentReport } from './presentation';
import { withCommitments } from './commitments';
import type { UnitReport } from './report-model';
import type { Deps } from './deps';

export interface ReportQuery {
  surveyId: string;
  period?: string | undefined;
  orgUnit?: string | undefined;
  version?: number | undefined;
  /** A panel's own report (mystery customers); the main sample by default. */
  panel?: 'mystery' | undefined;
}

const TREND_PERIODS = 6;

export async function getReport(deps: Pick<Deps, 'store' | 'clock' | 'config'>, query: ReportQuery): Promise<UnitReport> {
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
  const record = version === undefined ? undefined : await deps.store.getReport<UnitReport>(query.surveyId, period, version, orgUnit, query.panel);
  if (!record || version === undefined) throw notFound(`nothing computed for "${query.surveyId}" in ${period} at unit "${orgUnit}"`);

  // The trend: the same unit and version over the preceding months (key lookups, no scan).
  // Previous and parent reports also feed the read-time rules (significance, small samples).
  const earlier = periodsEndingWith(period, TREND_PERIODS);
  const trendRecords = await Promise.all(
    earlier.map((p) => (p === period ? record : deps.store.getReport<UnitReport>(query.surveyId, p, version, orgUnit, query.panel))),
  );
  const trend = earlier.map((p, i) => ({ period: p, n: trendRecords[i]?.report.n ?? 0, csi: trendRecords[i]?.report.csi ?? null }));
  // The previous month is one of the trend's (read once).
  const previousPeriod = shiftPeriod(period, -1);
  const previous = trendRecords[earlier.indexOf(previousPeriod)];
  const parentId = record.report.path.length > 1 ? record.report.path[record.report.path.length - 2] : undefined;
  const parent = parentId ? await deps.store.getReport<UnitReport>(query.surveyId, period, version, parentId, query.panel) : undefined;
  const survey = await deps.store.getSurveyVersion(query.surveyId, version);
  const withFigures = await withCommitments(deps, { ...record.report, trend }, survey?.definition);
  return presentReport(withFigures, { previous: previous?.report, parent: parent?.report, minimumN: deps.config.minimumN });
}
