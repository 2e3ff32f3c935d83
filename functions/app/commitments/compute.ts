/**
 * Compliance per commitment, unit and period, computed from the service events as part of the
 * scheduled computation. Events are listed by month through GSI1 (`EVENTS#YYYY-MM`, the month of
 * occurredAt in Asia/Shanghai); one compliance report is stored per period and unit
 * (`COMMITMENTS_REPORT#YYYY-MM` / `UNIT#id`, docs/storage.md). Every read is a GetItem or a Query.
 */
import {
  addEvaluation,
  CALENDARS,
  calendarNotice,
  complianceSummary,
  defaultCalendarSettings,
  effectiveCalendar,
  emptyComplianceAccumulator,
  evaluateEvent,
  eventPeriod,
  mergeComplianceAccumulators,
  type CalendarResolver,
  type CalendarSettings,
  type Commitment,
  type ComplianceAccumulator,
  type ServiceEvent,
  type WorkingDayCalendar,
} from '../../domain/commitments';
import type { OrgTree } from '../../domain/org';
import { periodOf, shiftPeriod } from '../../domain/period';
import type { CommitmentFigures, CommitmentsReportRecord, ServiceEventRecord } from '../../domain/records';
import type { Deps } from '../deps';
import { listCommitments } from './declare';

/** A stored event as the domain sees it: the posted timestamp fields, occurredAt and closedAt. */
export function domainEvent(record: ServiceEventRecord): ServiceEvent {
  const timestamps: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(record.fields ?? {})) {
    if (typeof value === 'string') timestamps[name] = value;
    else if (value === null) timestamps[name] = null;
  }
  timestamps.occurredAt = record.occurredAt;
  timestamps.closedAt = record.closedAt ?? null;
  return { eventId: record.eventId, type: record.type, orgUnitId: record.orgUnitId, timestamps };
}

/**
 * The period an event counts in for a commitment: the month of its `from` in the commitment's time
 * zone; an event without a readable `from` (unmeasurable) counts in the month it occurred.
 */
function periodFor(commitment: Commitment, event: ServiceEvent, occurredAt: string): string | null {
  const byFrom = eventPeriod(commitment, event);
  if (byFrom) return byFrom;
  const occurred = new Date(occurredAt);
  return Number.isNaN(occurred.getTime()) ? null : periodOf(occurred, commitment.timeZone);
}

const eventsCounted = (acc: ComplianceAccumulator): number => acc.met + acc.missed + acc.pending + acc.unmeasurable;

/** The organisation's settings of each published calendar (defaults where none were declared). */
export async function calendarSettingsOf(deps: Pick<Deps, 'store' | 'calendars'>): Promise<Map<string, CalendarSettings>> {
  const declared = new Map((await deps.store.listCalendarSettings()).map((record) => [record.calendarId, record.settings]));
  return new Map(Object.keys(deps.calendars ?? CALENDARS).map((id) => [id, declared.get(id) ?? defaultCalendarSettings()]));
}

/** Each unit's calendar: the published one with the organisation's days for the unit's subtree and the fallback. */
export function calendarResolver(published: Readonly<Record<string, WorkingDayCalendar>>, settings: ReadonlyMap<string, CalendarSettings>, tree: OrgTree): CalendarResolver {
  const cache = new Map<string, WorkingDayCalendar>();
  return (calendarId, orgUnitId) => {
    const base = published[calendarId];
    if (!base) return undefined;
    const key = `${calendarId} ${orgUnitId}`;
    let calendar = cache.get(key);
    if (!calendar) cache.set(key, (calendar = effectiveCalendar(base, settings.get(calendarId) ?? defaultCalendarSettings(), tree.path(orgUnitId))));
    return calendar;
  };
}

export interface CommitmentsRun {
  /** The organisation's calendar settings (read once per run). */
  settings: ReadonlyMap<string, CalendarSettings>;
  /** The recompute mark of this period the run started with, cleared once the figures are final. */
  mark?: { markedAt: string } | undefined;
}

/**
 * Part of the scheduled computation: compliance per commitment, unit and period. Events are read
 * by month through GSI1 (the period and the months either side, since `from` and occurredAt may
 * fall in different months or time zones), kept when their period for the commitment is this
 * one, folded per unit, rolled up the organisation (a unit's figures come from every event in its
 * subtree; percentiles from all the durations), and stored as one report per unit.
 */
export async function computeCommitments(deps: Deps, period: string, tree: OrgTree, run?: CommitmentsRun): Promise<void> {
  const commitments = (await listCommitments(deps)).commitments;
  if (commitments.length === 0) return;
  const now = deps.clock.now();
  const settings = run?.settings ?? (await calendarSettingsOf(deps));
  const calendars = calendarResolver(deps.calendars ?? CALENDARS, settings, tree);
  let provisional = 0;
  let outsideCalendar = 0;

  const records = new Map<string, ServiceEventRecord>();
  for (const month of [shiftPeriod(period, -1), period, shiftPeriod(period, 1)]) {
    for (const record of await deps.store.serviceEventsOfMonth(month)) records.set(record.eventId, record);
  }

  // commitment id -> unit id -> the unit's own events folded in
  const own = new Map<string, Map<string, ComplianceAccumulator>>(commitments.map((c) => [c.id, new Map()]));
  let unattributed = 0;
  for (const record of records.values()) {
    const event = domainEvent(record);
    for (const commitment of commitments) {
      if (event.type !== commitment.eventType || periodFor(commitment, event, record.occurredAt) !== period) continue;
      if (!tree.has(event.orgUnitId)) {
        unattributed += 1;
        continue;
      }
      const byUnit = own.get(commitment.id) as Map<string, ComplianceAccumulator>;
      let acc = byUnit.get(event.orgUnitId);
      if (!acc) byUnit.set(event.orgUnitId, (acc = emptyComplianceAccumulator()));
      const evaluation = evaluateEvent(commitment, event, now, calendars);
      if (evaluation.provisional) provisional += 1;
      if (evaluation.reason === 'outside the calendar') outsideCalendar += 1;
      addEvaluation(acc, evaluation);
    }
  }

  const totals = commitments.map((commitment) => ({
    commitment,
    byUnit: tree.rollUp(own.get(commitment.id) as Map<string, ComplianceAccumulator>, emptyComplianceAccumulator, mergeComplianceAccumulators),
  }));
  const computedAt = now.toISOString();
  const reports: CommitmentsReportRecord[] = [];
  for (const unitId of tree.bottomUp()) {
    const figures: CommitmentFigures[] = totals.flatMap(({ commitment, byUnit }) => {
      const acc = byUnit.get(unitId);
      if (!acc || eventsCounted(acc) === 0) return [];
      return [{ ...complianceSummary(commitment.id, acc), ...(commitment.title ? { title: commitment.title } : {}), ...(commitment.calendar ? { calendar: commitment.calendar } : {}), ...(commitment.surveys ? { surveys: commitment.surveys } : {}) }];
    });
    const used = [...new Set(figures.flatMap((f) => (f.calendar ? [f.calendar] : [])))].sort();
    if (figures.length > 0) {
      reports.push({
        period,
        orgUnitId: unitId,
        computedAt,
        commitments: figures,
        ...(used.length > 0 ? { calendars: used.map((id) => ({ id, fallback: (settings.get(id) ?? defaultCalendarSettings()).fallback })) } : {}),
      });
    }
  }
  await deps.store.replaceCommitmentsReports(period, reports);
  // Figures a fallback decided (or could not measure) are computed again by every run until the
  // year's calendar is in; final ones clear the mark this run started with.
  if (provisional > 0 || outsideCalendar > 0) await deps.store.markComplianceRecompute({ period, reason: 'provisional', markedAt: computedAt });
  else if (run?.mark) await deps.store.clearComplianceRecompute(period, run.mark.markedAt);
  deps.logger.info('commitments computed', { period, commitments: commitments.length, events: records.size, units: reports.length, unattributed, provisional, outsideCalendar });
}

/**
 * A warning in the log for each calendar a working-day commitment uses whose data ends within
 * CALENDAR_WARNING_DAYS: the State Council notice of the next year is to be added as data.
 */
export function warnOfCalendarEnd(deps: Pick<Deps, 'clock' | 'logger' | 'calendars'>, commitments: readonly Commitment[], settings: ReadonlyMap<string, CalendarSettings>): void {
  const used = new Set(commitments.flatMap((c) => (typeof c.target === 'object' && c.calendar ? [c.calendar] : [])));
  for (const id of [...used].sort()) {
    const calendar = (deps.calendars ?? CALENDARS)[id];
    const notice = calendar ? calendarNotice(calendar, deps.clock.now(), (settings.get(id) ?? defaultCalendarSettings()).fallback) : null;
    if (notice) deps.logger.warn('working-day calendar runs out: add the next year (functions/domain/commitments/calendars/README.md)', { ...notice });
  }
}
