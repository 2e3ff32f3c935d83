/**
 * The report page's cases section (issue #14): how the cases of the unit's subtree opened in the
 * period were handled (functions/domain/cases/figures.ts), the root causes as a Pareto table, and
 * the same figures per child unit.
 */
import type { UnitReport } from '../../app/report-model';
import type { CasesSection } from '../../domain/cases/figures';
import { html, type Html } from '../html';
import type { ReportSection } from './section';
import { hours, percent, shareBar as bar } from './format';

const words = {
  'zh-CN': {
    title: '工单处理',
    opened: '新开工单',
    resolved: '已解决',
    closed: '已关闭',
    reopened: '曾重开',
    overdueNow: '当前超时未办',
    firstContact: '首次联系',
    resolve: '解决',
    withinSla: '时限内达成',
    p50: '中位用时',
    p90: '90% 分位用时',
    followUp: '回访',
    answered: '已回答',
    solved: '问题已解决',
    handled: '处理满意度 (1–5)',
    rootCauses: '根本原因（帕累托）',
    cause: '原因',
    count: '工单数',
    share: '占比',
    cumulative: '累计占比',
    unit: '下级单位',
    hours: '小时',
    figure: '指标',
    value: '数值',
    note: '统计本期新开、属于本单位及其下级的工单，按其当前状态计算；时限内达成按已有结果的工单计（已联系/已解决，或已过期限未达成）；用时为开单到首次联系/解决的小时数（自然时间）。当前超时未办包括各月开出、至今未办的工单。',
  },
  en: {
    title: 'Cases',
    opened: 'Opened',
    resolved: 'Resolved',
    closed: 'Closed',
    reopened: 'Reopened',
    overdueNow: 'Overdue now',
    firstContact: 'First contact',
    resolve: 'Resolution',
    withinSla: 'Within SLA',
    p50: 'Median time',
    p90: '90th percentile',
    followUp: 'Follow-up',
    answered: 'Answered',
    solved: 'Solved',
    handled: 'Handling score (1-5)',
    rootCauses: 'Root causes (Pareto)',
    cause: 'Cause',
    count: 'Cases',
    share: 'Share',
    cumulative: 'Cumulative',
    unit: 'Unit below',
    hours: 'h',
    figure: 'Figure',
    value: 'Value',
    note: "The cases of this unit and the units below it opened in the period, as they stand now. Within SLA counts the cases whose deadline is decided (met, late, or passed unmet); times are elapsed hours from opening to first contact or resolution. Overdue now counts every open case past a deadline, whatever month it was opened in.",
  },
};



function renderCases(section: CasesSection, report: UnitReport, lang: string): Html {
  const w = lang in words ? words[lang as keyof typeof words] : words.en;
  const ratio = (met: number, of: number, share: number | null) => html`<strong>${percent(share)}</strong> <span class="muted">(${String(met)}/${String(of)})</span>${bar(share)}`;
  const facts: [string, Html | string][] = [
    [w.opened, String(section.opened)],
    [w.resolved, String(section.resolved)],
    [w.closed, String(section.closed)],
    [w.reopened, String(section.reopened)],
    [w.overdueNow, String(section.overdueNow)],
    [`${w.firstContact}: ${w.withinSla}`, ratio(section.firstContact.met, section.firstContact.measurable, section.firstContact.share)],
    [`${w.firstContact}: ${w.p50} / ${w.p90}`, `${hours(section.firstContact.p50Hours, w.hours)} / ${hours(section.firstContact.p90Hours, w.hours)}`],
    [`${w.resolve}: ${w.withinSla}`, ratio(section.resolve.met, section.resolve.measurable, section.resolve.share)],
    [`${w.resolve}: ${w.p50} / ${w.p90}`, `${hours(section.resolve.p50Hours, w.hours)} / ${hours(section.resolve.p90Hours, w.hours)}`],
    [`${w.followUp}: ${w.answered}`, `${section.followUp.answered} / ${section.followUp.sent}`],
    [`${w.followUp}: ${w.solved}`, percent(section.followUp.solvedShare)],
    [`${w.followUp}: ${w.handled}`, section.followUp.handledMean === null ? '—' : `${section.followUp.handledMean.toFixed(2)} (${section.followUp.handledN})`],
  ];
  const names = new Map(report.children.map((child) => [child.orgUnit, child.name]));
  const causes = section.rootCauses.map(
    (rank) => html`<tr><th scope="row">${rank.label?.[lang] ?? rank.label?.en ?? rank.rootCause}</th><td class="num">${String(rank.count)}</td><td class="num">${percent(rank.share)}</td><td class="num">${percent(rank.cumulativeShare)}${bar(rank.cumulativeShare)}</td></tr>`,
  );
  const children = section.children.map(
    (child) => html`<tr><th scope="row">${names.get(child.orgUnit) ?? child.orgUnit}</th><td class="num">${String(child.opened)}</td><td class="num">${String(child.resolved)}</td><td class="num">${String(child.overdueNow)}</td><td class="num">${percent(child.firstContactShare)}</td><td class="num">${percent(child.resolveShare)}</td></tr>`,
  );
  return html`<section class="card" id="cases"><h2>${w.title}</h2>
<table><thead><tr><th scope="col">${w.figure}</th><th scope="col" class="num">${w.value}</th></tr></thead><tbody>${facts.map(([label, value]) => html`<tr><th scope="row">${label}</th><td class="num">${value}</td></tr>`)}</tbody></table>
${causes.length > 0 ? html`<h3>${w.rootCauses}</h3><div style="overflow-x:auto" tabindex="0" role="region" aria-label="${w.rootCauses}"><table><thead><tr><th scope="col">${w.cause}</th><th scope="col" class="num">${w.count}</th><th scope="col" class="num">${w.share}</th><th scope="col" class="num">${w.cumulative}</th></tr></thead><tbody>${causes}</tbody></table></div>` : html``}
${children.length > 0 ? html`<div style="overflow-x:auto" tabindex="0" role="region" aria-label="${w.unit}"><table style="min-width:30rem"><thead><tr><th scope="col">${w.unit}</th><th scope="col" class="num">${w.opened}</th><th scope="col" class="num">${w.resolved}</th><th scope="col" class="num">${w.overdueNow}</th><th scope="col" class="num">${w.firstContact}: ${w.withinSla}</th><th scope="col" class="num">${w.resolve}: ${w.withinSla}</th></tr></thead><tbody>${children}</tbody></table></div>` : html``}
<p class="muted">${w.note}</p></section>`;
}

export const casesSection: ReportSection = {
  id: 'cases',
  render: (report, _questionnaire, lang) => (report.cases ? renderCases(report.cases, report, lang) : undefined),
};

/** The report page's cases section(s). */
export const casesSections: readonly ReportSection[] = [casesSection];
