/**
 * The league table of a report: the units one level below the report's unit, or every unit of its
 * subtree at a chosen depth of the tree (all branches of the bank), ranked by CSI with n, the 95%
 * interval, the change against the previous month and a mark for units significantly above or
 * below the reference figure. Everything comes from the trend points stored beside each report
 * (functions/app/report-intervals.ts): one BatchGetItem per 100 points, no report is recomputed.
 *
 * The reference is the CSI of the top unit the caller sees (the organisation for head-office
 * staff). A unit is marked above (below) when its whole 95% interval lies above (below) that
 * figure: the one-sample t-test of the unit's CSI against it at alpha 0.05, the reference taken
 * as fixed (it is estimated from far more responses than any one unit's).
 */
import { invalid } from '../domain/errors';
import { OrgTree, type OrgUnit } from '../domain/org';
import { shiftPeriod } from '../domain/period';
import type { ReportTrendPoint } from '../domain/records';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import type { UnitReport } from './report-model';

/** One ranked unit (competition ranking; unscored units last). */
export interface LeagueEntry {
  rank: number | null;
  orgUnit: string;
  name: string;
  n: number;
  csi: number | null;
  ci95: [number, number] | null;
  /** CSI minus the previous month's (null when either is missing or withheld). */
  change: number | null;
  /** Against the reference figure: above / below when the interval excludes it. */
  versusReference: 'above' | 'below' | 'within' | null;
  note: 'withheld' | 'no answers' | '';
}

export interface League {
  /** The depth in the tree (the root is 0) whose units below the report's unit are listed; absent: its children. */
  level?: number;
  reference: { orgUnit: string; name: string; csi: number | null };
  entries: LeagueEntry[];
}

/** Code-point order: the same bytes on every machine, whatever its locale. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Candidate {
  orgUnit: string;
  name: string;
}

/**
 * The league of `report` (already scoped and presented): its children, or with `level` every unit
 * of its subtree at that depth that the caller's scope holds.
 */
export async function leagueOf(deps: Pick<Deps, 'store' | 'config'>, report: UnitReport, access: AccessCheck, level?: number, unitsRead?: Promise<readonly OrgUnit[]>): Promise<League> {
  let candidates: Candidate[];
  let names: ReadonlyMap<string, string>;
  if (level === undefined) {
    candidates = report.children.map((child) => ({ orgUnit: child.orgUnit, name: child.name }));
    names = new Map([...candidates.map((c) => [c.orgUnit, c.name] as const), [report.orgUnit, report.orgUnitName] as const]);
  } else {
    const units = await (unitsRead ?? deps.store.listOrgUnits());
    const tree = new OrgTree(units);
    names = new Map(units.map((unit) => [unit.id, unit.name]));
    const unitDepth = tree.path(report.orgUnit).length - 1;
    if (level <= unitDepth) throw invalid([{ path: 'level', message: `${report.orgUnitName} is at depth ${unitDepth} of the tree (the root is 0): give a level below it, ${unitDepth + 1} or more` }], 'invalid league');
    candidates = [];
    for (const unit of units) {
      if (tree.path(unit.id).length - 1 === level && tree.isWithin(unit.id, report.orgUnit) && (await access.covers(unit.id))) candidates.push({ orgUnit: unit.id, name: unit.name });
    }
    candidates.sort((a, b) => byCodePoint(a.orgUnit, b.orgUnit));
  }
  const referenceUnit = report.path[0] ?? report.orgUnit;
  const previousPeriod = shiftPeriod(report.period, -1);
  const ask = (period: string, orgUnitId: string) => ({ surveyId: report.surveyId, period, version: report.version, orgUnitId, panel: report.panel });
  const points = await deps.store.trendPointsOf([
    ...candidates.map((c) => ask(report.period, c.orgUnit)),
    ...candidates.map((c) => ask(previousPeriod, c.orgUnit)),
    ...(referenceUnit === report.orgUnit ? [] : [ask(report.period, referenceUnit)]),
  ]);
  const shown = (point: ReportTrendPoint | undefined) => (point && point.n >= deps.config.minimumN ? point : undefined);
  const referencePoint = referenceUnit === report.orgUnit ? { n: report.n, csi: report.csi } : shown(points[2 * candidates.length]);
  const reference = referencePoint?.csi ?? null;
  const rows = candidates.map((candidate, i) => {
    const point = points[i];
    const n = point?.n ?? 0;
    const own = shown(point);
    const before = shown(points[candidates.length + i]);
    const csi = own?.csi ?? null;
    const ci95 = own?.ci95 ?? null;
    return {
      orgUnit: candidate.orgUnit,
      name: candidate.name,
      n,
      csi,
      ci95,
      change: csi !== null && before?.csi !== undefined && before.csi !== null ? csi - before.csi : null,
      versusReference: ci95 === null || reference === null ? null : ci95[0] > reference ? ('above' as const) : ci95[1] < reference ? ('below' as const) : ('within' as const),
      note: n > 0 && n < deps.config.minimumN ? ('withheld' as const) : csi === null ? ('no answers' as const) : ('' as const),
    };
  });
  return {
    ...(level === undefined ? {} : { level }),
    reference: { orgUnit: referenceUnit, name: names.get(referenceUnit) ?? (referenceUnit === report.orgUnit ? report.orgUnitName : referenceUnit), csi: reference },
    entries: rank(rows),
  };
}

/** Ranked by CSI (competition ranking: equal figures share a rank; withheld and empty units last, by name). */
function rank(rows: readonly Omit<LeagueEntry, 'rank'>[]): LeagueEntry[] {
  const scoreOf = (row: Omit<LeagueEntry, 'rank'>) => (row.csi === null ? -Infinity : row.csi);
  const ranked = [...rows].sort((a, b) => scoreOf(b) - scoreOf(a) || byCodePoint(a.name, b.name) || byCodePoint(a.orgUnit, b.orgUnit));
  let position = 0;
  let previous: number | undefined;
  return ranked.map((row, i) => {
    const scored = row.csi !== null;
    if (scored && row.csi !== previous) position = i + 1;
    previous = row.csi ?? undefined;
    return { rank: scored ? position : null, ...row };
  });
}
