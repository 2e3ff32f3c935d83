/**
 * A unit's report as an A4 PDF (issue #15's export): a cover with the unit, period and date, the
 * summary, the trend charts, the league table, the index tree and each analysis the report holds.
 * Text and charts are vectors: pdfkit writes the text in Noto Sans SC (every GB2312 character, so
 * place and people's names never lose a glyph), embedding only the glyphs used (a subset), and
 * the charts are the pages' own ECharts SVG (./charts.ts) drawn by svg-to-pdfkit. The monthly
 * layout is titled 服务监督报告 / Service supervision report. The same report gives the same bytes:
 * the document's dates are the report's computation time, and nothing else depends on the clock.
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { isWithheld, type SignificanceMark } from '../app/report-model';
import type { LeagueEntry } from '../app/league';
import { localize } from '../domain/text';
import { ipaChart, trendChart } from './charts';
import type { ReportPageInput } from './report';
import { fmt, percent, signed, titles } from './report-sections/format';
import { moversOf, overallCompliance } from './summary-figures';

export type PdfLayout = 'report' | 'monthly';

const words = {
  'zh-CN': {
    report: '满意度报告', monthly: '服务监督报告', unit: '单位', period: '期间', computed: '数据计算于', questionnaire: '问卷', page: (n: number) => `第 ${n} 页`,
    summary: '概要', csi: '顾客满意度指数 (CSI)', ci: '95% 置信区间', n: '样本数', vsPrevious: '较上期', vsYear: '较去年同期', significant: '显著', notSignificant: '不显著', none: '—',
    element: '要素', indicator: '指标', question: '问题', score: '得分', improved: '上升最多的指标', fell: '下降最多的指标', keyFigures: '关键数字',
    overallGap: '服务差距（总体，P − E）', compliance: '服务承诺达成率', casesOpened: '新开工单', overdue: '当前超时工单', complaints: '万户投诉量', lead: '领先度（对竞争对手）',
    trend: '趋势', trendElements: '各要素趋势', band: '阴影为 CSI 的 95% 置信区间。', league: '排名', rank: '名次', change: '较上期', versus: '与整体相比', above: '显著高于', below: '显著低于', withheld: '样本不足', noAnswers: '无回答',
    tree: '指标体系', model: 'PLS 模型', paths: '路径系数', gof: 'GoF', drivers: '关键驱动因素', importance: '重要性', performance: '表现', ipa: '重要性-表现分析 (IPA)',
    gaps: '服务差距 (SERVQUAL)', dimension: '维度', expectation: '期望 E', perception: '感知 P', gap: '差距 P − E', commitments: '服务承诺兑现', commitment: '承诺', measurable: '可考核事件', met: '达成',
    cases: '工单', scorecard: '客户维度（平衡计分卡）', figure: '指标', value: '数值', reliability: '信度', alpha: 'Cronbach α', nps: '净推荐值 (NPS)',
    caseFigures: { opened: '新开', resolved: '已解决', closed: '已关闭', reopened: '曾重开', overdueNow: '当前超时', firstContact: '按时首次联系', resolve: '按时解决' },
    scorecardFigures: { customers: '服务户数', complaints: '投诉数', complaintsPer10k: '万户投诉量', marketShare: '市场份额', repeatRate: '重复购买率', newCustomerRate: '新客户比例', profitPerCustomer: '户均利润', competitorCsi: '竞争对手 CSI', competitorLead: '领先度' },
  },
  en: {
    report: 'Satisfaction report', monthly: 'Service supervision report', unit: 'Unit', period: 'Period', computed: 'Computed on', questionnaire: 'Questionnaire', page: (n: number) => `Page ${n}`,
    summary: 'Summary', csi: 'Customer satisfaction index (CSI)', ci: '95% CI', n: 'n', vsPrevious: 'vs previous', vsYear: 'vs a year earlier', significant: 'significant', notSignificant: 'not significant', none: '—',
    element: 'Element', indicator: 'Indicator', question: 'Question', score: 'Score', improved: 'Indicators that rose most', fell: 'Indicators that fell most', keyFigures: 'Key figures',
    overallGap: 'Service gap (overall, P − E)', compliance: 'Commitment compliance', casesOpened: 'Cases opened', overdue: 'Cases overdue now', complaints: 'Complaints per 10,000 customers', lead: 'Lead over the competitor',
    trend: 'Trend', trendElements: 'Trend per element', band: "The band is the CSI's 95% interval.", league: 'League', rank: 'Rank', change: 'Change', versus: 'Against the whole', above: 'significantly above', below: 'significantly below', withheld: 'withheld', noAnswers: 'no answers',
    tree: 'Index tree', model: 'PLS model', paths: 'Path coefficients', gof: 'GoF', drivers: 'Key drivers', importance: 'Importance', performance: 'Performance', ipa: 'Importance-performance analysis (IPA)',
    gaps: 'Service quality gaps (SERVQUAL)', dimension: 'Dimension', expectation: 'Expectation E', perception: 'Perception P', gap: 'Gap P − E', commitments: 'Service commitments', commitment: 'Commitment', measurable: 'Measurable', met: 'Met',
    cases: 'Cases', scorecard: 'Customer perspective (balanced scorecard)', figure: 'Figure', value: 'Value', reliability: 'Reliability', alpha: "Cronbach's alpha", nps: 'Net Promoter Score (NPS)',
    caseFigures: { opened: 'Opened', resolved: 'Resolved', closed: 'Closed', reopened: 'Reopened', overdueNow: 'Overdue now', firstContact: 'First contact in time', resolve: 'Resolved in time' },
    scorecardFigures: { customers: 'Customers', complaints: 'Complaints', complaintsPer10k: 'Complaints per 10,000 customers', marketShare: 'Market share', repeatRate: 'Repeat-purchase rate', newCustomerRate: 'New-customer rate', profitPerCustomer: 'Profit per customer', competitorCsi: "Competitor's CSI", competitorLead: 'Lead over the competitor' },
  },
};
type Words = (typeof words)['en'];

const MARGIN = 50;
const A4_WIDTH = 595.28;
const CONTENT_WIDTH = A4_WIDTH - 2 * MARGIN;
const BLUE = '#0b57d0';
const GREY = '#555555';
const LINE = '#d9dde3';

type Cell = string | number | null | undefined;
interface Column {
  title: string;
  /** Share of the content width. */
  width: number;
  align?: 'left' | 'right';
}

export interface ReportPdfOptions {
  layout: PdfLayout;
  /** The CJK font file (TrueType) the text is set in: ./report-font.ts finds it. */
  fontPath: string;
}

/** The report as PDF bytes. */
export async function reportPdf(input: ReportPageInput, lang: string, options: ReportPdfOptions): Promise<Uint8Array> {
  const { report, questionnaire } = input;
  const w: Words = lang in words ? words[lang as keyof typeof words] : words.en;
  const title = titles(questionnaire, lang);
  const fallback = questionnaire?.languages[0] ?? lang;
  const documentTitle = options.layout === 'monthly' ? w.monthly : w.report;
  const computedAt = new Date(report.computedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    // The CJK font from the start: pdfkit's default (Helvetica) would be loaded from files a bundle
    // does not carry, and is never used here. The font is cached under its path, so every later
    // doc.font(path) is the one already parsed.
    font: options.fontPath,
    bufferPages: true,
    lang: lang === 'en' ? 'en' : 'zh-CN',
    displayTitle: true,
    info: { Title: `${documentTitle} · ${report.orgUnitName} · ${report.period}`, Author: 'manyi', Creator: 'manyi', Producer: 'manyi', CreationDate: computedAt, ModDate: computedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const font = options.fontPath;

  const heading = (text: string, size = 15) => {
    ensureSpace(size * 3);
    doc.moveDown(0.6).fillColor('#1a1a1a').fontSize(size).text(text, MARGIN, doc.y, { width: CONTENT_WIDTH });
    doc.moveDown(0.3).fontSize(10);
  };
  const paragraph = (text: string, colour = '#1a1a1a', size = 10) => doc.fillColor(colour).fontSize(size).text(text, MARGIN, doc.y, { width: CONTENT_WIDTH });
  const ensureSpace = (points: number) => {
    if (doc.y + points > doc.page.height - MARGIN - 20) doc.addPage();
  };
  const table = (columns: readonly Column[], rows: readonly (readonly Cell[])[]) => {
    const widths = columns.map((c) => c.width * CONTENT_WIDTH);
    const drawRow = (cells: readonly Cell[], bold: boolean) => {
      const texts = cells.map((cell) => (cell === null || cell === undefined ? '—' : String(cell)));
      doc.fontSize(9);
      const height = Math.max(...texts.map((text, i) => doc.heightOfString(text, { width: widths[i]! - 6 }))) + 6;
      if (doc.y + height > doc.page.height - MARGIN - 20) {
        doc.addPage();
        if (!bold) drawRow(columns.map((c) => c.title), true);
      }
      const top = doc.y;
      let x = MARGIN;
      texts.forEach((text, i) => {
        doc.fillColor(bold ? GREY : '#1a1a1a').text(text, x + 3, top + 3, { width: widths[i]! - 6, align: columns[i]!.align ?? 'left' });
        x += widths[i]!;
      });
      doc.moveTo(MARGIN, top + height).lineTo(MARGIN + CONTENT_WIDTH, top + height).lineWidth(0.5).strokeColor(LINE).stroke();
      doc.x = MARGIN;
      doc.y = top + height;
    };
    drawRow(columns.map((c) => c.title), true);
    for (const row of rows) drawRow(row, false);
    doc.moveDown(0.5);
  };
  const chart = (svg: string, height: number) => {
    ensureSpace(height + 10);
    SVGtoPDF(doc, svg, MARGIN, doc.y, { width: CONTENT_WIDTH, height, preserveAspectRatio: 'xMidYMid meet', fontCallback: () => font });
    doc.x = MARGIN;
    doc.y += height + 6;
  };
  const markWords = (m: SignificanceMark | undefined) => (m ? `${signed(m.difference)} (${m.significant ? w.significant : w.notSignificant}, p ${m.p < 0.001 ? '< 0.001' : `= ${m.p.toFixed(3)}`})` : w.none);

  // The cover.
  doc.moveDown(8).fillColor(BLUE).fontSize(30).text(documentTitle, { align: 'center' });
  doc.moveDown(1.5).fillColor('#1a1a1a').fontSize(18).text(report.orgUnitName, { align: 'center' });
  const path = report.path.map((unit) => input.unitNames?.get(unit) ?? (unit === report.orgUnit ? report.orgUnitName : unit));
  if (path.length > 1) doc.moveDown(0.3).fillColor(GREY).fontSize(11).text(path.join(' › '), { align: 'center' });
  doc.moveDown(1).fillColor('#1a1a1a').fontSize(14).text(`${w.period}: ${report.period}`, { align: 'center' });
  doc.moveDown(0.5).fontSize(11).fillColor(GREY).text(`${w.questionnaire}: ${questionnaire ? localize(questionnaire.title, lang, fallback) : report.surveyId} · v${report.version}`, { align: 'center' });
  doc.moveDown(0.3).text(`${w.computed} ${report.computedAt.slice(0, 10)}`, { align: 'center' });

  // The summary.
  doc.addPage();
  heading(w.summary, 18);
  paragraph(w.csi, GREY);
  doc.fillColor('#1a1a1a').fontSize(28).text(report.csi === null ? '—' : fmt(report.csi));
  paragraph(`${w.ci}: ${report.csiCi95 ? `${fmt(report.csiCi95[0])}–${fmt(report.csiCi95[1])}` : '—'} · ${w.n} ${report.n}`);
  const marks = report.significance;
  paragraph(`${w.vsPrevious}${marks?.previous ? ` (${marks.previous.period})` : ''}: ${markWords(marks?.csi.previous)}`);
  paragraph(`${w.vsYear}${marks?.yearEarlier ? ` (${marks.yearEarlier.period})` : ''}: ${markWords(marks?.csi.yearEarlier)}`);
  doc.moveDown(0.5);
  table(
    [{ title: w.element, width: 0.34 }, { title: w.score, width: 0.14, align: 'right' }, { title: w.vsPrevious, width: 0.26, align: 'right' }, { title: w.vsYear, width: 0.26, align: 'right' }],
    report.elements.map((e) => [title(e.id), fmt(e.score), markWords(marks?.elements[e.id]?.previous), markWords(marks?.elements[e.id]?.yearEarlier)]),
  );
  const movers = moversOf(report);
  for (const [label, top] of [[w.improved, movers.up], [w.fell, movers.down]] as const) {
    paragraph(label, GREY);
    paragraph(top.length === 0 ? w.none : top.map((m, i) => `${i + 1}. ${title(m.id)} ${markWords(m.mark)}`).join('\n'));
    doc.moveDown(0.3);
  }
  const keyFigures: [string, string][] = [];
  const gaps = report.gaps && !isWithheld(report.gaps) ? report.gaps : undefined;
  if (gaps) keyFigures.push([w.overallGap, fmt(gaps.overall.weighted ?? gaps.overall.unweighted, 2)]);
  const commitments = report.commitments ?? [];
  if (commitments.length > 0) {
    keyFigures.push([w.compliance, percent(overallCompliance(commitments).share)]);
  }
  if (report.cases) keyFigures.push([w.casesOpened, String(report.cases.opened)], [w.overdue, String(report.cases.overdueNow)]);
  if (report.scorecard) keyFigures.push([w.complaints, fmt(report.scorecard.complaintsPer10k, 2)], [w.lead, report.scorecard.competitorLead === null ? '—' : signed(report.scorecard.competitorLead)]);
  if (keyFigures.length > 0) {
    heading(w.keyFigures, 12);
    table([{ title: w.figure, width: 0.7 }, { title: w.value, width: 0.3, align: 'right' }], keyFigures);
  }

  // The trend.
  const trend = report.trend ?? [];
  if (trend.some((p) => p.n > 0)) {
    doc.addPage();
    heading(w.trend);
    const periods = trend.map((p) => p.period);
    chart(trendChart({ periods, series: [{ name: 'CSI', values: trend.map((p) => p.csi) }], band: trend.map((p) => p.ci95 ?? null), width: 640, height: 260 }), 235);
    paragraph(w.band, GREY, 9);
    heading(w.trendElements, 12);
    chart(trendChart({ periods, series: report.elements.map((e) => ({ name: title(e.id), values: trend.map((p) => p.elements?.[e.id] ?? null) })), width: 640, height: 300 }), 270);
  }

  // The league.
  const league = input.league;
  if (league && league.entries.length > 0) {
    doc.addPage();
    heading(w.league);
    const versus = (e: LeagueEntry) => (e.versusReference === 'above' ? w.above : e.versusReference === 'below' ? w.below : '');
    table(
      [
        { title: w.rank, width: 0.08, align: 'right' }, { title: w.unit, width: 0.3 }, { title: w.n, width: 0.09, align: 'right' }, { title: 'CSI', width: 0.1, align: 'right' },
        { title: w.ci, width: 0.15, align: 'right' }, { title: w.change, width: 0.1, align: 'right' }, { title: w.versus, width: 0.18 },
      ],
      league.entries.map((e) => [
        e.rank, e.name, e.n, e.note === 'withheld' ? w.withheld : e.note === 'no answers' ? w.noAnswers : fmt(e.csi),
        e.ci95 ? `${fmt(e.ci95[0])}–${fmt(e.ci95[1])}` : '—', e.change === null ? '—' : signed(e.change), versus(e),
      ]),
    );
  }

  // The index tree.
  if (report.elements.length > 0 && !report.withheld) {
    doc.addPage();
    heading(w.tree);
    const rows: Cell[][] = [];
    for (const element of report.elements) {
      rows.push([title(element.id), fmt(element.score), element.n, '']);
      for (const indicator of element.indicators) {
        rows.push([`  ${title(indicator.id)}`, fmt(indicator.score), indicator.n, '']);
        for (const q of indicator.questions) rows.push([`    ${title(q.id, 'question')}`, fmt(q.score), q.n, q.ci95 ? `${fmt(q.ci95[0])}–${fmt(q.ci95[1])}` : '—']);
      }
    }
    table([{ title: `${w.element} / ${w.indicator} / ${w.question}`, width: 0.58 }, { title: w.score, width: 0.12, align: 'right' }, { title: w.n, width: 0.12, align: 'right' }, { title: w.ci, width: 0.18, align: 'right' }], rows);
  }

  // The analyses.
  const model = report.model && !isWithheld(report.model) ? report.model : undefined;
  if (model?.estimate) {
    heading(`${w.model} · ${w.gof} ${fmt(model.estimate.gof, 3)}`);
    table(
      [{ title: w.paths, width: 0.8 }, { title: '', width: 0.2, align: 'right' }],
      Object.entries(model.estimate.paths).map(([key, value]) => {
        const [from = '', to = ''] = key.split('->');
        return [`${title(from)} → ${title(to)}`, fmt(value, 3)];
      }),
    );
  }
  const drivers = report.drivers && !isWithheld(report.drivers) ? report.drivers : undefined;
  const ipa = report.ipa && !isWithheld(report.ipa) ? report.ipa : undefined;
  if (drivers && drivers.key.status === 'ok') {
    heading(w.drivers);
    table([{ title: w.indicator, width: 0.6 }, { title: w.importance, width: 0.2, align: 'right' }, { title: w.performance, width: 0.2, align: 'right' }], drivers.key.predictors.map((id) => [title(id), percent(drivers.key.rescaled?.[id]), fmt(ipa?.items?.find((item) => item.id === id)?.performance)]));
  }
  if (ipa?.items && ipa.items.length > 0) {
    heading(w.ipa, 12);
    chart(ipaChart({ points: ipa.items.map((item) => ({ label: title(item.id), x: item.performance, y: item.importance })), xMean: ipa.performanceMean ?? null, yMean: ipa.importanceMean ?? null, xName: w.performance, yName: w.importance, width: 560, height: 320 }), 300);
  }
  if (gaps) {
    heading(w.gaps);
    table(
      [{ title: w.dimension, width: 0.4 }, { title: w.expectation, width: 0.2, align: 'right' }, { title: w.perception, width: 0.2, align: 'right' }, { title: w.gap, width: 0.2, align: 'right' }],
      gaps.dimensions.map((d) => [d.id, fmt(d.E, 2), fmt(d.P, 2), d.gap === null ? '—' : signed(d.gap, 2)]),
    );
  }
  if (commitments.length > 0) {
    heading(w.commitments);
    table(
      [{ title: w.commitment, width: 0.52 }, { title: w.measurable, width: 0.16, align: 'right' }, { title: w.met, width: 0.14, align: 'right' }, { title: w.compliance, width: 0.18, align: 'right' }],
      commitments.map((c) => [c.title ? localize(c.title, lang, fallback) : c.id, c.n, c.met, percent(c.compliance)]),
    );
  }
  if (report.cases) {
    const c = report.cases;
    heading(w.cases);
    table([{ title: w.figure, width: 0.7 }, { title: w.value, width: 0.3, align: 'right' }], [
      ...(['opened', 'resolved', 'closed', 'reopened', 'overdueNow'] as const).map((field): Cell[] => [w.caseFigures[field], c[field]]),
      [w.caseFigures.firstContact, percent(c.firstContact.share)], [w.caseFigures.resolve, percent(c.resolve.share)],
      ...c.rootCauses.map((r): Cell[] => [r.label ? localize(r.label, lang, 'en') : r.rootCause, r.count]),
    ]);
  }
  if (report.scorecard) {
    const s = report.scorecard;
    heading(w.scorecard);
    const fields = ['customers', 'complaints', 'complaintsPer10k', 'marketShare', 'repeatRate', 'newCustomerRate', 'profitPerCustomer', 'competitorCsi', 'competitorLead'] as const;
    table([{ title: w.figure, width: 0.7 }, { title: w.value, width: 0.3, align: 'right' }], fields.map((field) => [w.scorecardFigures[field], s[field] === null ? '—' : String(Math.round(s[field]! * 1000) / 1000)]));
  }
  const reliability = report.reliability && !isWithheld(report.reliability) ? report.reliability : undefined;
  if (reliability) {
    heading(w.reliability);
    table([{ title: w.element, width: 0.6 }, { title: w.n, width: 0.2, align: 'right' }, { title: w.alpha, width: 0.2, align: 'right' }], Object.entries(reliability).map(([element, r]) => [title(element), r.n, r.status === 'ok' ? fmt(r.alpha, 3) : '—']));
  }

  // Page numbers and the running head, on every page but the cover.
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - MARGIN + 10;
    // Writing in the bottom margin must not start a new page.
    doc.page.margins.bottom = 0;
    doc.fillColor(GREY).fontSize(8).text(`${documentTitle} · ${report.orgUnitName} · ${report.period}`, MARGIN, bottom, { width: CONTENT_WIDTH / 2, lineBreak: false });
    doc.text(w.page(i), MARGIN + CONTENT_WIDTH / 2, bottom, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
    doc.page.margins.bottom = MARGIN;
  }
  doc.end();
  await finished;
  return new Uint8Array(Buffer.concat(chunks));
}
