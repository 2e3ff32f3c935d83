/**
 * What the summary page and the PDF's summary both pick out of a report: the indicators that moved
 * most, and the compliance of all its commitments together. One rule, so page and paper agree.
 */
import type { ReportCommitment, SignificanceMark, UnitReport } from '../app/report-model';

export interface Mover {
  id: string;
  mark: SignificanceMark;
}

/** The three indicators that rose most and the three that fell most against the previous period, significant ones first. */
export function moversOf(report: Pick<UnitReport, 'significance'>): { up: Mover[]; down: Mover[] } {
  const all = Object.entries(report.significance?.indicators ?? {}).flatMap(([id, m]) => (m.previous ? [{ id, mark: m.previous }] : []));
  const order = (a: Mover, b: Mover) => Number(b.mark.significant) - Number(a.mark.significant) || Math.abs(b.mark.difference) - Math.abs(a.mark.difference) || (a.id < b.id ? -1 : 1);
  return { up: all.filter((m) => m.mark.difference > 0).sort(order).slice(0, 3), down: all.filter((m) => m.mark.difference < 0).sort(order).slice(0, 3) };
}

/** Met over measurable events across every commitment (null without a measurable event). */
export function overallCompliance(commitments: readonly ReportCommitment[]): { n: number; share: number | null } {
  const n = commitments.reduce((sum, c) => sum + c.n, 0);
  return { n, share: n > 0 ? commitments.reduce((sum, c) => sum + c.met, 0) / n : null };
}
