/**
 * What the report pages show beside the report itself: the names of the units (breadcrumbs,
 * league), the depths of the tree below the unit (the league's level choice) and the league
 * table (./league.ts). One Query of the tree and the league's BatchGetItem of trend points more
 * than the JSON report; nothing is recomputed.
 */
import { OrgTree } from '../domain/org';
import type { Questionnaire } from '../domain/questionnaire';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import { leagueOf, type League } from './league';
import { getReport, type ReportQuery } from './reports';
import type { UnitReport } from './report-model';

export interface ReportPageData {
  report: UnitReport;
  questionnaire: Questionnaire | undefined;
  unitNames: ReadonlyMap<string, string>;
  /** Depths of the tree (the root is 0) holding units below the report's unit, with how many: the league's levels. */
  levels: { level: number; units: number }[];
  league: League;
}

export async function reportPageData(deps: Pick<Deps, 'store' | 'clock' | 'config' | 'calendars'>, query: ReportQuery & { level?: number | undefined }, access: AccessCheck): Promise<ReportPageData> {
  const report = await getReport(deps, query, access);
  const units = deps.store.listOrgUnits();
  const [survey, league, all] = await Promise.all([deps.store.getSurveyVersion(report.surveyId, report.version), leagueOf(deps, report, access, query.level, units), units]);
  const tree = new OrgTree(all);
  const depth = tree.path(report.orgUnit).length - 1;
  const levels = new Map<number, number>();
  for (const unit of all) {
    const level = tree.path(unit.id).length - 1;
    if (level > depth && tree.isWithin(unit.id, report.orgUnit)) levels.set(level, (levels.get(level) ?? 0) + 1);
  }
  return {
    report,
    questionnaire: survey?.definition,
    unitNames: new Map(all.map((unit) => [unit.id, unit.name])),
    levels: [...levels].sort(([a], [b]) => a - b).map(([level, units]) => ({ level, units })),
    league,
  };
}
