/** How the report sections write their figures: one way to show a share, hours and a share's bar. */
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
