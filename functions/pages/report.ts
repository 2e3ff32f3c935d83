/**
 * The executive's report pages: a summary that fits about two screens at 1280 x 800 (the CSI with
 * its interval and changes, the trend chart, the elements, the indicators that moved most, tiles
 * for gaps, commitments, cases, complaints and the competitor lead, the league table), and one
 * detail page per analysis (`view=`), linked from the summary. Every figure is the JSON report's
 * (or the league's, ../app/league.ts); charts are server-drawn SVG (./charts.ts), so the pages
 * need no script. Wide tables scroll inside their own box; nothing scrolls sideways at 375 px.
 */
import type { League, LeagueEntry } from '../app/league';
import { isWithheld, type SignificanceMark, type UnitReport } from '../app/report-model';
import type { Questionnaire } from '../domain/questionnaire';
import { localize } from '../domain/text';
import { trendChart } from './charts';
import { escapeHtml, html, raw, type Html } from './html';
import { t, type MessageKey } from './i18n';
import { page } from './layout';
import { reportSections } from './report-sections';
import { fmt, markText, percent, signed, titles } from './report-sections/format';
import { moversOf, overallCompliance, type Mover } from './summary-figures';

const words = {
  'zh-CN': {
    unknownSurvey: '没有这份问卷', noData: '该期间没有可显示的报告', noDataHint: '所选单位在该期间还没有计算出的报告：可能还没有回答，或本月的计算尚未运行。',
    report: '满意度报告', period: '期间', unit: '单位', csi: '顾客满意度指数 (CSI)', element: '要素', indicator: '指标', question: '问题', score: '得分', mean: '均值', n: '样本数',
    ci: '95% 置信区间', trend: '趋势', notes: '说明', computed: '计算时间', views: '报告内容',
    summary: '概要', elements: '要素与指标', league: '排名', vsPrevious: '较上期', vsYear: '较去年同期', noComparison: '无可比数据',
    improved: '上升最多的指标', fell: '下降最多的指标', none: '—', moversNote: '与上期相比；显著变化（p < 0.05）排在前面。',
    rank: '名次', change: '较上期', versus: '与整体相比', above: '显著高于', below: '显著低于', within: '—', withheld: '样本不足', noAnswers: '无回答',
    allUnits: (n: number) => `全部 ${n} 个单位`, leagueOf: (name: string) => `下级单位（与「${name}」的 CSI 比较）`, leagueAt: (level: number, name: string) => `第 ${level} 级全部单位（与「${name}」的 CSI 比较）`,
    level: '层级', levelOption: (level: number, units: number) => `第 ${level} 级（${units} 个单位）`, children: '下级单位', show: '显示',
    leagueNote: '“显著高于/低于”：该单位 CSI 的 95% 置信区间完全高于/低于比较对象的 CSI（α = 0.05）。样本不足的单位不予显示得分。',
    gapsTile: '服务差距', overallGap: '总体差距', widest: '差距最大', commitmentsTile: '服务承诺兑现', compliance: '达成率', events: (n: number) => `${n} 个可考核事件`,
    casesTile: '工单', opened: '新开', overdue: '当前超时', resolvedInTime: '按时解决', complaintsTile: '万户投诉量', fromMetrics: '按上报的投诉数', fromCases: '按顾客提出的工单计算',
    leadTile: '领先度（对竞争对手）', competitor: '竞争对手', detail: '详情', trendByElement: '各要素趋势', bandNote: '阴影为 CSI 的 95% 置信区间。', perElement: '按要素查看',
    chartCsi: (first: string, last: string) => `CSI 趋势图，${first} 至 ${last}`, chartElements: '各要素得分趋势图',
  },
  en: {
    unknownSurvey: 'No such questionnaire', noData: 'No report for this period', noDataHint: 'The unit has no computed report for this period yet: there may be no answers, or the month has not been computed yet.',
    report: 'Satisfaction report', period: 'Period', unit: 'Unit', csi: 'Customer satisfaction index (CSI)', element: 'Element', indicator: 'Indicator', question: 'Question', score: 'Score', mean: 'Mean', n: 'n',
    ci: '95% CI', trend: 'Trend', notes: 'Notes', computed: 'Computed', views: 'Report contents',
    summary: 'Summary', elements: 'Elements and indicators', league: 'League', vsPrevious: 'vs previous', vsYear: 'vs a year earlier', noComparison: 'nothing to compare with',
    improved: 'Indicators that rose most', fell: 'Indicators that fell most', none: '—', moversNote: 'Against the previous period; significant changes (p < 0.05) first.',
    rank: 'Rank', change: 'Change', versus: 'Against the whole', above: 'significantly above', below: 'significantly below', within: '—', withheld: 'withheld', noAnswers: 'no answers',
    allUnits: (n: number) => `All ${n} units`, leagueOf: (name: string) => `Units below (against the CSI of ${name})`, leagueAt: (level: number, name: string) => `Every unit at level ${level} (against the CSI of ${name})`,
    level: 'Level', levelOption: (level: number, units: number) => `Level ${level} (${units} units)`, children: 'Units below', show: 'Show',
    leagueNote: "Significantly above / below: the unit's 95% interval of the CSI lies wholly above / below the CSI it is compared with (alpha 0.05). Units with too few responses show no score.",
    gapsTile: 'Service gaps', overallGap: 'Overall gap', widest: 'Widest', commitmentsTile: 'Service commitments', compliance: 'Compliance', events: (n: number) => `${n} measurable events`,
    casesTile: 'Cases', opened: 'Opened', overdue: 'Overdue now', resolvedInTime: 'Resolved in time', complaintsTile: 'Complaints per 10,000 customers', fromMetrics: 'complaints as posted', fromCases: 'counted from customers\' cases',
    leadTile: 'Lead over the competitor', competitor: 'Competitor', detail: 'Details', trendByElement: 'Trend per element', bandNote: "The band is the CSI's 95% interval.", perElement: 'Per element',
    chartCsi: (first: string, last: string) => `Chart of the CSI from ${first} to ${last}`, chartElements: "Chart of the elements' scores",
  },
};
type Words = (typeof words)['en'];
const wordsFor = (lang: string): Words => (lang in words ? words[lang as keyof typeof words] : words.en);

/** The pages of a report: the summary, the fixed views, and one per analysis section. */
export const REPORT_VIEWS = ['summary', 'elements', 'trend', 'league', ...reportSections.map((section) => section.id).filter((id) => id !== 'withheld')] as const;
export type ReportView = (typeof REPORT_VIEWS)[number];

export interface ReportPageInput {
  report: UnitReport;
  questionnaire: Questionnaire | undefined;
  /** Names of the units (breadcrumb, league reference); without it the units above show their ids. */
  unitNames?: ReadonlyMap<string, string>;
  /** The league (../app/league.ts); without it, the report's children ranked by CSI. */
  league?: League;
  /** Depths of the tree below the unit with their unit counts: the league's level choice. */
  levels?: readonly { level: number; units: number }[];
}

/** The summary's and detail pages' own CSS: the grid, tiles, scrolling tables, marks. */
const REPORT_CSS = `
.wide{display:none}
@media (min-width:48rem){main{max-width:76rem}.wide{display:block}.narrow{display:none}.grid{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:1rem}.grid.wide-first{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}.grid>.card{margin:0}.grid{margin-bottom:1rem}}
.scroll{overflow-x:auto;max-width:100%}
.scroll:focus-visible{outline:3px solid #f4b400}
.views ul{display:flex;flex-wrap:wrap;gap:.25rem .75rem;list-style:none;padding:0;margin:0}
.views a[aria-current]{font-weight:700;color:#1a1a1a;text-decoration:none}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.75rem;margin:0 0 1rem}
.tile{background:#fff;border:1px solid #d9dde3;border-radius:.75rem;padding:.75rem}
.tile h2{font-size:.95rem;margin:0 0 .25rem}
.tile .figure{font-size:1.6rem;font-weight:700;line-height:1.2}
.tile p{margin:.2rem 0;font-size:.9rem}
.up{color:#137333}.down{color:#b3261e}
.changes{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.movers{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:0 1rem}
.movers ol{padding-left:1.25rem;margin:.25rem 0}
figure.chart{margin:0}
figure.chart svg{display:block;max-width:100%;height:auto}
.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
.inline label{font-weight:600}
.inline select{min-height:2.75rem;font:inherit;padding:.25rem .5rem;border:1px solid #9aa3ad;border-radius:.5rem;background:#fff}
.inline button{width:auto;padding:0 1.25rem;min-height:2.75rem}
tr.gap td{color:#555;text-align:center}
`;

const bar = (score: number | null): Html => {
  const width = score === null ? 0 : Math.max(0, Math.min(100, score));
  return html`<div class="bar" role="img" aria-label="${fmt(score)}"><span style="width:${width.toFixed(1)}%"></span></div>`;
};

const interval = (ci: readonly [number, number] | null | undefined): string => (ci ? `${fmt(ci[0])}–${fmt(ci[1])}` : '—');

/** A change with its mark, or "—" without a comparison. */
const change = (m: SignificanceMark | undefined): Html => (m ? html`<span title="${m.test}">${markText(m)}</span>` : html`<span class="muted">—</span>`);

/** The page of one view of a report. */
export function reportPage(input: ReportPageInput, lang: string, view: ReportView = 'summary'): string {
  const { report, questionnaire } = input;
  const w = wordsFor(lang);
  const fallback = questionnaire?.languages[0] ?? lang;
  const title = titles(questionnaire, lang);
  const surveyTitle = questionnaire ? localize(questionnaire.title, lang, fallback) : report.surveyId;
  const nameOf = (unit: string) => input.unitNames?.get(unit) ?? (unit === report.orgUnit ? report.orgUnitName : unit);
  const href = (params: { orgUnit?: string; view?: ReportView; level?: number; period?: string }) => {
    const query = new URLSearchParams({ period: params.period ?? report.period, orgUnit: params.orgUnit ?? report.orgUnit, lang });
    if (report.panel) query.set('panel', report.panel);
    if (params.view && params.view !== 'summary') query.set('view', params.view);
    if (params.level !== undefined) query.set('level', String(params.level));
    return `?${query.toString()}`;
  };
  const viewName = (id: ReportView): string => (id in w ? String(w[id as keyof Words]) : (sectionTitles[lang] ?? sectionTitles.en!)[id] ?? id);
  const ctx: ViewContext = { input, lang, w, title, href, nameOf, viewName };

  const available = REPORT_VIEWS.filter((id) => viewHasContent(report, id));
  const header = [
    html`<p class="muted">${surveyTitle} · v${String(report.version)}${report.panel ? ` · ${report.panel}` : ''}</p>`,
    html`<h1>${report.orgUnitName} · ${report.period}${view === 'summary' ? '' : ` · ${viewName(view)}`}</h1>`,
    report.path.length > 1
      ? html`<nav aria-label="${w.unit}"><p>${report.path.map((unit, i) => (i < report.path.length - 1 ? html`<a href="${href({ orgUnit: unit, view })}">${nameOf(unit)}</a> › ` : html`<span>${nameOf(unit)}</span>`))}</p></nav>`
      : html``,
    html`<nav class="views card" aria-label="${w.views}"><ul>${available.map((id) => html`<li><a href="${href({ view: id })}"${id === view ? html` aria-current="page"` : html``}>${viewName(id)}</a></li>`)}</ul></nav>`,
  ];
  const withheldNotice = reportSections.find((section) => section.id === 'withheld')?.render(report, questionnaire, lang) ?? html``;
  const body = view === 'summary' ? summaryView(ctx) : view === 'elements' ? elementsView(ctx) : view === 'trend' ? trendView(ctx) : view === 'league' ? leagueView(ctx, true) : sectionView(ctx, view);
  return page({
    lang,
    title: `${w.report}: ${surveyTitle} · ${report.orgUnitName} · ${report.period}`,
    css: REPORT_CSS,
    body: [
      ...header,
      withheldNotice,
      body,
      html`<footer class="muted">${view === 'summary' && report.notes.length > 0 ? html`<p>${w.notes}: ${report.notes.join('; ')}</p>` : html``}<p>${w.computed}: ${report.computedAt}</p></footer>`,
    ],
  });
}

interface ViewContext {
  input: ReportPageInput;
  lang: string;
  w: Words;
  title: (id: string, kind?: string) => string;
  href: (params: { orgUnit?: string; view?: ReportView; level?: number; period?: string }) => string;
  nameOf: (unit: string) => string;
  viewName: (view: ReportView) => string;
}

/** The analysis sections' names in the contents (each section's own heading says more). */
const sectionTitles: Record<string, Partial<Record<ReportView, string>>> = {
  'zh-CN': { model: 'PLS 模型', weighted: '加权', significance: '显著性', proportions: 'NPS 与满意率', drivers: '驱动因素与 IPA', fuzzy: '模糊评价', reliability: '信度', gaps: '服务差距', commitments: '服务承诺', cases: '工单', scorecard: '客户维度' },
  en: { model: 'PLS model', weighted: 'Weighting', significance: 'Significance', proportions: 'NPS and top-2-box', drivers: 'Drivers and IPA', fuzzy: 'Fuzzy evaluation', reliability: 'Reliability', gaps: 'Service gaps', commitments: 'Commitments', cases: 'Cases', scorecard: 'Scorecard' },
};

function viewHasContent(report: UnitReport, view: ReportView): boolean {
  if (view === 'summary' || view === 'elements') return true;
  if (view === 'trend') return (report.trend ?? []).some((p) => p.n > 0);
  if (view === 'league') return report.children.length > 0;
  const figures = report[view as keyof UnitReport];
  if (figures === undefined || isWithheld(figures)) return false;
  return Array.isArray(figures) ? figures.length > 0 : true;
}

function sectionView(ctx: ViewContext, view: ReportView): Html {
  const { report, questionnaire } = ctx.input;
  const section = reportSections.find((s) => s.id === view);
  const figures = report[view as keyof UnitReport];
  const rendered = section && figures !== undefined && !isWithheld(figures) ? section.render(report, questionnaire, ctx.lang) : undefined;
  return rendered ? scrollableTables(rendered, ctx.viewName(view)) : html`<section class="card"><p>${ctx.w.noComparison}</p></section>`;
}

/**
 * Each table of a section in a box of its own that scrolls sideways when the table is wider than
 * the screen (a focusable, named region, so keyboard users can scroll it too), not the page.
 */
function scrollableTables(section: Html, label: string): Html {
  let count = 0;
  const text = section.text
    .replace(/<table(\s[^>]*)?>/g, (table) => `<div class="scroll" tabindex="0" role="region" aria-label="${escapeHtml(label)} ${String(++count)}">${table}`)
    .replace(/<\/table>/g, '</table></div>');
  return raw(text);
}

function summaryView(ctx: ViewContext): Html {
  const { input, w, title, href } = ctx;
  const { report } = input;
  const marks = report.significance;
  const csiCard = html`<section class="card" aria-labelledby="csi-title"><h2 id="csi-title">${w.csi}</h2>
<p class="big">${fmt(report.csi)}</p>
<p>${w.ci}: ${interval(report.csiCi95)} · ${w.n} ${String(report.n)}</p>
${bar(report.csi)}
<div class="changes"><p>${w.vsPrevious}${marks?.previous ? ` (${marks.previous.period})` : ''}: ${change(marks?.csi.previous)}</p><p>${w.vsYear}${marks?.yearEarlier ? ` (${marks.yearEarlier.period})` : ''}: ${change(marks?.csi.yearEarlier)}</p></div>
</section>`;
  const trendCard = html`<section class="card" aria-labelledby="trend-title"><h2 id="trend-title">${w.trend}</h2>${trendFigure(ctx, false)}<p class="muted">${w.bandNote} <a href="${href({ view: 'trend' })}">${w.perElement}</a></p></section>`;

  const elementRows = report.elements.map(
    (element) =>
      html`<tr><th scope="row">${title(element.id)}</th><td class="num">${fmt(element.score)}</td><td>${bar(element.score)}</td><td class="num">${change(marks?.elements[element.id]?.previous)}</td><td class="num">${change(marks?.elements[element.id]?.yearEarlier)}</td></tr>`,
  );
  const elementsCard = html`<section class="card" aria-labelledby="elements-title"><h2 id="elements-title"><a href="${href({ view: 'elements' })}">${w.element}</a></h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="elements-title"><table><thead><tr><th scope="col">${w.element}</th><th scope="col" class="num">${w.score}</th><th scope="col"><span class="sr">${w.score}</span></th><th scope="col" class="num">${w.vsPrevious}</th><th scope="col" class="num">${w.vsYear}</th></tr></thead><tbody>${elementRows}</tbody></table></div></section>`;

  const movers = moversOf(report);
  const moverList = (list: readonly Mover[]) =>
    list.length === 0 ? html`<p class="muted">${w.none}</p>` : html`<ol>${list.map((m) => html`<li>${title(m.id)}: ${change(m.mark)}</li>`)}</ol>`;
  const moversCard = html`<section class="card" aria-labelledby="movers-title"><h2 id="movers-title" class="sr">${w.improved} / ${w.fell}</h2>
<div class="movers"><div><h3>${w.improved}</h3>${moverList(movers.up)}</div><div><h3>${w.fell}</h3>${moverList(movers.down)}</div></div>
<p class="muted">${marks?.previous ? w.moversNote : w.noComparison}</p></section>`;

  return html`<div class="grid">${csiCard}${trendCard}</div>
<div class="grid wide-first">${elementsCard}${moversCard}</div>
${tiles(ctx)}
${leagueView(ctx, false)}`;
}

function tile(heading: string, link: string, figure: string, lines: readonly (Html | string)[]): Html {
  return html`<section class="tile"><h2><a href="${link}">${heading}</a></h2><p class="figure">${figure}</p>${lines.map((line) => html`<p>${line}</p>`)}</section>`;
}

const SERVQUAL: readonly string[] = ['tangibles', 'reliability', 'responsiveness', 'assurance', 'empathy'];

function tiles(ctx: ViewContext): Html {
  const { input, w, href, lang } = ctx;
  const { report } = input;
  const shown: Html[] = [];
  const gaps = report.gaps;
  if (gaps && !isWithheld(gaps)) {
    const overall = gaps.overall.weighted ?? gaps.overall.unweighted;
    const dimensions = gaps.dimensions.filter((d) => d.gap !== null).sort((a, b) => (a.gap ?? 0) - (b.gap ?? 0));
    const widest = dimensions[0];
    const dimensionName = (id: string) => (SERVQUAL.includes(id) ? (t(lang, id as MessageKey).split(/[（(]/)[0] ?? id).trim() : id);
    shown.push(tile(w.gapsTile, href({ view: 'gaps' }), overall === null ? '—' : signed(overall, 2), [`${w.overallGap} (P − E)`, ...(widest ? [`${w.widest}: ${dimensionName(widest.id)} ${signed(widest.gap!, 2)}`] : [])]));
  }
  const commitments = report.commitments ?? [];
  if (commitments.length > 0) {
    const { n, share } = overallCompliance(commitments);
    shown.push(tile(w.commitmentsTile, href({ view: 'commitments' }), percent(share), [`${w.compliance} · ${w.events(n)}`]));
  }
  const cases = report.cases;
  if (cases) {
    shown.push(tile(w.casesTile, href({ view: 'cases' }), String(cases.opened), [`${w.opened} · ${w.overdue}: ${String(cases.overdueNow)}`, `${w.resolvedInTime}: ${percent(cases.resolve.share)}`]));
  }
  const scorecard = report.scorecard;
  if (scorecard) {
    shown.push(tile(w.complaintsTile, href({ view: 'scorecard' }), fmt(scorecard.complaintsPer10k, 2), [scorecard.complaintsSource === 'cases' ? w.fromCases : scorecard.complaintsSource === 'metrics' ? w.fromMetrics : '']));
    const lead = scorecard.competitorLead;
    const ci = report.csiCi95 && scorecard.competitorCsi !== null ? [report.csiCi95[0] - scorecard.competitorCsi, report.csiCi95[1] - scorecard.competitorCsi] : null;
    shown.push(tile(w.leadTile, href({ view: 'scorecard' }), lead === null ? '—' : signed(lead), [`${w.ci}: ${ci ? `${signed(ci[0]!)} … ${signed(ci[1]!)}` : '—'}`, `${w.competitor}: ${fmt(scorecard.competitorCsi)}`]));
  }
  return shown.length === 0 ? html`` : html`<div class="tiles">${shown}</div>`;
}

/** The league: the first five and the last five on the summary, every unit on its own page. */
function leagueView(ctx: ViewContext, full: boolean): Html {
  const { input, w, href, nameOf } = ctx;
  const { report } = input;
  const league = input.league ?? fallbackLeague(report);
  if (league.entries.length === 0 && !full) return html``;
  const entries = league.entries;
  const cut = !full && entries.length > 10;
  const rowOf = (e: LeagueEntry) => {
    const mark = e.versusReference === 'above' ? html`<span class="up">▲ ${w.above}</span>` : e.versusReference === 'below' ? html`<span class="down">▼ ${w.below}</span>` : html`<span class="muted">${w.within}</span>`;
    const csi = e.note === 'withheld' ? html`<span class="muted">${w.withheld}</span>` : e.note === 'no answers' ? html`<span class="muted">${w.noAnswers}</span>` : html`${fmt(e.csi)}`;
    const name = e.csi !== null ? html`<a href="${href({ orgUnit: e.orgUnit })}">${e.name}</a>` : html`${e.name}`;
    return html`<tr><td class="num">${e.rank === null ? '—' : String(e.rank)}</td><th scope="row">${name}</th><td class="num">${String(e.n)}</td><td class="num">${csi}</td><td class="num">${interval(e.ci95)}</td><td class="num">${e.change === null ? '—' : signed(e.change)}</td><td>${mark}</td></tr>`;
  };
  const rows = cut ? [...entries.slice(0, 5).map(rowOf), html`<tr class="gap"><td colspan="7">⋯</td></tr>`, ...entries.slice(-5).map(rowOf)] : entries.map(rowOf);
  const referenceName = nameOf(league.reference.orgUnit);
  const heading = league.level === undefined ? w.leagueOf(referenceName) : w.leagueAt(league.level, referenceName);
  const levels = input.levels ?? [];
  const form =
    levels.length > 1
      ? html`<form method="get" class="inline"><input type="hidden" name="period" value="${report.period}"><input type="hidden" name="orgUnit" value="${report.orgUnit}"><input type="hidden" name="lang" value="${ctx.lang}">${report.panel ? html`<input type="hidden" name="panel" value="${report.panel}">` : html``}<input type="hidden" name="view" value="league">
<label for="league-level">${w.level}</label><select id="league-level" name="level">${levels.map((l, i) => html`<option value="${String(l.level)}"${(league.level ?? levels[0]!.level) === l.level ? html` selected` : html``}>${i === 0 ? `${w.children} · ` : ''}${w.levelOption(l.level, l.units)}</option>`)}</select><button type="submit">${w.show}</button></form>`
      : html``;
  return html`<section class="card" id="league" aria-labelledby="league-title"><h2 id="league-title">${full ? heading : html`<a href="${href({ view: 'league', ...(league.level === undefined ? {} : { level: league.level }) })}">${heading}</a>`}</h2>
<p class="muted">CSI ${referenceName}: ${fmt(league.reference.csi)}</p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="league-title"><table><thead><tr><th scope="col" class="num">${w.rank}</th><th scope="col">${w.unit}</th><th scope="col" class="num">${w.n}</th><th scope="col" class="num">CSI</th><th scope="col" class="num">${w.ci}</th><th scope="col" class="num">${w.change}</th><th scope="col">${w.versus}</th></tr></thead><tbody>${rows}</tbody></table></div>
${cut ? html`<p><a href="${href({ view: 'league', ...(league.level === undefined ? {} : { level: league.level }) })}">${w.allUnits(entries.length)}</a></p>` : html``}
${full ? form : html``}
<p class="muted">${w.leagueNote}</p></section>`;
}

/** Without a league read (a page rendered from the report alone), its children ranked by CSI. */
function fallbackLeague(report: UnitReport): League {
  const ranked = [...report.children].sort((a, b) => (b.csi ?? -Infinity) - (a.csi ?? -Infinity));
  return {
    reference: { orgUnit: report.orgUnit, name: report.orgUnitName, csi: report.csi },
    entries: ranked.map((child, i) => ({
      rank: child.csi === null ? null : i + 1,
      orgUnit: child.orgUnit,
      name: child.name,
      n: child.n,
      csi: child.csi,
      ci95: null,
      change: null,
      versusReference: null,
      note: child.withheld ? 'withheld' : child.csi === null ? 'no answers' : '',
    })),
  };
}

/** The CSI's trend with its interval as a band; with `elements`, a second chart of the elements. */
function trendFigure(ctx: ViewContext, elements: boolean): Html {
  const { input, w, title } = ctx;
  const trend = input.report.trend ?? [];
  if (trend.length === 0) return html`<p class="muted">${w.none}</p>`;
  const periods = trend.map((p) => p.period);
  const csiInput = { periods, series: [{ name: 'CSI', values: trend.map((p) => p.csi) }], band: trend.map((p) => p.ci95 ?? null) };
  const main = html`<figure class="chart" role="img" aria-label="${w.chartCsi(periods[0]!, periods.at(-1)!)}">${bothWidths(csiInput)}</figure>`;
  if (!elements) return main;
  const ids = input.report.elements.map((e) => e.id);
  const byElement = { periods, series: ids.map((id) => ({ name: title(id), values: trend.map((p) => p.elements?.[id] ?? null) })) };
  return html`${main}<h3>${w.trendByElement}</h3><figure class="chart" role="img" aria-label="${w.chartElements}">${bothWidths(byElement, 60)}</figure>`;
}

/**
 * A chart drawn twice, for a phone and for a desk (the one that does not fit is hidden by CSS):
 * an SVG scaled down to a phone would shrink its labels below reading size.
 */
function bothWidths(input: Parameters<typeof trendChart>[0], extraHeight = 0): Html {
  return html`<div class="narrow">${raw(trendChart({ ...input, width: 360, height: 260 + extraHeight }))}</div><div class="wide">${raw(trendChart({ ...input, width: 640, height: 240 + extraHeight }))}</div>`;
}

function trendView(ctx: ViewContext): Html {
  const { input, w, href, title } = ctx;
  const trend = input.report.trend ?? [];
  const ids = input.report.elements.map((e) => e.id);
  return html`<section class="card" aria-labelledby="trend-title"><h2 id="trend-title">${w.trend}</h2>${trendFigure(ctx, true)}<p class="muted">${w.bandNote}</p>
<div class="scroll" tabindex="0" role="region" aria-labelledby="trend-title"><table><thead><tr><th scope="col">${w.period}</th><th scope="col" class="num">${w.n}</th><th scope="col" class="num">CSI</th><th scope="col" class="num">${w.ci}</th>${ids.map((id) => html`<th scope="col" class="num">${title(id)}</th>`)}</tr></thead><tbody>${[...trend].reverse().filter((p) => p.n > 0).map(
    (p) =>
      html`<tr><th scope="row">${p.n > 0 ? html`<a href="${href({ period: p.period, view: 'trend' })}">${p.period}</a>` : p.period}</th><td class="num">${String(p.n)}</td><td class="num">${p.withheld ? w.withheld : fmt(p.csi)}</td><td class="num">${interval(p.ci95)}</td>${ids.map((id) => html`<td class="num">${fmt(p.elements?.[id])}</td>`)}</tr>`,
  )}</tbody></table></div></section>`;
}

function elementsView(ctx: ViewContext): Html {
  const { input, w, title } = ctx;
  const marks = input.report.significance;
  return html`${input.report.elements.map(
    (element) => html`<section class="card"><h2>${title(element.id)} <span class="muted">${fmt(element.score)}</span></h2>
<div class="scroll" tabindex="0" role="region" aria-label="${title(element.id)}"><table><thead><tr><th scope="col">${w.indicator} / ${w.question}</th><th scope="col" class="num">${w.score}</th><th scope="col" class="num">${w.mean}</th><th scope="col" class="num">${w.n}</th><th scope="col" class="num">${w.ci}</th><th scope="col" class="num">${w.vsPrevious}</th></tr></thead><tbody>
${element.indicators.map(
  (indicator) => html`<tr><th scope="row">${title(indicator.id)}</th><td class="num"><strong>${fmt(indicator.score)}</strong></td><td></td><td class="num">${String(indicator.n)}</td><td></td><td class="num">${change(marks?.indicators[indicator.id]?.previous)}</td></tr>
${indicator.questions.map(
  (q) => html`<tr><td>${title(q.id, 'question')}</td><td class="num">${fmt(q.score)}</td><td class="num">${fmt(q.mean, 2)}</td><td class="num">${String(q.n)}</td><td class="num">${interval(q.ci95)}</td><td class="num">${change(marks?.questions[q.id]?.previous)}</td></tr>`,
)}`,
)}
</tbody></table></div></section>`,
  )}`;
}

/** What a report address shows when nothing is computed for it: a page that says so, not JSON. */
export function noReportPage(lang: string, detail: string, unknownSurvey = false): string {
  const w = wordsFor(lang);
  const title = unknownSurvey ? w.unknownSurvey : w.noData;
  return page({ lang, title, body: [html`<h1>${title}</h1>`, html`<section class="card">${unknownSurvey ? html`` : html`<p>${w.noDataHint}</p>`}<p class="muted">${detail}</p></section>`] });
}
