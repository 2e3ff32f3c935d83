/**
 * GET /admin/reports/{surveyId}/export (issue #15, the CSV part): the league table of a unit's
 * report, or the response-level data of its subtree for analysts, as CSV for a spreadsheet
 * (functions/domain/csv-export.ts neutralises formulas), or the whole report as an XLSX workbook
 * (functions/pages/report-xlsx.ts), or as a PDF (functions/pages/report-pdf.ts). Same data, same
 * bytes: rows have a fixed order and nothing depends on the clock.
 */
import { formatCsv, type CsvValue } from '../domain/csv-export';
import { invalid, problemsFromZod } from '../domain/errors';
import { OrgTree } from '../domain/org';
import { PERIOD_PATTERN } from '../domain/period';
import { MAX_ID_LENGTH } from '../domain/primitives';
import * as z from '../domain/zod';
import type { ResponseRecord } from '../domain/records';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import { getReport } from './reports';
import type { UnitReport } from './report-model';
import type { Questionnaire } from '../domain/questionnaire';
import { byCodePoint, leagueOf, type League } from './league';
import { reportPageData, type ReportPageData } from './report-page';

import { roleMay } from '../domain/access/policy';
import { forbidden } from '../domain/errors';

export const EXPORT_FORMATS = ['csv', 'pdf', 'xlsx'] as const;
export const PDF_LAYOUTS = ['report', 'monthly'] as const;
/** What a CSV export may hold: the league table, or one row per response. */
export const CSV_TABLES = ['league', 'responses'] as const;

/** Lambda answers at most 6 MB: a larger export names a unit lower in the tree instead of failing. */
export const MAX_EXPORT_BYTES = 5_500_000;

const exportQuerySchema = z.strictObject({
  period: z.optional(z.string().check(z.regex(PERIOD_PATTERN, { error: 'expected a month written YYYY-MM' }))),
  orgUnit: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH))),
  format: z.enum(EXPORT_FORMATS, { error: `expected one of ${EXPORT_FORMATS.join(', ')}` }),
  table: z._default(z.enum(CSV_TABLES, { error: `expected one of ${CSV_TABLES.join(', ')}` }), 'league'),
  lang: z.optional(z.string().check(z.maxLength(35))),
  version: z.optional(z.coerce.number().check(z.int(), z.positive())),
  /** The league of every unit at this depth of the tree (the root is 0) below the report's unit, instead of its children. */
  level: z.optional(z.coerce.number().check(z.int(), z.positive(), z.lte(20))),
  /** PDF only: `monthly` is titled 服务监督报告 / Service supervision report. */
  layout: z._default(z.enum(PDF_LAYOUTS, { error: `expected one of ${PDF_LAYOUTS.join(', ')}` }), 'report'),
});

export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
}

/** What an export is made of: a CSV file, or the parts of a workbook its page module writes. */
export type PreparedExport =
  | { format: 'csv'; file: ExportFile }
  | { format: 'xlsx'; filename: string; report: UnitReport; questionnaire: Questionnaire | undefined; league: League; lang: 'zh-CN' | 'en' }
  | { format: 'pdf'; filename: string; page: ReportPageData; lang: 'zh-CN' | 'en'; layout: (typeof PDF_LAYOUTS)[number] };

export const PDF_TYPE = 'application/pdf';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The API answers at most 6 MB, and bytes travel as base64 (4/3 larger): a larger file names the way out. */
export function requireExportSize(bytes: number, binary: boolean, report: Pick<UnitReport, 'orgUnit'>): void {
  const size = binary ? Math.ceil(bytes / 3) * 4 : bytes;
  if (size > MAX_EXPORT_BYTES) {
    throw invalid([{ path: 'orgUnit', message: `the export of ${report.orgUnit} is larger than ${MAX_EXPORT_BYTES / 1e6} MB: export a unit lower in the tree` }], 'invalid export');
  }
}

export async function prepareExport(deps: Pick<Deps, 'store' | 'clock' | 'config' | 'calendars'>, surveyId: string, query: unknown, access: AccessCheck): Promise<PreparedExport> {
  const parsed = exportQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid export');
  const { format, table, period, orgUnit, version, level, layout } = parsed.data;
  if (format !== 'csv' && table === 'responses') throw invalid([{ path: 'table', message: 'the response-level data is exported as CSV (format=csv)' }], 'invalid export');
  const lang = parsed.data.lang === 'en' ? 'en' : 'zh-CN';
  if (format === 'pdf') {
    const page = await reportPageData(deps, { surveyId, period, orgUnit, version, level }, access);
    return { format, filename: `${surveyId}-${page.report.period}-${page.report.orgUnit}${layout === 'monthly' ? '-monthly' : ''}.pdf`, page, lang, layout };
  }
  if (table === 'responses' && !roleMay(access.role, 'responses:export')) throw forbidden("the response-level data is for analysts: your role may export the league table (table=league)");
  // The report answers every scope and "nothing computed" question the same way the page does.
  const report = await getReport(deps, { surveyId, period, orgUnit, version }, access);
  if (level !== undefined && (table !== 'league' || report.panel)) throw invalid([{ path: 'level', message: 'level applies to the league table of the main sample' }], 'invalid export');
  const league = await leagueOf(deps, report, access, level);
  if (format === 'xlsx') {
    const questionnaire = (await deps.store.getSurveyVersion(report.surveyId, report.version))?.definition;
    return { format, filename: `${surveyId}-${report.period}-${report.orgUnit}.xlsx`, report, questionnaire, league, lang };
  }
  const body = table === 'league' ? leagueCsv(league) : await responsesCsv(deps, report, access);
  requireExportSize(Buffer.byteLength(body), false, report);
  return { format, file: { filename: `${surveyId}-${report.period}-${report.orgUnit}-${table}.csv`, contentType: 'text/csv; charset=utf-8', body } };
}

const leagueCsv = (league: League): string =>
  formatCsv(
    ['rank', 'orgUnit', 'name', 'n', 'csi', 'ciLower', 'ciUpper', 'change', 'versusReference', 'note'],
    league.entries.map((row) => [row.rank, row.orgUnit, row.name, row.n, row.csi, row.ci95?.[0] ?? null, row.ci95?.[1] ?? null, row.change, row.versusReference, row.note]),
  );

const cellOf = (value: ResponseRecord['answers'][string] | undefined): CsvValue => {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'object') return Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(';');
  return value;
};

/**
 * One row per response of the unit's subtree in the period (this questionnaire, the report's
 * version), answers as columns in the questionnaire's order, but for units below the minimum n. Text answers may name people: their
 * columns are left out unless the caller has `pii`. Nothing else personal is in a response.
 */
async function responsesCsv(deps: Pick<Deps, 'store' | 'config'>, report: Awaited<ReturnType<typeof getReport>>, access: AccessCheck): Promise<string> {
  const questionnaire = (await deps.store.getSurveyVersion(report.surveyId, report.version))?.definition;
  const questions = (questionnaire?.questions ?? []).filter((q) => access.pii || q.type !== 'text').map((q) => q.id);
  const tree = new OrgTree(await deps.store.listOrgUnits());
  const inSubtree = (unit: string) => tree.isWithin(unit, report.orgUnit);
  const responses: ResponseRecord[] = [];
  for await (const page of deps.store.responsesOf(report.surveyId, report.period)) {
    for (const response of page) {
      // The report's sample only: its version and panel, customers' answers (not management's, gap 1).
      if (response.version !== report.version || response.panel !== report.panel || response.audience !== undefined || !inSubtree(response.orgUnitId)) continue;
      responses.push(response);
    }
  }
  // A unit with fewer responses than the minimum n is withheld in the reports (its respondents could
  // be told apart): its rows are left out here too. They still count in the figures above them.
  const perUnit = new Map<string, number>();
  for (const response of responses) perUnit.set(response.orgUnitId, (perUnit.get(response.orgUnitId) ?? 0) + 1);
  const shown = responses.filter((response) => (perUnit.get(response.orgUnitId) ?? 0) >= deps.config.minimumN);
  shown.sort((a, b) => byCodePoint(a.submittedAt, b.submittedAt) || byCodePoint(a.responseId, b.responseId));
  const meta = ['responseId', 'submittedAt', 'orgUnitId', 'staffId', 'channel', 'lang', 'version'];
  // A question whose id is a column of the response's own (a "channel" question) is answer.<id>.
  const header = [...meta, ...questions.map((id) => (meta.includes(id) ? `answer.${id}` : id))];
  return formatCsv(
    header,
    shown.map((r) => [r.responseId, r.submittedAt, r.orgUnitId, r.staffId, r.channel, r.lang, r.version, ...questions.map((id) => cellOf(r.answers[id]))]),
  );
}
