/**
 * The report page's scorecard section (issue #15): the customer view of the balanced scorecard for
 * the unit's subtree (functions/domain/metrics.ts), complaints per 10,000 customers and the lead
 * over the competitor, and the same per child unit.
 */
import type { UnitReport } from '../../app/report-model';
import type { ScorecardSection } from '../../domain/metrics';
import { html, type Html } from '../html';
import type { ReportSection } from './section';
import { percent } from './format';

const words = {
  'zh-CN': {
    title: '客户维度（平衡计分卡）',
    customers: '服务户数',
    complaints: '投诉量',
    per10k: '万户投诉量',
    fromCases: '（按客户投诉工单计）',
    marketShare: '市场份额',
    repeatRate: '重复购买率',
    newCustomerRate: '新客户比率',
    profitPerCustomer: '单客户利润',
    competitorCsi: '竞争对手满意度',
    lead: '领先度（本单位 CSI − 竞争对手）',
    figure: '指标',
    value: '数值',
    unit: '下级单位',
    note: '计数为各单位填报之和；比率、单客户利润与竞争对手得分按服务户数加权平均。未填报投诉量时，按本期客户提出的投诉工单（短信回复与人工登记）计算。',
  },
  en: {
    title: 'Customer perspective (balanced scorecard)',
    customers: 'Customers served',
    complaints: 'Complaints',
    per10k: 'Complaints per 10,000 customers',
    fromCases: ' (from the complaints filed as cases)',
    marketShare: 'Market share',
    repeatRate: 'Repeat-purchase rate',
    newCustomerRate: 'New-customer rate',
    profitPerCustomer: 'Profit per customer',
    competitorCsi: "Competitor's satisfaction",
    lead: 'Lead (own CSI − competitor)',
    figure: 'Figure',
    value: 'Value',
    unit: 'Unit below',
    note: "Counts are the sums of the units' figures; rates, profit per customer and the competitor's score are means weighted by customers served. Without a complaints figure, the complaints customers filed in the period (SMS replies and cases logged by hand) are counted.",
  },
};

const number = (value: number | null, digits = 0): string => (value === null ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function renderScorecard(section: ScorecardSection, report: UnitReport, lang: string): Html {
  const w = lang in words ? words[lang as keyof typeof words] : words.en;
  const rows: [string, string][] = [
    [w.customers, number(section.customers)],
    [w.complaints, number(section.complaints)],
    [`${w.per10k}${section.complaintsSource === 'cases' ? w.fromCases : ''}`, number(section.complaintsPer10k, 2)],
    [w.marketShare, percent(section.marketShare)],
    [w.repeatRate, percent(section.repeatRate)],
    [w.newCustomerRate, percent(section.newCustomerRate)],
    [w.profitPerCustomer, number(section.profitPerCustomer, 2)],
    [w.competitorCsi, number(section.competitorCsi, 1)],
    [w.lead, section.competitorLead === null ? '—' : `${section.competitorLead >= 0 ? '+' : ''}${section.competitorLead.toFixed(1)}`],
  ];
  const names = new Map(report.children.map((child) => [child.orgUnit, child.name]));
  const children = section.children.map(
    (child) => html`<tr><th scope="row">${names.get(child.orgUnit) ?? child.orgUnit}</th><td class="num">${number(child.customers)}</td><td class="num">${number(child.complaintsPer10k, 2)}</td><td class="num">${percent(child.marketShare)}</td><td class="num">${number(child.competitorCsi, 1)}</td></tr>`,
  );
  return html`<section class="card" id="scorecard"><h2>${w.title}</h2>
<table><thead><tr><th scope="col">${w.figure}</th><th scope="col" class="num">${w.value}</th></tr></thead><tbody>${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td class="num">${value}</td></tr>`)}</tbody></table>
${children.length > 0 ? html`<div style="overflow-x:auto" tabindex="0" role="region" aria-label="${w.unit}"><table style="min-width:30rem"><thead><tr><th scope="col">${w.unit}</th><th scope="col" class="num">${w.customers}</th><th scope="col" class="num">${w.per10k}</th><th scope="col" class="num">${w.marketShare}</th><th scope="col" class="num">${w.competitorCsi}</th></tr></thead><tbody>${children}</tbody></table></div>` : html``}
<p class="muted">${w.note}</p></section>`;
}

export const scorecardSection: ReportSection = {
  id: 'scorecard',
  render: (report, _questionnaire, lang) => (report.scorecard ? renderScorecard(report.scorecard, report, lang) : undefined),
};

export const scorecardSections: readonly ReportSection[] = [scorecardSection];
