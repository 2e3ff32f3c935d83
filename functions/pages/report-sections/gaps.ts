/**
 * The report page's service-gap section (docs/gaps.md): perception against expectation per
 * dimension as an inline SVG drawn on the server (no script), the gaps per dimension and item with
 * their paired t-test, the overall gap, the satisfaction states, the IPA quadrants, the zone of
 * tolerance, gap 1 and the benchmarks, each when the report has it.
 */
import { isWithheld } from '../../app/report-model';
import type { GapReport } from '../../domain/gaps';
import type { Questionnaire } from '../../domain/questionnaire';
import { localize } from '../../domain/text';
import { IPA_QUADRANTS } from '../../domain/stats/ipa-quadrants';
import { html, type Html } from '../html';
import { ipaQuadrantName } from '../i18n';
import type { ReportSection } from './section';
import { percent } from './format';

const words = {
  'zh-CN': {
    title: '服务质量差距 (SERVQUAL)',
    titlePerf: '服务质量感知 (SERVPERF)',
    chart: '各维度：感知 (P) 与期望 (E)',
    expected: '期望 E',
    perceived: '感知 P',
    dimension: '维度',
    item: '项目',
    gap: '差距 P−E',
    weight: '权重',
    n: '样本数',
    t: 't',
    p: 'p',
    ci: '95% 置信区间',
    significant: '显著',
    overall: '总体服务质量',
    unweighted: '未加权',
    weighted: '加权',
    byAllocation: '按重要性分配',
    byFixed: '按固定权重',
    respondents: '完整作答人数',
    states: '满意状态',
    highly: '十分满意',
    basically: '基本满意',
    dissatisfied: '不满意',
    share: '比例',
    tolerance: '容忍区',
    band: '容忍带',
    adequate: '最低可接受',
    desired: '期望',
    msa: 'MSA (P−最低)',
    mss: 'MSS (P−期望)',
    position: '位置',
    ipa: '重要性—绩效 (IPA)',
    importance: '重要性',
    performance: '绩效',
    quadrant: '象限',
    gap1: '差距1：管理者对顾客期望的认知',
    gap1Value: '差距1',
    management: '管理者认为',
    customers: '顾客期望',
    benchmarks: '标杆对比',
    value: '当前',
    target: '目标',
    toTarget: '距目标',
    competitor: '最佳竞争者',
    lead: '领先度',
    notes: '说明',
    sigNote: '* p < 0.05：感知与期望的差异显著（配对 t 检验）',
  },
  en: {
    title: 'Service quality gaps (SERVQUAL)',
    titlePerf: 'Perceived service quality (SERVPERF)',
    chart: 'Perception (P) against expectation (E) per dimension',
    expected: 'Expected E',
    perceived: 'Perceived P',
    dimension: 'Dimension',
    item: 'Item',
    gap: 'Gap P−E',
    weight: 'Weight',
    n: 'n',
    t: 't',
    p: 'p',
    ci: '95% CI',
    significant: 'significant',
    overall: 'Overall service quality',
    unweighted: 'Unweighted',
    weighted: 'Weighted',
    byAllocation: 'by importance allocation',
    byFixed: 'by fixed weights',
    respondents: 'Respondents with every dimension',
    states: 'Satisfaction states',
    highly: 'Highly satisfied',
    basically: 'Basically satisfied',
    dissatisfied: 'Dissatisfied',
    share: 'Share',
    tolerance: 'Zone of tolerance',
    band: 'Tolerance band',
    adequate: 'Adequate',
    desired: 'Desired',
    msa: 'MSA (P − adequate)',
    mss: 'MSS (P − desired)',
    position: 'Position',
    ipa: 'Importance-performance (IPA)',
    importance: 'Importance',
    performance: 'Performance',
    quadrant: 'Quadrant',
    gap1: "Gap 1: management's perception of customer expectations",
    gap1Value: 'Gap 1',
    management: 'Management believes',
    customers: 'Customers expect',
    benchmarks: 'Benchmarks',
    value: 'Current',
    target: 'Target',
    toTarget: 'To target',
    competitor: 'Best competitor',
    lead: 'Lead',
    notes: 'Notes',
    sigNote: '* p < 0.05: perception and expectation differ significantly (paired t-test)',
  },
};
type Words = (typeof words)['en'];

const positionWords: Record<string, Record<string, string>> = {
  'zh-CN': { 'below adequate': '低于最低可接受', 'within tolerance': '在容忍区内', 'above desired': '超出期望' },
  en: { 'below adequate': 'Below adequate', 'within tolerance': 'Within tolerance', 'above desired': 'Above desired' },
};

const fmt = (value: number | null | undefined, digits = 2): string => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));
const signed = (value: number | null | undefined, digits = 2): string => (value === null || value === undefined || !Number.isFinite(value) ? '—' : `${value > 0 ? '+' : ''}${value.toFixed(digits)}`);
const pValue = (p: number | null): string => (p === null ? '—' : p < 0.001 ? '<0.001' : p.toFixed(3));

function shareBar(share: number | null): Html {
  const width = share === null ? 0 : Math.max(0, Math.min(100, 100 * share));
  return html`<div class="bar" role="img" aria-label="${percent(share)}"><span style="width:${width.toFixed(1)}%"></span></div>`;
}

/** The answer scale of the gap items (all paired questions share one); falls back to the values seen. */
function scaleOf(report: GapReport, questionnaire: Questionnaire | undefined): { min: number; max: number } {
  const firstItem = questionnaire?.gaps?.dimensions[0]?.items[0];
  const question = firstItem ? questionnaire?.questions.find((q) => q.id === firstItem.perception) : undefined;
  const scale = question?.type === 'rating' ? questionnaire?.scales[question.scale] : undefined;
  if (scale) return { min: scale.min, max: scale.max };
  const values = report.dimensions.flatMap((d) => [d.E, d.P]).filter((v): v is number => v !== null);
  return { min: 0, max: Math.max(1, Math.ceil(Math.max(0, ...values))) };
}

/** Horizontal E and P bars per dimension, as inline SVG (escaped text, no script, no external resource). */
function chart(report: GapReport, labelOf: (id: string) => string, scale: { min: number; max: number }, w: Words): Html {
  const width = 480;
  const labelWidth = 110;
  const right = 44;
  const rowHeight = 46;
  const top = 28;
  const height = top + rowHeight * report.dimensions.length + 8;
  const span = scale.max - scale.min || 1;
  const x = (value: number) => labelWidth + ((Math.max(scale.min, Math.min(scale.max, value)) - scale.min) / span) * (width - labelWidth - right);
  const barOf = (value: number | null, y: number, fill: string, name: string) =>
    value === null
      ? html``
      : html`<rect x="${labelWidth}" y="${y}" width="${(x(value) - labelWidth).toFixed(1)}" height="14" fill="${fill}" rx="2"><title>${name}: ${fmt(value)}</title></rect><text x="${(x(value) + 4).toFixed(1)}" y="${y + 11}" font-size="12" fill="#1a1a1a">${fmt(value)}</text>`;
  const rows = report.dimensions.map((dimension, i) => {
    const y = top + i * rowHeight;
    const label = labelOf(dimension.id);
    return html`<g><text x="0" y="${y + 20}" font-size="13" fill="#1a1a1a">${label.length > 12 ? `${label.slice(0, 11)}…` : label}</text>${barOf(dimension.E, y + 2, '#9aa3ad', w.expected)}${barOf(dimension.P, y + 18, '#0b57d0', w.perceived)}</g>`;
  });
  const description = report.dimensions.map((d) => `${labelOf(d.id)}: E ${fmt(d.E)}, P ${fmt(d.P)}`).join('; ');
  return html`<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${w.chart}: ${description}" xmlns="http://www.w3.org/2000/svg">
<rect x="${labelWidth}" y="6" width="12" height="10" fill="#9aa3ad"/><text x="${labelWidth + 16}" y="15" font-size="12" fill="#1a1a1a">${w.expected}</text>
<rect x="${labelWidth + 120}" y="6" width="12" height="10" fill="#0b57d0"/><text x="${labelWidth + 136}" y="15" font-size="12" fill="#1a1a1a">${w.perceived}</text>
<line x1="${labelWidth}" y1="${top - 4}" x2="${labelWidth}" y2="${height - 4}" stroke="#9aa3ad"/>
<text x="${labelWidth}" y="${height}" font-size="10" fill="#555">${String(scale.min)}</text><text x="${width - right - 6}" y="${height}" font-size="10" fill="#555">${String(scale.max)}</text>
${rows}</svg>`;
}

function renderGaps(gaps: GapReport, questionnaire: Questionnaire | undefined, lang: string): Html {
  const w: Words = lang in words ? words[lang as keyof typeof words] : words.en;
  const wordKey = lang in positionWords ? lang : 'en';
  const fallback = questionnaire?.languages[0] ?? lang;
  const dimensionTitle = (id: string): string => {
    const title = questionnaire?.gaps?.dimensions.find((d) => d.id === id)?.title;
    return title ? localize(title, lang, fallback) : id;
  };
  const itemTitle = (id: string): string => {
    for (const dimension of questionnaire?.gaps?.dimensions ?? []) {
      const item = dimension.items.find((i) => i.id === id);
      const question = item ? questionnaire?.questions.find((q) => q.id === item.perception) : undefined;
      if (question) return localize(question.text, lang, fallback);
    }
    return id;
  };
  const servqual = gaps.overall.basis === 'gap';
  const scale = scaleOf(gaps, questionnaire);

  const overall = html`<table><tbody>
<tr><th scope="row">${w.unweighted}</th><td class="num"><strong>${servqual ? signed(gaps.overall.unweighted) : fmt(gaps.overall.unweighted)}</strong></td></tr>
<tr><th scope="row">${w.weighted}${gaps.overall.weightedBy ? ` (${gaps.overall.weightedBy === 'allocation' ? w.byAllocation : w.byFixed})` : ''}</th><td class="num">${servqual ? signed(gaps.overall.weighted) : fmt(gaps.overall.weighted)}</td></tr>
<tr><th scope="row">${w.respondents}</th><td class="num">${String(gaps.overall.n)}</td></tr>
</tbody></table>`;

  const states = servqual
    ? html`<h3>${w.states} <span class="muted">(|g| ≤ ${fmt(gaps.tolerance.band)}; ${w.n} ${String(gaps.states.n)})</span></h3>
<table><thead><tr><th>${w.states}</th><th class="num">${w.share}</th><th></th><th class="num">${w.n}</th></tr></thead><tbody>
<tr><th scope="row">${w.highly}</th><td class="num">${percent(gaps.states.highlySatisfied)}</td><td>${shareBar(gaps.states.highlySatisfied)}</td><td class="num">${String(gaps.states.counts.highlySatisfied)}</td></tr>
<tr><th scope="row">${w.basically}</th><td class="num">${percent(gaps.states.basicallySatisfied)}</td><td>${shareBar(gaps.states.basicallySatisfied)}</td><td class="num">${String(gaps.states.counts.basicallySatisfied)}</td></tr>
<tr><th scope="row">${w.dissatisfied}</th><td class="num">${percent(gaps.states.dissatisfied)}</td><td>${shareBar(gaps.states.dissatisfied)}</td><td class="num">${String(gaps.states.counts.dissatisfied)}</td></tr>
</tbody></table>`
    : html``;

  const dimensions = html`<table><thead><tr><th>${w.dimension}</th><th class="num">E</th><th class="num">P</th>${servqual ? html`<th class="num">${w.gap}</th>` : html``}<th class="num">${w.weight}</th></tr></thead><tbody>${gaps.dimensions.map(
    (d) => html`<tr><th scope="row">${dimensionTitle(d.id)}</th><td class="num">${fmt(d.E)}</td><td class="num">${fmt(d.P)}</td>${servqual ? html`<td class="num"><strong>${signed(d.gap)}</strong></td>` : html``}<td class="num">${d.weight === null ? '—' : percent(d.weight)}</td></tr>`,
  )}</tbody></table>`;

  const items = html`<div style="overflow-x:auto" tabindex="0" role="region" aria-label="${w.title}"><table style="min-width:36rem"><thead><tr><th>${w.item}</th><th class="num">E</th><th class="num">P</th>${servqual ? html`<th class="num">${w.gap}</th><th class="num">${w.t}</th><th class="num">${w.p}</th><th class="num">${w.ci}</th>` : html``}<th class="num">${w.n}</th></tr></thead><tbody>${gaps.dimensions.map(
    (d) => html`<tr><th scope="row" colspan="${servqual ? '8' : '4'}">${dimensionTitle(d.id)}</th></tr>${gaps.items
      .filter((item) => item.dimension === d.id)
      .map(
        (item) => html`<tr><td>${itemTitle(item.id)}</td><td class="num">${fmt(item.E)}</td><td class="num">${fmt(item.P)}</td>${
          servqual
            ? html`<td class="num">${signed(item.gap)}${item.p !== null && item.p < 0.05 ? html`<abbr title="${w.significant}">*</abbr>` : html``}</td><td class="num">${fmt(item.t)}</td><td class="num">${pValue(item.p)}</td><td class="num">${item.ci95 ? `${signed(item.ci95[0])} – ${signed(item.ci95[1])}` : '—'}</td>`
            : html``
        }<td class="num">${String(item.n)}</td></tr>`,
      )}`,
  )}</tbody></table></div>${servqual ? html`<p class="muted">${w.sigNote}</p>` : html``}`;

  const ipa =
    gaps.ipa.length > 0
      ? html`<h3>${w.ipa}</h3><table><thead><tr><th>${w.quadrant}</th><th>${w.item}</th><th class="num">${w.importance}</th><th class="num">${w.performance}</th></tr></thead><tbody>${IPA_QUADRANTS.map((quadrant) => {
          const entries = gaps.ipa.filter((entry) => entry.quadrant === quadrant);
          return entries.map(
            (entry, i) =>
              html`<tr>${i === 0 ? html`<th scope="rowgroup" rowspan="${String(entries.length)}">${ipaQuadrantName(lang, quadrant)}</th>` : html``}<td>${itemTitle(entry.id)}</td><td class="num">${fmt(entry.importance)}</td><td class="num">${fmt(entry.performance)}</td></tr>`,
          );
        })}</tbody></table>`
      : html``;

  const tolerance =
    gaps.tolerance.items.length > 0
      ? html`<h3>${w.tolerance}</h3><div style="overflow-x:auto" tabindex="0" role="region" aria-label="${w.tolerance}"><table style="min-width:36rem"><thead><tr><th>${w.item}</th><th class="num">${w.adequate}</th><th class="num">${w.desired}</th><th class="num">P</th><th class="num">${w.msa}</th><th class="num">${w.mss}</th><th>${w.position}</th><th class="num">${w.n}</th></tr></thead><tbody>${gaps.tolerance.items.map(
          (z) =>
            html`<tr><td>${itemTitle(z.id)}</td><td class="num">${fmt(z.adequate)}</td><td class="num">${fmt(z.desired)}</td><td class="num">${fmt(z.perceived)}</td><td class="num">${signed(z.msa)}</td><td class="num">${signed(z.mss)}</td><td>${z.position ? (positionWords[wordKey]?.[z.position] ?? z.position) : '—'}</td><td class="num">${String(z.n)}</td></tr>`,
        )}</tbody></table></div>`
      : html``;

  const gap1 =
    gaps.gap1.length > 0
      ? html`<h3>${w.gap1}</h3><table><thead><tr><th>${w.item}</th><th class="num">${w.management}</th><th class="num">${w.customers}</th><th class="num">${w.gap1Value}</th><th class="num">${w.n}</th></tr></thead><tbody>${gaps.gap1.map(
          (g) =>
            html`<tr><td>${itemTitle(g.id)}</td><td class="num">${fmt(g.management)}</td><td class="num">${fmt(g.customers)}</td><td class="num">${signed(g.gap1)}</td><td class="num">${String(g.nManagement)} / ${String(g.nCustomers)}</td></tr>`,
        )}</tbody></table>`
      : html``;

  const benchmarks =
    gaps.benchmarks.length > 0
      ? html`<h3>${w.benchmarks}</h3><div style="overflow-x:auto" tabindex="0" role="region" aria-label="${w.benchmarks}"><table style="min-width:36rem"><thead><tr><th>${w.dimension}</th><th class="num">${w.value}</th><th class="num">${w.target}</th><th class="num">${w.toTarget}</th><th class="num">${w.competitor}</th><th class="num">${w.lead}</th></tr></thead><tbody>${gaps.benchmarks.map(
          (b) =>
            html`<tr><th scope="row">${dimensionTitle(b.id)}</th><td class="num">${signed(b.value)}</td><td class="num">${signed(b.target)}</td><td class="num">${signed(b.toTarget)}</td><td class="num">${signed(b.competitor)}</td><td class="num">${signed(b.lead)}</td></tr>`,
        )}</tbody></table></div>`
      : html``;

  return html`<section class="card" id="gaps"><h2>${servqual ? w.title : w.titlePerf}</h2>
<h3>${w.overall}</h3>${overall}
${states}
<h3>${w.chart}</h3>${chart(gaps, dimensionTitle, scale, w)}
${dimensions}
${items}
${ipa}
${tolerance}
${gap1}
${benchmarks}
${gaps.notes.length > 0 ? html`<h3>${w.notes}</h3><ul>${gaps.notes.map((note) => html`<li>${note}</li>`)}</ul>` : html``}
</section>`;
}

export const gapsSection: ReportSection = {
  id: 'gaps',
  render: (report, questionnaire, lang) => (report.gaps && !isWithheld(report.gaps) ? renderGaps(report.gaps, questionnaire, lang) : undefined),
};

/** The report page's gaps section(s). */
export const gapsSections: readonly ReportSection[] = [gapsSection];
