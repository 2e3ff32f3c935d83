import { forbidden, invalid, notFound } from '../domain/errors';
import { organisationAccess, type AccessCheck } from './access';
import { OrgTree } from '../domain/org';
import { isPeriod, periodOf, periodsEndingWith, shiftPeriod } from '../domain/period';
import type { SurveyVersionRecord } from '../domain/records';
import { presentReport } from './presentation';
import { commitmentsWithoutFigures, withCommitments } from './commitments';
import type { UnitReport } from './report-model';
import type { Deps } from './deps';
import { readCasesSection } from './case-figures';
import { readScorecard } from './scorecard';
import { trendPointOf } from './report-intervals';

export interface ReportQuery {
  surveyId: string;
  period?: string | undefined;
  orgUnit?: string | undefined;
  version?: number | undefined;
  /** A panel's own report (mystery customers); the main sample by default. */
  panel?: 'mystery' | undefined;
}

/** The trend's length: two years, so that the chart shows the same month a year earlier and before. */
export const TREND_PERIODS = 24;

/**
 * A unit's stored report with its trend, significance marks and commitment figures. With a period
 * and a unit named, at most three calls: the latest computed version (a Query of one item, none
 * with `version`), one BatchGetItem of the unit's report, its previous month's report and
 * the same month's a year earlier (the significance marks), its trend points of the other 21 of
 * the 24 months, its compliance figures
 * and the questionnaire version (once per container), and one BatchGetItem of the parent's report
 * (the marks against the rest of the parent) with the declarations of commitments the questions
 * name but the compliance figures lack (none at a root without such commitments). Whether the
 * questionnaire exists is asked only when nothing is found, and the tree only without a unit.
 * Beside these, in parallel, the cases section's two index reads (./case-figures.ts) and the
 * scorecard's one (./scorecard.ts).
 */
export async function getReport(deps: Pick<Deps, 'store' | 'clock' | 'config' | 'calendars'>, query: ReportQuery, access: AccessCheck = organisationAccess(deps.store)): Promise<UnitReport> {
  let latest: Promise<SurveyVersionRecord | undefined> | undefined;
  const knownSurvey = async (): Promise<SurveyVersionRecord> => {
    latest ??= deps.store.getLatestSurveyVersion(query.surveyId);
    const record = await latest;
    if (!record) throw notFound(`unknown questionnaire "${query.surveyId}"`);
    return record;
  };
  if (query.period !== undefined && !isPeriod(query.period)) {
    await knownSurvey();
    throw invalid([{ path: 'period', message: 'expected a month written YYYY-MM' }]);
  }
  const period = query.period ?? periodOf(deps.clock.now(), (await knownSurvey()).definition.timeZone);
  let orgUnit = query.orgUnit;
  if (!orgUnit && !access.everything) {
    // A user scoped below the root starts at its own unit.
    orgUnit = (await access.scope()).home;
    if (!orgUnit) throw forbidden('your scope holds no unit of the organisation');
  }
  if (!orgUnit) {
    const roots = new OrgTree(await deps.store.listOrgUnits()).roots;
    if (roots.length !== 1) {
      await knownSurvey();
      throw invalid([{ path: 'orgUnit', message: `name the unit: the organisation has ${roots.length} top-level units` }]);
    }
    orgUnit = roots[0] as string;
  }
  await access.requireUnits([orgUnit], 'the report');
  // The cases section is read beside the report (its own two index reads), not after it.
  // A panel's report (mystery customers) is of that sample: the unit's cases are in the main one.
  // The tree, read once for both sections and only if one of them has something to place in it.
  let tree: Promise<OrgTree> | undefined;
  const treeOf = () => (tree ??= deps.store.listOrgUnits().then((units) => new OrgTree(units)));
  const casesRead = query.panel ? Promise.resolve(undefined) : readCasesSection(deps, period, orgUnit, treeOf);
  const scorecardRead = query.panel ? Promise.resolve(undefined) : readScorecard(deps, period, orgUnit, treeOf);
  // A report that turns out missing must not leave these reads' failures unhandled.
  casesRead.catch(() => undefined);
  scorecardRead.catch(() => undefined);
  const nothingComputed = async () => {
    await knownSurvey();
    return notFound(`nothing computed for "${query.surveyId}" in ${period} at unit "${orgUnit}"`);
  };
  const version = query.version ?? (await deps.store.latestReportedVersion(query.surveyId, period));
  if (version === undefined) throw await nothingComputed();

  // The trend: the same unit and version over the preceding months. This month, the previous one
  // and the same month a year earlier come from their reports (they also feed the significance
  // marks); the others from the small trend points stored beside the reports.
  const earlier = periodsEndingWith(period, TREND_PERIODS);
  const previousPeriod = shiftPeriod(period, -1);
  const yearEarlierPeriod = shiftPeriod(period, -12);
  const fromReports = [period, previousPeriod, yearEarlierPeriod];
  const pointPeriods = earlier.filter((p) => !fromReports.includes(p));
  const set = { surveyId: query.surveyId, version, panel: query.panel };
  const first = await deps.store.readReportSet<UnitReport>({
    ...set,
    reports: fromReports.map((p) => ({ period: p, orgUnitId: orgUnit })),
    trend: { orgUnitId: orgUnit, periods: pointPeriods },
    questionnaire: true,
    commitmentsReport: { period, orgUnitId: orgUnit },
  });
  const [record, previous, yearEarlier] = first.reports;
  if (!record) throw await nothingComputed();

  const questionnaire = first.questionnaire?.definition;
  // A parent outside the caller's scope is not read: its figures (and the marks against it) are not the caller's to see.
  const pathParent = record.report.path.length > 1 ? record.report.path[record.report.path.length - 2] : undefined;
  const parentId = pathParent && (await access.covers(pathParent)) ? pathParent : undefined;
  const undeclared = commitmentsWithoutFigures(first.commitmentsReport, questionnaire);
  const second =
    parentId || undeclared.length > 0
      ? await deps.store.readReportSet<UnitReport>({ ...set, reports: parentId ? [{ period, orgUnitId: parentId }] : [], commitments: undeclared })
      : undefined;
  const parent = second?.reports[0];

  const reportOfPeriod = new Map(fromReports.map((p, i) => [p, first.reports[i]?.report]));
  const trend = earlier.map((p) => {
    const stored = reportOfPeriod.get(p);
    const point = stored ? trendPointOf(stored) : reportOfPeriod.has(p) ? undefined : first.trend[pointPeriods.indexOf(p)];
    return { period: p, ...(point ?? { n: 0, csi: null }) };
  });
  const withFigures = withCommitments({ ...record.report, trend }, questionnaire, first.commitmentsReport, second?.commitments ?? new Map(), deps.clock.now(), deps.calendars);
  const presented = presentReport(withFigures, { previous: previous?.report, yearEarlier: yearEarlier?.report, parent: parent?.report, minimumN: deps.config.minimumN });
  const [cases, scorecard] = await Promise.all([casesRead, scorecardRead]);
  // Complaints customers raised themselves (SMS replies, cases logged by hand), when none were posted.
  const complaintsFromCases = cases ? cases.bySource.reply + cases.bySource.manual : 0;
  const withCases = {
    ...presented,
    ...(cases ? { cases } : {}),
    ...(scorecard ? { scorecard: scorecard.of(complaintsFromCases, presented.csi) } : {}),
  };
  return access.everything ? withCases : { ...withCases, path: await pathInScope(withCases.path, access) };
}

/** The report's path from the first unit of the caller's scope down: the units above are not the caller's. */
async function pathInScope(path: readonly string[], access: AccessCheck): Promise<string[]> {
  for (let i = 0; i < path.length; i++) if (await access.covers(path[i] as string)) return path.slice(i);
  return [];
}
