/**
 * The executive's report page: the same figures as the JSON report, readable on a phone or a
 * desk. Bars are CSS widths, so the page needs no script.
 */
import { isWithheld, type UnitReport } from '../app/report-model';
import type { Questionnaire } from '../domain/questionnaire';
import { localize } from '../domain/text';
import { html, type Html } from './html';
import { page } from './layout';
import { reportSections } from './report-sections';

const words = {
  'zh-CN': { unknownSurvey: '没有这份问卷', noData: '该期间没有可显示的报告', noDataHint: '所选单位在该期间还没有计算出的报告：可能还没有回答，或本月的计算尚未运行。', report: '满意度报告', period: '期间', unit: '单位', csi: '顾客满意度指数 (CSI)', element: '要素', indicator: '指标', question: '问题', score: '得分', mean: '均值', n: '样本数', ci: '95% 置信区间', children: '下级单位', trend: '趋势', notes: '说明', none: '—', computed: '计算时间' },
  en: { unknownSurvey: 'No such questionnaire', noData: 'No report for this period', noDataHint: 'The unit has no computed report for this period yet: there may be no answers, or the month has not been computed yet.', report: 'Satisfaction report', period: 'Period', unit: 'Unit', csi: 'Customer satisfaction index (CSI)', element: 'Element', indicator: 'Indicator', question: 'Question', score: 'Score', mean: 'Mean', n: 'n', ci: '95% CI', children: 'Units below', trend: 'Trend', notes: 'Notes', none: '—', computed: 'Computed' },
};

const fmt = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined ? '—' : value.toFixed(digits));

function bar(score: number | null): Html {
  const width = score === null ? 0 : Math.max(0, Math.min(100, score));
  return html`<div class="bar" role="img" aria-label="${fmt(score)}"><span style="width:${width.toFixed(1)}%"></span></div>`;
}

/**
 * `unitNames` names the units of the breadcrumb (the page's handler reads the tree; without it
 * the units above show their ids).
 */
export function reportPage(report: UnitReport, questionnaire: Questionnaire | undefined, lang: string, unitNames?: ReadonlyMap<string, string>): string {
  const w = lang in words ? words[lang as keyof typeof words] : words.en;
  const fallback = questionnaire?.languages[0] ?? lang;
  const titleOf = (id: string): string => {
    if (!questionnaire) return id;
    for (const element of questionnaire.index.elements) {
      if (element.id === id) return localize(element.title, lang, fallback);
      for (const indicator of element.indicators) if (indicator.id === id) return localize(indicator.title, lang, fallback);
    }
    const question = questionnaire.questions.find((q) => q.id === id);
    return question ? localize(question.text, lang, fallback) : id;
  };
  const surveyTitle = questionnaire ? localize(questionnaire.title, lang, fallback) : report.surveyId;
  const nameOf = (unit: string) => unitNames?.get(unit) ?? (unit === report.orgUnit ? report.orgUnitName : unit);
  const link = (unit: string) => `?period=${encodeURIComponent(report.period)}&orgUnit=${encodeURIComponent(unit)}&lang=${encodeURIComponent(lang)}`;

  const elementRows = report.elements.map(
    (element) => html`<tr><th scope="row">${titleOf(element.id)}</th><td class="num">${fmt(element.score)}</td><td>${bar(element.score)}</td><td class="num">${String(element.n)}</td></tr>`,
  );
  const detail = report.elements.map(
    (element) => html`<section class="card"><h2>${titleOf(element.id)} <span class="muted">${fmt(element.score)}</span></h2>
<table><thead><tr><th>${w.indicator} / ${w.question}</th><th class="num">${w.score}</th><th class="num">${w.mean}</th><th class="num">${w.n}</th><th class="num">${w.ci}</th></tr></thead><tbody>
${element.indicators.map(
  (indicator) => html`<tr><th scope="row">${titleOf(indicator.id)}</th><td class="num"><strong>${fmt(indicator.score)}</strong></td><td></td><td class="num">${String(indicator.n)}</td><td></td></tr>
${indicator.questions.map(
  (q) => html`<tr><td>${titleOf(q.id)}</td><td class="num">${fmt(q.score)}</td><td class="num">${fmt(q.mean, 2)}</td><td class="num">${String(q.n)}</td><td class="num">${q.ci95 ? `${fmt(q.ci95[0])}–${fmt(q.ci95[1])}` : '—'}</td></tr>`,
)}`,
)}
</tbody></table></section>`,
  );
  const children = [...report.children].sort((a, b) => (b.csi ?? -1) - (a.csi ?? -1));
  return page({
    lang,
    title: `${w.report}: ${surveyTitle}`,
    body: [
      html`<p class="muted">${surveyTitle} · v${String(report.version)}</p>`,
      html`<h1>${report.orgUnitName} · ${report.period}</h1>`,
      report.path.length > 1
        ? html`<nav aria-label="${w.unit}"><p>${report.path.map((unit, i) => (i < report.path.length - 1 ? html`<a href="${link(unit)}">${nameOf(unit)}</a> › ` : html`<span>${nameOf(unit)}</span>`))}</p></nav>`
        : html``,
      html`<section class="card"><h2>${w.csi}</h2><p class="big">${fmt(report.csi)}</p>${bar(report.csi)}<p class="muted">${w.n}: ${String(report.n)}</p></section>`,
      html`<section class="card"><h2>${w.element}</h2><table><thead><tr><th>${w.element}</th><th class="num">${w.score}</th><th></th><th class="num">${w.n}</th></tr></thead><tbody>${elementRows}</tbody></table></section>`,
      report.trend && report.trend.some((p) => p.n > 0)
        ? html`<section class="card"><h2>${w.trend}</h2><table><thead><tr><th>${w.period}</th><th class="num">CSI</th><th></th><th class="num">${w.n}</th></tr></thead><tbody>${report.trend.map(
            (p) => html`<tr><td><a href="?period=${p.period}&orgUnit=${encodeURIComponent(report.orgUnit)}&lang=${lang}">${p.period}</a></td><td class="num">${fmt(p.csi)}</td><td>${bar(p.csi)}</td><td class="num">${String(p.n)}</td></tr>`,
          )}</tbody></table></section>`
        : html``,
      children.length > 0
        ? html`<section class="card"><h2>${w.children}</h2><table><thead><tr><th>${w.unit}</th><th class="num">CSI</th><th></th><th class="num">${w.n}</th></tr></thead><tbody>${children.map(
            (c) => html`<tr><th scope="row">${c.n > 0 ? html`<a href="${link(c.orgUnit)}">${c.name}</a>` : c.name}</th><td class="num">${fmt(c.csi)}</td><td>${bar(c.csi)}</td><td class="num">${String(c.n)}</td></tr>`,
          )}</tbody></table></section>`
        : html``,
      // A section whose figures are withheld (a small unit) is left out; the notice above says why.
      html`${reportSections.map((section) => (isWithheld(report[section.id]) ? html`` : (section.render(report, questionnaire, lang) ?? html``)))}`,
      html`${detail}`,
      report.notes.length > 0 ? html`<section class="card"><h2>${w.notes}</h2><ul>${report.notes.map((n) => html`<li>${n}</li>`)}</ul></section>` : html``,
      html`<p class="muted">${w.computed}: ${report.computedAt}</p>`,
    ],
  });
}

/** What a report address shows when nothing is computed for it: a page that says so, not JSON. */
export function noReportPage(lang: string, detail: string, unknownSurvey = false): string {
  const w = lang in words ? words[lang as keyof typeof words] : words.en;
  const title = unknownSurvey ? w.unknownSurvey : w.noData;
  return page({ lang, title, body: [html`<h1>${title}</h1>`, html`<section class="card">${unknownSurvey ? html`` : html`<p>${w.noDataHint}</p>`}<p class="muted">${detail}</p></section>`] });
}

