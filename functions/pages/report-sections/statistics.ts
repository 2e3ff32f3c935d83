/**
 * The report page's statistics sections, rendered from the report JSON: withheld small
 * units, significance marks with their legend, NPS and top-2-box with intervals, key drivers with
 * the importance-performance quadrants (and an inline SVG scatter, no script), the fuzzy
 * evaluation and reliability. Every text goes through the `html` tag (escaped).
 */
import { isWithheld, type NodeMarks, type SectionFigures } from '../../app/report-model';
import { IPA_QUADRANTS } from '../../domain/stats/ipa-quadrants';
import { html, raw, type Html } from '../html';
import { ipaChart } from '../charts';
import { ipaQuadrantName } from '../i18n';
import type { ReportSection } from './section';
import { fmt, markCell, percent, titles } from './format';

const words = {
  'zh-CN': {
    withheldTitle: '数据不予显示',
    withheldUnit: '本单位本期的回答数少于最低样本量，得分不予显示（样本太少，结论不可靠，也为了保护受访者和员工的匿名性）。上级单位的数据仍包含这些回答。',
    withheldChildren: '以下下级单位的回答数少于最低样本量，其得分不予显示（仍计入本单位的数据）：',
    significanceTitle: '显著性检验',
    node: '项目',
    score: '得分',
    vsPrevious: '与上期相比',
    vsYear: '与去年同期相比',
    vsParent: '与上级其余部分相比',
    legend: '▲ 显著上升，▼ 显著下降（双侧检验，显著性水平 0.05），· 无显著变化；括号内为 p 值。得分：Welch t 检验（指标、要素和 CSI 使用加权均值的线性化标准误）；满意率（前两格）：两比例 z 检验；NPS：NPS 差值 z 检验；CSI 为 PLS 模型指数时：按自助法标准误的 z 检验。与上级比较时，对比的是上级中除本单位以外的部分。',
    noComparison: '没有可比较的数据（上期或上级其余部分的样本不足）。',
    npsTitle: '净推荐值 (NPS)',
    promoters: '推荐者', passives: '中立者', detractors: '贬损者',
    topBoxTitle: '满意率（前两格）',
    share: '比例',
    ci: '95% 置信区间',
    n: '样本数',
    driversTitle: '关键驱动因素',
    target: '目标',
    r: '相关系数 r',
    beta: '标准化系数 β',
    relativeWeight: '相对权重',
    importance: '重要性',
    performance: '表现',
    quadrant: '象限',
    ipaTitle: '重要性-表现分析 (IPA)',
    derivedTitle: '数据驱动的权重',
    weight: '权重',
    fromRoot: '（本单位样本不足，采用全组织的权重）',
    fuzzyTitle: '模糊综合评价',
    grade: '隶属度最大的等级',
    reliabilityTitle: '信度',
    alpha: 'Cronbach α',
    standardizedAlpha: '标准化 α',
    corrected: '校正的题总相关',
    element: '要素',
    question: '问题',
  },
  en: {
    withheldTitle: 'Figures withheld',
    withheldUnit: "This unit has fewer responses this period than the minimum: its figures are withheld (too few for a reliable figure, and to protect respondents' and staff members' anonymity). The parent's figures still include these responses.",
    withheldChildren: 'These units below have fewer responses than the minimum; their figures are withheld (they still count in this unit):',
    significanceTitle: 'Significance',
    node: 'Item',
    score: 'Score',
    vsPrevious: 'vs previous period',
    vsYear: 'vs a year earlier',
    vsParent: 'vs rest of parent',
    legend: '▲ significant rise, ▼ significant fall (two-sided, alpha 0.05), · no significant change; p in brackets. Scores: Welch t-test (indicators, elements and CSI with the linearised standard error of the weighted mean); top-2-box: two-proportion z-test; NPS: NPS difference z-test; a CSI that is a PLS index: z-test on the bootstrap standard errors. Against the parent, the unit is compared with the rest of the parent.',
    noComparison: 'Nothing to compare with (no previous period or rest of the parent with enough responses).',
    npsTitle: 'Net Promoter Score (NPS)',
    promoters: 'Promoters', passives: 'Passives', detractors: 'Detractors',
    topBoxTitle: 'Top-2-box',
    share: 'Share',
    ci: '95% CI',
    n: 'n',
    driversTitle: 'Key drivers',
    target: 'Target',
    r: 'r',
    beta: 'beta',
    relativeWeight: 'Relative weight',
    importance: 'Importance',
    performance: 'Performance',
    quadrant: 'Quadrant',
    ipaTitle: 'Importance-performance analysis (IPA)',
    derivedTitle: 'Data-driven weights',
    weight: 'Weight',
    fromRoot: '(too few responses here: the whole organisation\'s weights)',
    fuzzyTitle: 'Fuzzy comprehensive evaluation',
    grade: 'Grade of maximum membership',
    reliabilityTitle: 'Reliability',
    alpha: "Cronbach's alpha",
    standardizedAlpha: 'Standardised alpha',
    corrected: 'Corrected item-total r',
    element: 'Element',
    question: 'Question',
  },
};

type Words = (typeof words)['en'];
type IpaReport = SectionFigures<'ipa'>;
type DriverResult = SectionFigures<'drivers'>['key'];

const gradeLabels: Record<string, Record<string, string>> = {
  'zh-CN': { 'very satisfied': '很满意', satisfied: '满意', neutral: '一般', dissatisfied: '不满意', 'very dissatisfied': '很不满意' },
  en: {},
};

const wordsFor = (lang: string): Words => (lang in words ? words[lang as keyof typeof words] : words.en);
const withheldSection: ReportSection = {
  id: 'withheld',
  render(report, _questionnaire, lang) {
    const w = wordsFor(lang);
    const own = report.withheld;
    const children = report.children.filter((c) => c.withheld);
    if (!own && children.length === 0) return undefined;
    return html`<section class="notice" id="withheld"><h2>${w.withheldTitle}</h2>
${own ? html`<p><strong>${w.withheldUnit}</strong></p>` : html``}
${children.length > 0 ? html`<p>${w.withheldChildren} ${children.map((c) => c.name).join(lang === 'zh-CN' ? '、' : ', ')}</p>` : html``}
</section>`;
  },
};

const significanceSection: ReportSection = {
  id: 'significance',
  render(report, questionnaire, lang) {
    const s = report.significance;
    if (!s) return undefined;
    const w = wordsFor(lang);
    const title = titles(questionnaire, lang);
    const row = (label: Html | string, score: number | null, marks: NodeMarks | undefined, cls = '') =>
      html`<tr${cls ? html` class="${cls}"` : html``}><th scope="row">${label}</th><td class="num">${fmt(score)}</td>${markCell(marks?.previous)}${markCell(marks?.yearEarlier)}${markCell(marks?.parent)}</tr>`;
    const rows: Html[] = [row('CSI', report.csi, s.csi)];
    for (const element of report.elements) {
      rows.push(row(html`<strong>${title(element.id)}</strong>`, element.score, s.elements[element.id]));
      for (const indicator of element.indicators) {
        rows.push(row(html`&nbsp;&nbsp;${title(indicator.id)}`, indicator.score, s.indicators[indicator.id]));
        for (const q of indicator.questions) rows.push(row(html`&nbsp;&nbsp;&nbsp;&nbsp;<span class="muted">${title(q.id, 'question')}</span>`, q.score, s.questions[q.id]));
      }
    }
    const heading = (label: string, ref: string | undefined) => html`<th class="num">${label}${ref ? html`<br><span class="muted">${ref}</span>` : html``}</th>`;
    return html`<section class="card" id="significance"><h2>${w.significanceTitle}</h2>
${!s.previous && !s.yearEarlier && !s.parent ? html`<p class="muted">${w.noComparison}</p>` : html``}
<table><thead><tr><th>${w.node}</th><th class="num">${w.score}</th>${heading(w.vsPrevious, s.previous?.period)}${heading(w.vsYear, s.yearEarlier?.period)}${heading(w.vsParent, s.parent?.orgUnit)}</tr></thead><tbody>${rows}</tbody></table>
<p class="muted">${w.legend}</p></section>`;
  },
};

const proportionsSection: ReportSection = {
  id: 'proportions',
  render(report, questionnaire, lang) {
    const p = report.proportions;
    if (!p || isWithheld(p) || !p.questions) return undefined;
    const w = wordsFor(lang);
    const title = titles(questionnaire, lang);
    const s = report.significance;
    const nps = p.npsQuestions.flatMap((id) => {
      const result = p.questions[id]?.nps;
      return result ? [{ id, result }] : [];
    });
    const npsCards = nps.map(
      ({ id, result }) => html`<h3>${title(id, 'question')}</h3>
<p class="big">${fmt(result.nps)}</p>
<p>${w.ci}: ${fmt(result.lower)} – ${fmt(result.upper)} · ${w.n} ${String(result.n)}</p>
<p class="muted">${w.promoters} ${percent(result.promoterShare)} · ${w.passives} ${percent(result.passives / result.n)} · ${w.detractors} ${percent(result.detractorShare)}</p>
<table><thead><tr><th class="num">${w.vsPrevious}</th><th class="num">${w.vsParent}</th></tr></thead><tbody><tr>${markCell(s?.nps[id]?.previous)}${markCell(s?.nps[id]?.parent)}</tr></tbody></table>`,
    );
    const rows = Object.entries(p.questions).map(
      ([id, q]) =>
        html`<tr><td>${title(id, 'question')}</td><td class="num">${percent(q.topBox.proportion)}</td><td class="num">${percent(q.topBox.lower)}–${percent(q.topBox.upper)}</td><td class="num">${String(q.n)}</td>${markCell(s?.topBox[id]?.previous, 100)}${markCell(s?.topBox[id]?.parent, 100)}</tr>`,
    );
    return html`${nps.length > 0 ? html`<section class="card" id="nps"><h2>${w.npsTitle}</h2>${npsCards}</section>` : html``}
<section class="card" id="top-box"><h2>${w.topBoxTitle}</h2><table><thead><tr><th>${w.question}</th><th class="num">${w.share}</th><th class="num">${w.ci}</th><th class="num">${w.n}</th><th class="num">${w.vsPrevious}</th><th class="num">${w.vsParent}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  },
};

/** The IPA scatter: performance across, importance up, split at the means (ECharts, ../charts.ts). */
function ipaScatter(ipa: IpaReport, title: (id: string) => string, w: Words): Html {
  const svg = ipaChart({
    points: (ipa.items ?? []).map((item) => ({ label: title(item.id), x: item.performance, y: item.importance })),
    xMean: ipa.performanceMean ?? null,
    yMean: ipa.importanceMean ?? null,
    xName: w.performance,
    yName: w.importance,
  });
  return html`<figure class="chart" role="img" aria-label="${w.ipaTitle}">${raw(svg)}</figure>`;
}

function driverTable(result: DriverResult, title: (id: string) => string, w: Words, extra?: (id: string) => Html): Html {
  return html`<table><thead><tr><th></th><th class="num">${w.r}</th><th class="num">${w.beta}</th><th class="num">${w.relativeWeight}</th><th class="num">${w.importance}</th>${extra ? html`<th class="num">${w.performance}</th><th>${w.quadrant}</th>` : html``}</tr></thead><tbody>${result.predictors.map(
    (id) =>
      html`<tr><th scope="row">${title(id)}</th><td class="num">${fmt(result.correlations?.[id], 3)}</td><td class="num">${fmt(result.beta?.[id], 3)}</td><td class="num">${fmt(result.relativeWeights?.[id], 3)}</td><td class="num">${percent(result.rescaled?.[id])}</td>${extra ? extra(id) : html``}</tr>`,
  )}</tbody></table>`;
}

const driversSection: ReportSection = {
  id: 'drivers',
  render(report, questionnaire, lang) {
    const drivers = report.drivers;
    if (!drivers || isWithheld(drivers)) return undefined;
    const w = wordsFor(lang);
    const title = titles(questionnaire, lang);
    const ipa = isWithheld(report.ipa) ? undefined : report.ipa;
    const byId = new Map((ipa?.items ?? []).map((item) => [item.id, item]));
    const key = drivers.key;
    const keyPart =
      key.status === 'ok'
        ? html`<p>${w.target}: <strong>${title(key.target ?? '')}</strong> · R² ${fmt(key.r2, 3)} · ${w.n} ${String(key.n)}</p>
${driverTable(key, title, w, (id) => {
  const item = byId.get(id);
  return html`<td class="num">${fmt(item?.performance)}</td><td>${item ? ipaQuadrantName(lang, item.quadrant) : '—'}</td>`;
})}`
        : html`<p class="muted">${key.reason ?? ''}</p>`;
    const ipaPart =
      ipa && ipa.status === 'ok' && ipa.items
        ? html`<h3>${w.ipaTitle}</h3>
<table><thead><tr><th>${w.quadrant}</th><th></th></tr></thead><tbody>${IPA_QUADRANTS.map(
            (q) => html`<tr><th scope="row">${ipaQuadrantName(lang, q)}</th><td>${ipa.items!.filter((i) => i.quadrant === q).map((i, k) => html`${k > 0 ? ', ' : ''}${title(i.id)}`)}</td></tr>`,
          )}</tbody></table>
${ipaScatter(ipa, title, w)}`
        : html``;
    const derived = Object.entries(drivers.derived);
    const derivedPart =
      derived.length > 0
        ? html`<h3>${w.derivedTitle}</h3>${derived.map(
            ([node, d]) => html`<h4>${title(node)} <span class="muted">← ${w.target}: ${title(d.target ?? '')}</span></h4>
${d.status === 'ok' ? html`<p>R² ${fmt(d.r2, 3)} · ${w.n} ${String(d.n)}</p>${driverTable(d, (id) => title(id, questionnaire?.index.elements.some((e) => e.indicators.some((i) => i.id === node)) ? 'question' : undefined), w)}` : html`<p class="muted">${d.reason ?? ''} ${d.source === 'root' ? w.fromRoot : ''}</p>`}
${d.weights && d.status !== 'ok' ? html`<p>${w.weight}: ${Object.entries(d.weights).map(([id, v], k) => html`${k > 0 ? ' · ' : ''}${title(id)} ${percent(v)}`)}</p>` : html``}`,
          )}`
        : html``;
    return html`<section class="card" id="drivers"><h2>${w.driversTitle}</h2>${keyPart}${ipaPart}${derivedPart}</section>`;
  },
};

const fuzzySection: ReportSection = {
  id: 'fuzzy',
  render(report, questionnaire, lang) {
    const fuzzy = report.fuzzy;
    if (!fuzzy || isWithheld(fuzzy) || !fuzzy.nodes) return undefined;
    const w = wordsFor(lang);
    const title = titles(questionnaire, lang);
    const grade = (label: string | null) => (label === null ? '—' : (gradeLabels[lang]?.[label] ?? label));
    const indent = { index: '', element: '', indicator: '\u00a0\u00a0', question: '\u00a0\u00a0\u00a0\u00a0' } as const;
    const rows = fuzzy.nodes.map((node) => {
      const label = node.kind === 'index' ? 'CSI' : `${indent[node.kind]}${title(node.id, node.kind)}`;
      return html`<tr><th scope="row">${node.kind === 'element' || node.kind === 'index' ? html`<strong>${label}</strong>` : label}</th>${fuzzy.grades.map((_, g) => html`<td class="num">${node.membership ? percent(node.membership[g], 0) : '—'}</td>`)}<td class="num">${fmt(node.score)}</td><td>${grade(node.grade)}</td></tr>`;
    });
    return html`<section class="card" id="fuzzy"><h2>${w.fuzzyTitle}</h2><table><thead><tr><th>${w.node}</th>${fuzzy.grades.map((g) => html`<th class="num">${grade(g.label)}<br><span class="muted">${String(g.score)}</span></th>`)}<th class="num">${w.score}</th><th>${w.grade}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  },
};

const reliabilitySection: ReportSection = {
  id: 'reliability',
  render(report, questionnaire, lang) {
    const reliability = report.reliability;
    if (!reliability || isWithheld(reliability)) return undefined;
    const w = wordsFor(lang);
    const title = titles(questionnaire, lang);
    const rows = Object.entries(reliability).map(([element, r]) =>
      r.status === 'ok'
        ? html`<tr><th scope="row">${title(element)}</th><td class="num">${String(r.n)}</td><td class="num">${fmt(r.alpha, 3)}</td><td class="num">${fmt(r.standardizedAlpha, 3)}</td><td>${Object.entries(r.items ?? {}).map(([id, item], k) => html`${k > 0 ? html`<br>` : ''}${title(id, 'question')}: ${fmt(item.correctedItemTotalCorrelation, 2)}`)}</td></tr>`
        : html`<tr><th scope="row">${title(element)}</th><td class="num">${String(r.n)}</td><td class="num">—</td><td class="num">—</td><td class="muted">${r.reason ?? ''}</td></tr>`,
    );
    return html`<section class="card" id="reliability"><h2>${w.reliabilityTitle}</h2><table><thead><tr><th>${w.element}</th><th class="num">${w.n}</th><th class="num">${w.alpha}</th><th class="num">${w.standardizedAlpha}</th><th>${w.corrected}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  },
};

/** The report page's statistics section(s). */
export const statisticsSections: readonly ReportSection[] = [withheldSection, significanceSection, proportionsSection, driversSection, fuzzySection, reliabilitySection];

