/**
 * The cases section of a unit's report (issue #14): how the cases of a unit's subtree opened in a
 * period were handled, as they stand now. A cohort (the period's cases, followed to today) rather
 * than the period's events, so that every figure of the section is about the same cases: the
 * share met within the SLA, the times and the root causes all describe the cases opened that
 * month. "Overdue now" is the exception by its nature: every open case of the subtree, whatever
 * month it was opened in.
 *
 * Rolled up like every figure: a unit's section counts the cases of its whole subtree (the unit a
 * case arose at, not the unit escalation moved it to).
 */
import { quantileType7 } from '../commitments/compliance';
import { CASE_SOURCES, isOpen, isOverdue, isUnresolved, missed, type CaseFigureInput, type CaseSource } from './case';

export { CASE_FIGURE_FIELDS, type CaseFigureInput } from './case';

const HOUR_MS = 3_600_000;


/** One deadline across the cohort: met in time among the measurable cases, and how long it took. */
export interface DeadlineFigures {
  /** Cases with this deadline that met it or missed it (met in time, late, or past due unmet). */
  measurable: number;
  met: number;
  /** met / measurable; null without measurable cases. */
  share: number | null;
  /** Median and 90th percentile (R's type 7) of the elapsed hours from opening, of the cases that got there. */
  p50Hours: number | null;
  p90Hours: number | null;
  /** How many cases the times are of. */
  timed: number;
}

export interface RootCauseRank {
  rootCause: string;
  count: number;
  /** Of the resolved cases with a root cause. */
  share: number;
  /** The Pareto line: this cause and every one ranked above it. */
  cumulativeShare: number;
  /** The organisation's label of the cause per language (added where the case settings have it). */
  label?: Record<string, string>;
}

export interface FollowUpFigures {
  /** Follow-up questionnaires sent (one per resolution). */
  sent: number;
  answered: number;
  /** Answers saying the issue is solved, and their share of the answers to that question. */
  solved: number;
  solvedShare: number | null;
  /** Mean of "how satisfied are you with how it was handled" (1-5), and of how many answers. */
  handledMean: number | null;
  handledN: number;
}

export interface CaseFigures {
  opened: number;
  bySource: Record<CaseSource, number>;
  /** Resolved or closed now. */
  resolved: number;
  closed: number;
  /** Reopened at least once. */
  reopened: number;
  firstContact: DeadlineFigures;
  resolve: DeadlineFigures;
  /** Open cases of the subtree past a deadline now, whatever month they were opened in. */
  overdueNow: number;
  followUp: FollowUpFigures;
  /** Root causes of the resolved cases, most frequent first (ties by id). */
  rootCauses: RootCauseRank[];
}

/** The cases section: the unit's figures and its children's, each over its own subtree. */
export interface CasesSection extends CaseFigures {
  children: ({ orgUnit: string } & Pick<CaseFigures, 'opened' | 'resolved' | 'overdueNow'> & { firstContactShare: number | null; resolveShare: number | null })[];
}

const elapsedHours = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / HOUR_MS;

function deadlineFigures(cases: readonly CaseFigureInput[], deadline: 'firstContact' | 'resolve', now: Date): DeadlineFigures {
  let measurable = 0;
  let met = 0;
  const hours: number[] = [];
  for (const original of cases) {
    // A reopening arms a new resolution deadline; the share is of the promise first made, so a
    // case resolved late after a reopening counts as missed.
    const c = deadline === 'resolve' && original.firstResolveDueAt ? { ...original, resolveDueAt: original.firstResolveDueAt } : original;
    const due = deadline === 'firstContact' ? c.firstContactDueAt : c.resolveDueAt;
    // A reopened case has no resolvedAt until it is resolved again (and its deadline was rearmed).
    const reachedAt = deadline === 'firstContact' ? c.firstContactAt : c.resolvedAt;
    if (reachedAt) hours.push(elapsedHours(c.openedAt, reachedAt));
    if (!due) continue;
    const passed = now.getTime() > Date.parse(due);
    if (!reachedAt && !passed) continue; // still in time: not decided yet
    measurable += 1;
    if (!missed(c, deadline, now)) met += 1;
  }
  return {
    measurable,
    met,
    share: measurable > 0 ? met / measurable : null,
    p50Hours: quantileType7(hours, 0.5),
    p90Hours: quantileType7(hours, 0.9),
    timed: hours.length,
  };
}

function rootCauseRanks(cases: readonly CaseFigureInput[]): RootCauseRank[] {
  const counts = new Map<string, number>();
  for (const c of cases) if (!isUnresolved(c) && c.rootCause) counts.set(c.rootCause, (counts.get(c.rootCause) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  let running = 0;
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([rootCause, count]) => {
      running += count;
      return { rootCause, count, share: count / total, cumulativeShare: running / total };
    });
}

function followUpFigures(cases: readonly CaseFigureInput[]): FollowUpFigures {
  const followUps = cases.flatMap((c) => c.followUps ?? []);
  const answered = followUps.filter((f) => f.answeredAt);
  const solvedAnswers = answered.filter((f) => f.solved !== undefined);
  const solved = solvedAnswers.filter((f) => f.solved).length;
  const handled = answered.flatMap((f) => (f.handled === undefined ? [] : [f.handled]));
  return {
    sent: followUps.filter((f) => f.invitationId).length,
    answered: answered.length,
    solved,
    solvedShare: solvedAnswers.length > 0 ? solved / solvedAnswers.length : null,
    handledMean: handled.length > 0 ? handled.reduce((a, b) => a + b, 0) / handled.length : null,
    handledN: handled.length,
  };
}

/** The figures of `cohort` (a period's cases of one subtree), with `open` the subtree's open cases now. */
export function caseFigures(cohort: readonly CaseFigureInput[], open: readonly CaseFigureInput[], now: Date): CaseFigures {
  const bySource = Object.fromEntries(CASE_SOURCES.map((s) => [s, 0])) as Record<CaseSource, number>;
  for (const c of cohort) bySource[c.source] += 1;
  return {
    opened: cohort.length,
    bySource,
    resolved: cohort.filter((c) => !isUnresolved(c)).length,
    closed: cohort.filter((c) => !isOpen(c)).length,
    reopened: cohort.filter((c) => c.reopenedCount > 0).length,
    firstContact: deadlineFigures(cohort, 'firstContact', now),
    resolve: deadlineFigures(cohort, 'resolve', now),
    overdueNow: open.filter((c) => isOverdue(c, now)).length,
    followUp: followUpFigures(cohort),
    rootCauses: rootCauseRanks(cohort),
  };
}

/**
 * The section of `unit`: `inSubtree(caseUnit, root)` says whether a case's unit lies in a
 * root's subtree; `children` are the unit's children, each rolled up over its own subtree.
 */
export function casesSection(
  unit: string,
  children: readonly string[],
  cases: { period: readonly CaseFigureInput[]; open: readonly CaseFigureInput[] },
  inSubtree: (caseUnit: string, root: string) => boolean,
  now: Date,
): CasesSection {
  const of = (root: string) => caseFigures(
    cases.period.filter((c) => inSubtree(c.orgUnitId, root)),
    cases.open.filter((c) => inSubtree(c.orgUnitId, root)),
    now,
  );
  return {
    ...of(unit),
    children: children.map((orgUnit) => {
      const f = of(orgUnit);
      return { orgUnit, opened: f.opened, resolved: f.resolved, overdueNow: f.overdueNow, firstContactShare: f.firstContact.share, resolveShare: f.resolve.share };
    }),
  };
}
