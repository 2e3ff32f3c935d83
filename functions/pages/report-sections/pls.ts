/**
 * The estimated structural model on the report page: the path diagram with its coefficients (an
 * SVG drawn on the server: no script, readable without a charting library for a handful of boxes),
 * R2, AVE, reliability, GoF, and the 0-100 index of every element with its bootstrap interval.
 */
import { isWithheld } from '../../app/report-model';
import type { Questionnaire } from '../../domain/questionnaire';
import { localize } from '../../domain/text';
import { escapeHtml, html, raw, type Html } from '../html';
import type { ReportSection } from './section';

const words = {
  'zh-CN': {
    title: '结构方程模型（PLS 路径模型）',
    source: { unit: '本单位数据估计', root: '样本不足，沿用上级单位的权重' },
    n: '有效样本（完整作答）',
    element: '要素',
    index: '指数',
    interval: '95% 自助法区间',
    r2: 'R²',
    ave: 'AVE',
    alpha: 'Cronbach α',
    paths: '路径系数',
    gof: 'GoF',
    diagram: '路径图',
  },
  en: {
    title: 'Structural model (PLS path model)',
    source: { unit: 'estimated from this unit', root: 'too few answers: the root unit\u2019s weights are used' },
    n: 'Complete answers used',
    element: 'Element',
    index: 'Index',
    interval: '95% bootstrap interval',
    r2: 'R²',
    ave: 'AVE',
    alpha: "Cronbach's α",
    paths: 'Path coefficients',
    gof: 'GoF',
    diagram: 'Path diagram',
  },
};

const fmt = (value: number | null | undefined, digits = 3) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));

/** Columns by longest path from a source, so every arrow points right. */
function layers(nodes: string[], paths: [string, string][]): Map<string, number> {
  const depth = new Map(nodes.map((n) => [n, 0]));
  for (let round = 0; round < nodes.length; round++) {
    for (const [from, to] of paths) depth.set(to, Math.max(depth.get(to) ?? 0, (depth.get(from) ?? 0) + 1));
  }
  return depth;
}

function diagram(nodes: string[], paths: Record<string, number>, titleOf: (id: string) => string, label: string): Html {
  const edges = Object.entries(paths).map(([key, value]) => {
    const [from = '', to = ''] = key.split('->');
    return { from, to, value };
  });
  const depth = layers(nodes, edges.map((e) => [e.from, e.to]));
  const columns = new Map<number, string[]>();
  for (const node of nodes) columns.set(depth.get(node) ?? 0, [...(columns.get(depth.get(node) ?? 0) ?? []), node]);
  const boxW = 150;
  const boxH = 40;
  const gapX = 70;
  const gapY = 30;
  const rows = Math.max(...[...columns.values()].map((c) => c.length));
  // Arrows that skip columns arc above the boxes; leave room for the highest arc.
  const spanOf = (e: { from: string; to: string }) => (depth.get(e.to) ?? 0) - (depth.get(e.from) ?? 0);
  const arcStep = 22;
  const top = 10 + Math.max(0, ...edges.map((e) => (spanOf(e) > 1 ? (spanOf(e) - 1) * arcStep + 14 : 0)));
  const width = columns.size * boxW + (columns.size - 1) * gapX + 20;
  const height = top + rows * boxH + (rows - 1) * gapY + 10;
  const position = new Map<string, { x: number; y: number }>();
  for (const [column, members] of columns) {
    const offset = ((rows - members.length) * (boxH + gapY)) / 2;
    members.forEach((node, i) => position.set(node, { x: 10 + column * (boxW + gapX), y: top + offset + i * (boxH + gapY) }));
  }
  const lines = edges
    .map((edge) => {
      const a = position.get(edge.from);
      const b = position.get(edge.to);
      if (!a || !b) return '';
      const label = edge.value.toFixed(3);
      const span = spanOf(edge);
      if (span > 1 && a.y === b.y) {
        const x1 = a.x + boxW / 2;
        const x2 = b.x + boxW / 2;
        const lift = (span - 1) * arcStep + 14;
        const apex = a.y - lift;
        return `<path d="M${x1},${a.y} C${x1},${apex} ${x2},${apex} ${x2},${b.y - 2}" fill="none" stroke="#5f6b7a" stroke-width="1.5" marker-end="url(#arrow)"/><text x="${(x1 + x2) / 2}" y="${apex + lift * 0.25 - 3}" font-size="12" text-anchor="middle" fill="#1a1a1a">${label}</text>`;
      }
      const x1 = a.x + boxW;
      const y1 = a.y + boxH / 2;
      const x2 = b.x;
      const y2 = b.y + boxH / 2;
      return `<line x1="${x1}" y1="${y1}" x2="${x2 - 4}" y2="${y2}" stroke="#5f6b7a" stroke-width="1.5" marker-end="url(#arrow)"/><text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 4}" font-size="12" text-anchor="middle" fill="#1a1a1a">${label}</text>`;
    })
    .join('');
  const boxes = nodes
    .map((node) => {
      const p = position.get(node);
      if (!p) return '';
      return `<rect x="${p.x}" y="${p.y}" width="${boxW}" height="${boxH}" rx="6" fill="#eef3fd" stroke="#0b57d0"/><text x="${p.x + boxW / 2}" y="${p.y + boxH / 2 + 5}" font-size="13" text-anchor="middle" fill="#1a1a1a">${escapeHtml(titleOf(node))}</text>`;
    })
    .join('');
  return raw(
    `<svg role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5f6b7a"/></marker></defs>${lines}${boxes}</svg>`,
  );
}

export const plsSections: readonly ReportSection[] = [
  {
    id: 'model',
    render(report, questionnaire: Questionnaire | undefined, lang) {
      const model = report.model;
      if (!model || isWithheld(model)) return undefined;
      const w = lang in words ? words[lang as keyof typeof words] : words.en;
      const fallback = questionnaire?.languages[0] ?? lang;
      const titleOf = (id: string) => {
        const element = questionnaire?.index.elements.find((e) => e.id === id);
        return element ? localize(element.title, lang, fallback) : id;
      };
      const elements = Object.keys(model.index);
      if (model.error) return html`<section class="card"><h2>${w.title}</h2><p class="error">${model.error}</p></section>`;
      const estimate = model.estimate;
      return html`<section class="card"><h2>${w.title}</h2>
<p class="muted">${w.source[model.source]} · ${w.n}: ${String(model.n)}${estimate ? html` · ${w.gof} ${fmt(estimate.gof)}` : ''}</p>
${estimate ? html`<h3>${w.diagram}</h3>${diagram(elements, estimate.paths, titleOf, w.diagram)}` : ''}
<table><thead><tr><th>${w.element}</th><th class="num">${w.index}</th><th class="num">${w.interval}</th><th class="num">${w.r2}</th><th class="num">${w.ave}</th><th class="num">${w.alpha}</th></tr></thead><tbody>
${elements.map((lv) => {
  const interval = model.bootstrap?.index[lv];
  return html`<tr><th scope="row">${titleOf(lv)}</th><td class="num">${fmt(model.index[lv], 1)}${model.undefinedIndex?.[lv] ? html` <span class="muted" title="${model.undefinedIndex[lv]}">*</span>` : ''}</td><td class="num">${
    interval && interval.lower !== null ? `${fmt(interval.lower, 1)}–${fmt(interval.upper, 1)}` : '—'
  }</td><td class="num">${fmt(estimate?.r2[lv])}</td><td class="num">${fmt(estimate?.ave[lv])}</td><td class="num">${fmt(estimate?.alpha[lv])}</td></tr>`;
})}
</tbody></table>
${estimate ? html`<h3>${w.paths}</h3><table><tbody>${Object.entries(estimate.paths).map(([key, value]) => {
  const [from = '', to = ''] = key.split('->');
  return html`<tr><td>${titleOf(from)} → ${titleOf(to)}</td><td class="num">${fmt(value)}</td></tr>`;
})}</tbody></table>` : ''}
${model.undefinedIndex ? html`<ul>${Object.entries(model.undefinedIndex).map(([lv, reason]) => html`<li>${titleOf(lv)}: ${reason}</li>`)}</ul>` : ''}
</section>`;
    },
  },
];
