/**
 * The report's "promise as recorded beside promise as felt", added at read time: the unit's
 * stored compliance figures and the scores of the questions that name a commitment.
 */
import { CALENDARS, calendarNotice, comparePromises, commitmentQuestions, complianceSummary, emptyComplianceAccumulator, type CalendarNotice, type WorkingDayCalendar } from '../../domain/commitments';
import type { Questionnaire } from '../../domain/questionnaire';
import type { CommitmentFigures, CommitmentRecord, CommitmentsReportRecord } from '../../domain/records';
import type { ElementScore } from '../../domain/scoring';
import type { ReportCommitment, UnitReport } from '../report-model';

function questionScoresOf(report: UnitReport): Record<string, { score: number | null; n: number }> {
  const scores: Record<string, { score: number | null; n: number }> = {};
  for (const element of (report.elements ?? []) as ElementScore[]) {
    for (const indicator of element.indicators) for (const question of indicator.questions) scores[question.id] = { score: question.score, n: question.n };
  }
  return scores;
}

const noEvents = (id: string): CommitmentFigures => ({
  ...complianceSummary(id, emptyComplianceAccumulator()),
});

/**
 * The commitments a report must name without stored figures for them: those its questionnaire's
 * questions name and the unit's compliance report lacks (their declarations give the titles).
 */
export function commitmentsWithoutFigures(stored: CommitmentsReportRecord | undefined, questionnaire: Questionnaire | undefined): string[] {
  const figures = new Set((stored?.commitments ?? []).map((f) => f.id));
  const missing: string[] = [];
  for (const link of questionnaire ? commitmentQuestions(questionnaire) : []) {
    if (!figures.has(link.commitmentId) && !missing.includes(link.commitmentId)) missing.push(link.commitmentId);
  }
  return missing;
}

/**
 * Adds the unit's commitment figures to a survey report at read time, from its stored compliance
 * report and the declarations of `commitmentsWithoutFigures` (both read by the caller): the
 * commitments that belong to the questionnaire (its questions name them, or their declaration
 * lists it) with events in the unit's subtree that period, plus those its questions name; `felt` is the score of the first question naming the commitment. A calendar
 * behind the figures whose data ends within CALENDAR_WARNING_DAYS of `now` gets a notice.
 */
export function withCommitments(
  report: UnitReport,
  questionnaire: Questionnaire | undefined,
  stored: CommitmentsReportRecord | undefined,
  declared: ReadonlyMap<string, CommitmentRecord>,
  now: Date,
  published: Readonly<Record<string, WorkingDayCalendar>> = CALENDARS,
): UnitReport {
  const links = questionnaire ? commitmentQuestions(questionnaire) : [];
  // A commitment belongs to the questionnaires its declaration lists and those whose questions
  // name it: a gas repair promise is not on a bank branch's report.
  const named = new Set(links.map((link) => link.commitmentId));
  const belongs = (f: CommitmentFigures) => named.has(f.id) || (f.surveys ?? []).includes(report.surveyId);
  const own = (stored?.commitments ?? []).filter(belongs);
  if (own.length === 0 && links.length === 0) return report;

  const figures = new Map<string, CommitmentFigures>(own.map((f) => [f.id, f]));
  for (const link of links) {
    if (figures.has(link.commitmentId)) continue;
    const title = declared.get(link.commitmentId)?.definition.title;
    figures.set(link.commitmentId, { ...noEvents(link.commitmentId), ...(title ? { title } : {}) });
  }
  const felt = new Map<string, NonNullable<ReportCommitment['felt']>>();
  if (questionnaire) {
    for (const comparison of comparePromises(questionnaire, questionScoresOf(report), Object.fromEntries(figures))) {
      if (comparison.felt && !felt.has(comparison.commitmentId)) felt.set(comparison.commitmentId, { questionId: comparison.questionId, ...comparison.felt });
    }
  }
  const commitments: ReportCommitment[] = [...figures.values()].map((f) => {
    const promise = felt.get(f.id);
    return promise ? { ...f, felt: promise } : f;
  });
  // Notices of the calendars behind the commitments shown only (not another service line's).
  const shownCalendars = new Set(commitments.flatMap((c) => (c.calendar ? [c.calendar] : [])));
  const calendarNotices = (stored?.calendars ?? []).filter(({ id }) => shownCalendars.has(id)).flatMap(({ id, fallback }): CalendarNotice[] => {
    const calendar = published[id];
    const notice = calendar ? calendarNotice(calendar, now, fallback) : null;
    return notice ? [notice] : [];
  });
  return { ...report, commitments, ...(calendarNotices.length > 0 ? { calendarNotices } : {}) };
}
