/**
 * The shape of a unit report (the GET /admin/reports body): what the computation stores, the
 * read-time rules present and the pages render. The analyses' sections are typed from the list of
 * analyses (functions/app/analyses/index.ts), so a new analysis's section is typed where it is
 * registered. Types only (and one type guard), so every layer may import it without importing the
 * use cases.
 */
import type { SectionAnalysis } from './analyses';
import type { SignificanceTest } from '../domain/stats/significance';
import type { CommitmentFigures } from '../domain/records';
import type { CalendarNotice } from '../domain/commitments/calendar-settings';
import type { ElementScore } from '../domain/scoring';
import type { CasesSection } from '../domain/cases/figures';
import type { ScorecardSection } from '../domain/metrics';
import type { ReportTrendPoint } from '../domain/records';

/** What a unit below the minimum n shows in place of a section of its responses' figures. */
export interface WithheldSection {
  withheld: { reason: string };
}

export const isWithheld = (section: unknown): section is WithheldSection => typeof section === 'object' && section !== null && 'withheld' in section;

/** Each analysis's result under its id, or the withholding notice of a small unit. */
export type AnalysisSections = { [A in SectionAnalysis as A['id']]?: ReturnType<A['result']> | WithheldSection };

/** The figures of one analysis's section (what a page renders once the section is not withheld). */
export type SectionFigures<Id extends keyof AnalysisSections> = Exclude<NonNullable<AnalysisSections[Id]>, WithheldSection>;

export interface SignificanceMark {
  test: SignificanceTest['test'];
  /** This unit (this period) minus the reference, in the figure's unit (points, proportion, NPS points). */
  difference: number;
  standardError: number;
  statistic: number | null;
  df: number | null;
  p: number;
  significant: boolean;
  /** up / down when significant at alpha, else none. */
  direction: 'up' | 'down' | 'none';
}

export interface NodeMarks {
  previous?: SignificanceMark;
  /** Against the same month a year earlier. */
  yearEarlier?: SignificanceMark;
  parent?: SignificanceMark;
}

/** The significance marks (read time, functions/app/presentation.ts). */
export interface SignificanceSection {
  alpha: number;
  /** What the marks compare with: the previous period, the same period a year earlier and the rest of the parent unit (null: no comparison). */
  previous: { period: string } | null;
  yearEarlier: { period: string } | null;
  parent: { orgUnit: string; rest: number } | null;
  csi: NodeMarks;
  elements: Record<string, NodeMarks>;
  indicators: Record<string, NodeMarks>;
  questions: Record<string, NodeMarks>;
  topBox: Record<string, NodeMarks>;
  nps: Record<string, NodeMarks>;
}

/** One row of a report's `commitments`: the promise as recorded, and as felt where a question names it. */
export type ReportCommitment = CommitmentFigures & { felt?: { questionId: string; score: number | null; n: number } };

/** The report of one unit for one questionnaire version and period (the GET /admin/reports shape). */
export interface UnitReport extends AnalysisSections {
  surveyId: string;
  version: number;
  /** The panel of the responses (mystery customers), absent for the main sample. */
  panel?: string;
  period: string;
  orgUnit: string;
  orgUnitName: string;
  /** Unit ids from the root down to this unit. */
  path: string[];
  n: number;
  csi: number | null;
  elements: ElementScore[];
  children: { orgUnit: string; name: string; n: number; csi: number | null; withheld?: { reason: string } }[];
  notes: string[];
  computedAt: string;
  /** The last 24 months of the unit (this one last): n, CSI with its interval and the elements' scores; withheld below the minimum n. */
  trend?: (ReportTrendPoint & { period: string; withheld?: true })[];
  /** Read time: the CSI's 95% interval (t interval with the linearised standard error; null where the CSI is a model's figure or too few answered). */
  csiCi95?: [number, number] | null;
  /** Read time: why the unit's own figures are withheld (fewer responses than the minimum n). */
  withheld?: { reason: string };
  /** Read time: significance marks against the previous period and the rest of the parent. */
  significance?: SignificanceSection;
  /** Read time: the unit's service commitments, recorded and felt. */
  commitments?: ReportCommitment[];
  /** Working-day calendars behind `commitments` whose published data ends within 60 days (or has ended). */
  calendarNotices?: CalendarNotice[];
  /** Read time: the cases of the unit's subtree opened in the period, and its open cases overdue now (absent without any). */
  cases?: CasesSection;
  /** Read time: the operating figures of the subtree for the period (absent when none were posted). */
  scorecard?: ScorecardSection;
}
