/** Weighted figures (raking to population margins) beside the unweighted ones. */
import { isWithheld } from '../../app/report-model';
import { localize } from '../../domain/text';
import { html } from '../html';
import type { ReportSection } from './section';

const words = {
  'zh-CN': { title: '加权结果（按总体结构加权）', by: '加权维度', n: '样本量', unweighted: '未加权', weighted: '加权（代表的总体）', effective: '有效样本量', item: '项目', score: '加权得分', plain: '未加权得分', grade: '客户等级', orgUnit: '下级单位' },
  en: { title: 'Weighted figures (raking to the population)', by: 'Weighted by', n: 'n', unweighted: 'unweighted', weighted: 'weighted (population represented)', effective: 'effective (Kish)', item: 'Item', score: 'Weighted score', plain: 'Unweighted score', grade: 'customer grade', orgUnit: 'units below' },
};

const fmt = (value: number | null | undefined, digits = 1) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));

export const weightingSections: readonly ReportSection[] = [
  {
    id: 'weighted',
    render(report, questionnaire, lang) {
      const weighted = report.weighted;
      if (!weighted || isWithheld(weighted)) return undefined;
      const w = lang in words ? words[lang as keyof typeof words] : words.en;
      if ('error' in weighted) return html`<section class="card"><h2>${w.title}</h2><p class="muted">${weighted.error}</p></section>`;
      const fallback = questionnaire?.languages[0] ?? lang;
      const titleOf = (id: string) => {
        const element = questionnaire?.index.elements.find((e) => e.id === id);
        return element ? localize(element.title, lang, fallback) : id;
      };
      return html`<section class="card"><h2>${w.title}</h2>
<p class="muted">${w.by}: ${weighted.dimensions.map((d) => (d === 'grade' ? w.grade : w.orgUnit)).join(', ')} · ${w.n}: ${w.unweighted} ${String(weighted.n.unweighted)}, ${w.weighted} ${fmt(weighted.n.weighted, 0)}, ${w.effective} ${fmt(weighted.n.effective)}</p>
<table><thead><tr><th>${w.item}</th><th class="num">${w.score}</th><th class="num">${w.plain}</th></tr></thead><tbody>
<tr><th scope="row">CSI</th><td class="num">${fmt(weighted.csi)}</td><td class="num">${fmt(report.csi)}</td></tr>
${weighted.elements.map((element) => {
  const plain = report.elements.find((e) => e.id === element.id)?.score;
  return html`<tr><td>${titleOf(element.id)}</td><td class="num">${fmt(element.score)}</td><td class="num">${fmt(plain)}</td></tr>`;
})}
</tbody></table></section>`;
    },
  },
];
