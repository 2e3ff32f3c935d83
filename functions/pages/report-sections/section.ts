import type { UnitReport } from '../../app/report-model';
import type { Questionnaire } from '../../domain/questionnaire';
import type { Html } from '../html';

/** A part of the report page, rendered from one analysis's results (empty when there are none). */
export interface ReportSection {
  /** The report key it renders (a withheld section is left out of the page). */
  readonly id: keyof UnitReport;
  render(report: UnitReport, questionnaire: Questionnaire | undefined, lang: string): Html | undefined;
}
