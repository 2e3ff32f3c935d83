/** How the report sections write their figures: one way to show a figure, a share, hours, a bar, a mark and a node's name. */
import type { SignificanceMark } from '../../app/report-model';
import type { Questionnaire } from '../../domain/questionnaire';
import { localize } from '../../domain/text';
import { html, type Html } from '../html';

/** A share (0-1) as a percentage with `digits` decimals, or "—" without one. */
export const percent = (share: number | null | undefined, digits = 1): string => (share === null || share === undefined ? '—' : `${(100 * share).toFixed(digits)}%`);

/** A duration in hours with one decimal and its unit, or "—" without one. */
export const hours = (value: number | null, unit: string): string => (value === null || !Number.isFinite(value) ? '—' : `${value.toFixed(1)} ${unit}`);

/** A share drawn as a bar (CSS width, no script), its percentage as the accessible name. */
export function shareBar(share: number | null): Html {
  const width = share === null ? 0 : Math.max(0, Math.min(100, 100 * share));
  return html`<div class="bar" role="img" aria-label="${percent(share)}"><span style="width:${width.toFixed(1)}%"></span></div>`;
}

/** A figure with `digits` decimals, or "—" without one. */
export const fmt = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));

/** A difference with its sign (a true minus sign; ± for none). */
export const signed = (value: number, digits = 1): string => `${value > 0 ? '+' : value < 0 ? '−' : '±'}${Math.abs(value).toFixed(digits)}`;

export const pText = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** Names an index node or question by id in the reader's language (the id without a questionnaire). */
export function titles(questionnaire: Questionnaire | undefined, lang: string): (id: string, kind?: string) => string {
  const fallback = questionnaire?.languages[0] ?? lang;
  return (id, kind) => {
    if (!questionnaire) return id;
    if (kind !== 'question') {
      if (questionnaire.index.id === id) return localize(questionnaire.index.title, lang, fallback);
      for (const element of questionnaire.index.elements) {
        if (element.id === id) return localize(element.title, lang, fallback);
        for (const indicator of element.indicators) if (indicator.id === id) return localize(indicator.title, lang, fallback);
      }
    }
    const question = questionnaire.questions.find((q) => q.id === id);
    return question ? localize(question.text, lang, fallback) : id;
  };
}

/** A mark's arrow (significant rise or fall, else a dot), difference and p; `scale` turns a proportion into percentage points. */
export function markText(m: SignificanceMark, scale = 1): Html {
  const arrow =
    m.direction === 'up'
      ? html`<span class="up" title="significant rise">▲</span>`
      : m.direction === 'down'
        ? html`<span class="down" title="significant fall">▼</span>`
        : html`<span class="muted">·</span>`;
  return html`${arrow} ${signed(scale * m.difference)} <span class="muted">(${pText(m.p)})</span>`;
}

/** A mark as a table cell ("—" without one). */
export function markCell(m: SignificanceMark | undefined, scale = 1): Html {
  if (!m) return html`<td class="num muted">—</td>`;
  return html`<td class="num" title="${m.test}">${markText(m, scale)}</td>`;
}
