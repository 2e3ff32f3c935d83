/**
 * A unit's report as an XLSX workbook (issue #15's export): one sheet per section (the summary,
 * the index tree, the league of the units below, the trend, and the commitments, cases and
 * scorecard where the report has them), numbers stored as numbers with display formats, header
 * rows frozen. ExcelJS writes the workbook (the format is too intricate to hand-write); its zip
 * stamps each entry with the time of writing, so the entries are packed again by fflate in name
 * order with one fixed time: the same report gives the same bytes.
 */
import ExcelJS from 'exceljs';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { UnitReport } from '../app/report-model';
import type { League } from '../app/league';
import type { Questionnaire } from '../domain/questionnaire';
import { localize } from '../domain/text';
import { titles } from './report-sections/format';

/** DOS time starts in 1980: the earliest time a zip entry can carry, and the one every entry gets. */
const ZIP_TIME = new Date('1980-01-01T00:00:00Z');

const words = {
  'zh-CN': {
    summary: '概要', tree: '指标体系', league: '下级单位排名', trend: '趋势', commitments: '服务承诺', cases: '工单', scorecard: '客户维度',
    questionnaire: '问卷', version: '版本', unit: '单位', period: '期间', n: '样本数', csi: 'CSI', computedAt: '计算时间',
    level: '层级', id: '编号', name: '名称', score: '得分', mean: '均值', low: '95% 下限', high: '95% 上限', rank: '名次', note: '说明',
    element: '要素', indicator: '指标', question: '问题', withheld: '样本不足，不予公布', noAnswers: '无回答',
    change: '较上期', versus: '与整体相比', above: '显著高于', below: '显著低于', within: '无显著差异',
    figure: '指标', value: '数值', met: '达成', compliance: '达成率', p50: '中位时长 (小时)', p90: '90% 分位时长 (小时)',
  },
  en: {
    summary: 'Summary', tree: 'Index tree', league: 'League', trend: 'Trend', commitments: 'Commitments', cases: 'Cases', scorecard: 'Scorecard',
    questionnaire: 'Questionnaire', version: 'Version', unit: 'Unit', period: 'Period', n: 'n', csi: 'CSI', computedAt: 'Computed at',
    level: 'Level', id: 'Id', name: 'Name', score: 'Score', mean: 'Mean', low: '95% low', high: '95% high', rank: 'Rank', note: 'Note',
    element: 'element', indicator: 'indicator', question: 'question', withheld: 'withheld (too few responses)', noAnswers: 'no answers',
    change: 'Change', versus: 'Against the whole', above: 'significantly above', below: 'significantly below', within: 'not significantly different',
    figure: 'Figure', value: 'Value', met: 'Met', compliance: 'Compliance', p50: 'Median (h)', p90: '90th percentile (h)',
  },
};

type Cell = string | number | null | undefined;

/** A sheet with a frozen, bold header row and the display format of each column (null: general). */
function sheet(workbook: ExcelJS.Workbook, name: string, header: readonly string[], rows: readonly (readonly Cell[])[], formats: readonly (string | null)[] = []): void {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow([...header]).font = { bold: true };
  for (const row of rows) ws.addRow(row.map((cell) => (cell === undefined ? null : cell)));
  header.forEach((title, i) => {
    const column = ws.getColumn(i + 1);
    column.width = Math.min(48, Math.max(10, title.length + 2));
    const format = formats[i];
    if (format) column.numFmt = format;
  });
}

export async function reportWorkbook(report: UnitReport, questionnaire: Questionnaire | undefined, league: League, lang: string): Promise<Uint8Array> {
  const w = lang in words ? words[lang as keyof typeof words] : words.en;
  const fallback = questionnaire?.languages[0] ?? lang;
  const titleOf = titles(questionnaire, lang);
  const workbook = new ExcelJS.Workbook();
  // Fixed document properties: the workbook says when the figures were computed, not when it was written.
  workbook.creator = 'manyi';
  workbook.created = new Date(report.computedAt);
  workbook.modified = new Date(report.computedAt);

  sheet(
    workbook,
    w.summary,
    [w.figure, w.value],
    [
      [w.questionnaire, questionnaire ? localize(questionnaire.title, lang, fallback) : report.surveyId],
      [w.version, report.version],
      [w.unit, report.orgUnitName],
      [w.period, report.period],
      [w.n, report.n],
      [w.csi, report.withheld ? w.withheld : report.csi],
      [w.low, report.csiCi95?.[0]],
      [w.high, report.csiCi95?.[1]],
      [w.computedAt, report.computedAt],
    ],
    [null, '0.0'],
  );

  const treeRows: Cell[][] = [];
  for (const element of report.elements) {
    treeRows.push([w.element, element.id, titleOf(element.id), element.score, null, element.n, null, null]);
    for (const indicator of element.indicators) {
      treeRows.push([w.indicator, indicator.id, titleOf(indicator.id), indicator.score, null, indicator.n, null, null]);
      for (const q of indicator.questions) treeRows.push([w.question, q.id, titleOf(q.id), q.score, q.mean, q.n, q.ci95?.[0], q.ci95?.[1]]);
    }
  }
  sheet(workbook, w.tree, [w.level, w.id, w.name, w.score, w.mean, w.n, w.low, w.high], treeRows, [null, null, null, '0.0', '0.00', '0', '0.0', '0.0']);

  sheet(
    workbook,
    w.league,
    [w.rank, w.id, w.name, w.n, w.csi, w.low, w.high, w.change, w.versus, w.note],
    league.entries.map((row) => [
      row.rank, row.orgUnit, row.name, row.n, row.csi, row.ci95?.[0], row.ci95?.[1], row.change,
      row.versusReference === null ? null : w[row.versusReference],
      row.note === 'withheld' ? w.withheld : row.note === 'no answers' ? w.noAnswers : '',
    ]),
    ['0', null, null, '0', '0.0', '0.0', '0.0', '+0.0;-0.0;0.0', null, null],
  );

  if (report.trend) sheet(workbook, w.trend, [w.period, w.n, w.csi, w.low, w.high], report.trend.map((p) => [p.period, p.n, p.csi, p.ci95?.[0], p.ci95?.[1]]), [null, '0', '0.0', '0.0', '0.0']);

  if (report.commitments && report.commitments.length > 0) {
    sheet(
      workbook,
      w.commitments,
      [w.id, w.name, w.n, w.met, w.compliance, w.p50, w.p90],
      report.commitments.map((c) => [c.id, c.title ? localize(c.title, lang, fallback) : c.id, c.n, c.met, c.compliance, c.p50, c.p90]),
      [null, null, '0', '0', '0.0%', '0.0', '0.0'],
    );
  }

  // The read-time sections as figure / value sheets, their figures named as the JSON report names them.
  const figureSheet = (name: string, figures: readonly (readonly [string, Cell])[]) => sheet(workbook, name, [w.figure, w.value], figures, [null, '0.###']);
  if (report.cases) {
    const c = report.cases;
    figureSheet(w.cases, [
      ['opened', c.opened],
      ['resolved', c.resolved],
      ['closed', c.closed],
      ['reopened', c.reopened],
      ['overdueNow', c.overdueNow],
      ...(['firstContact', 'resolve'] as const).flatMap((deadline) => (['share', 'p50Hours', 'p90Hours'] as const).map((field): [string, Cell] => [`${deadline}.${field}`, c[deadline][field]])),
      ['followUp.solvedShare', c.followUp.solvedShare],
      ['followUp.handledMean', c.followUp.handledMean],
      ...c.rootCauses.map((r): [string, Cell] => [`rootCause.${r.rootCause}`, r.count]),
    ]);
  }
  if (report.scorecard) {
    const s = report.scorecard;
    const fields = ['customers', 'complaints', 'complaintsPer10k', 'marketShare', 'repeatRate', 'newCustomerRate', 'profitPerCustomer', 'competitorCsi', 'competitorLead'] as const;
    figureSheet(w.scorecard, fields.map((field): [string, Cell] => [field, s[field]]));
  }

  const written = unzipSync(new Uint8Array(await workbook.xlsx.writeBuffer()));
  const entries: Zippable = {};
  for (const name of Object.keys(written).sort()) entries[name] = [written[name]!, { mtime: ZIP_TIME }];
  return zipSync(entries, { level: 6 });
}
