/**
 * The shape of a unit report (the GET /admin/reports body): what the computation stores, the
 * read-time rules present and the pages render. Types only, so every layer may import it without
 * importing the use cases.
 */
import type { ElementScore } from '../domain/scoring';

/** The report of one unit for one questionnaire version and period (the GET /admin/reports shape). */
export interface UnitReport {
  surveyId: string;
  version: number;
  period: string;
  orgUnit: string;
  orgUnitName: string;
  /** Unit ids from the root down to this unit. */
  path: string[];
  n: number;
  csi: number | null;
  elements: ElementScore[];
  children: { orgUnit: string; name: string; n: number; csi: number | null }[];
  notes: string[];
  computedAt: string;
  trend?: { period: string; n: number; csi: number | null }[];
  /** The results of the other analyses (PLS model, gaps, fuzzy evaluation, ...) by analysis id. */
  [section: string]: unknown;
}
