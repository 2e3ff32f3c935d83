/**
 * Compliance with a commitment over service events: met / measurable, the median and 90th
 * percentile of the durations, and the mean overrun of the missed events (hours).
 *
 * An event is measurable once it is closed (`to` set) or open past its deadline; an open event
 * past the deadline is missed (its overrun so far counts), an open event before the deadline is
 * pending and not counted yet. Durations are those of the closed events (an open event has none).
 *
 * Events fold into a ComplianceAccumulator per organisation unit and period; accumulators merge
 * exactly (counts and sums add, duration lists concatenate), so percentiles of a region are taken
 * over all of its events, never averaged from its units.
 */
import { periodOf } from '../period';
import { CalendarCoverageError, CALENDARS, type WorkingDayCalendar } from './calendar';
import { coversSpan } from './calendar-settings';
import { deadlineOf } from './deadline';
import { addDays, localDateOf } from './local-time';
import { parseTimestamp, type Commitment, type ServiceEvent } from './schema';

const HOUR_MS = 3_600_000;

export type EventStatus = 'met' | 'missed' | 'pending' | 'unmeasurable';

export type UnmeasurableReason = 'no start' | 'invalid timestamp' | 'ends before it starts' | 'outside the calendar';

export interface EventEvaluation {
  eventId: string;
  orgUnitId: string;
  status: EventStatus;
  reason?: UnmeasurableReason;
  deadline: Date | null;
  /** to - from of a closed event. */
  durationHours: number | null;
  /** Of a missed event: to - deadline, or now - deadline while it is still open. */
  overrunHours: number | null;
  /** Missed and still open. */
  open: boolean;
  /** The deadline counted days past the published calendar (a fallback answered them). */
  provisional: boolean;
}

/** The calendar of a commitment for a unit's event: its organisation's days included (calendar-settings.ts). */
export type CalendarResolver = (calendarId: string, orgUnitId: string) => WorkingDayCalendar | undefined;

/** The published calendars by id, or a resolver that adds an organisation's settings. */
export type CalendarSource = Readonly<Record<string, WorkingDayCalendar>> | CalendarResolver;

const resolveCalendars = (source: CalendarSource, calendarId: string | undefined, orgUnitId: string): Readonly<Record<string, WorkingDayCalendar>> => {
  if (typeof source !== 'function') return source;
  const calendar = calendarId === undefined ? undefined : source(calendarId, orgUnitId);
  return calendar && calendarId !== undefined ? { [calendarId]: calendar } : {};
};

/** Checks one event (of the commitment's type) against the commitment at `now`. */
export function evaluateEvent(
  commitment: Commitment,
  event: Pick<ServiceEvent, 'eventId' | 'orgUnitId' | 'timestamps'>,
  now: Date,
  calendarSource: CalendarSource = CALENDARS,
): EventEvaluation {
  const base = { eventId: event.eventId, orgUnitId: event.orgUnitId, deadline: null, durationHours: null, overrunHours: null, open: false, provisional: false };
  const unmeasurable = (reason: UnmeasurableReason): EventEvaluation => ({ ...base, status: 'unmeasurable', reason });
  const fromText = event.timestamps[commitment.from];
  const toText = event.timestamps[commitment.to];
  if (fromText === null || fromText === undefined || fromText === '') return unmeasurable('no start');
  const from = parseTimestamp(fromText);
  const to = toText === null || toText === undefined || toText === '' ? null : parseTimestamp(toText);
  if (!from || (to === null && toText && toText !== '')) return unmeasurable('invalid timestamp');
  if (to && to.getTime() < from.getTime()) return unmeasurable('ends before it starts');

  const calendars = resolveCalendars(calendarSource, commitment.calendar, event.orgUnitId);
  let deadline: Date;
  try {
    deadline = deadlineOf(commitment, from, calendars);
  } catch (error) {
    if (error instanceof CalendarCoverageError) return unmeasurable('outside the calendar');
    throw error;
  }
  const calendar = commitment.calendar === undefined ? undefined : calendars[commitment.calendar];
  // The days counted run from the day after `from` to the deadline's day (deadline.ts).
  const provisional =
    typeof commitment.target === 'object' && calendar !== undefined &&
    !coversSpan(calendar, addDays(localDateOf(from, commitment.timeZone), 1), localDateOf(deadline, commitment.timeZone));
  const measured = { ...base, deadline, provisional };
  if (to) {
    const durationHours = (to.getTime() - from.getTime()) / HOUR_MS;
    const met = to.getTime() <= deadline.getTime();
    return { ...measured, durationHours, status: met ? 'met' : 'missed', overrunHours: met ? null : (to.getTime() - deadline.getTime()) / HOUR_MS };
  }
  if (now.getTime() > deadline.getTime()) return { ...measured, status: 'missed', overrunHours: (now.getTime() - deadline.getTime()) / HOUR_MS, open: true };
  return { ...measured, status: 'pending' };
}

/** The reporting period (YYYY-MM) of an event: the month of its `from` in the commitment's time zone. */
export function eventPeriod(commitment: Commitment, event: Pick<ServiceEvent, 'timestamps'>): string | null {
  const text = event.timestamps[commitment.from];
  const from = text ? parseTimestamp(text) : null;
  return from ? periodOf(from, commitment.timeZone) : null;
}

export interface ComplianceAccumulator {
  met: number;
  missed: number;
  /** Of the missed: still open past the deadline. */
  missedOpen: number;
  pending: number;
  unmeasurable: number;
  /** Of the counted events: those whose deadline a fallback decided (see EventEvaluation). */
  provisional: number;
  overrunHoursSum: number;
  /** Durations of the closed events (met and missed), in hours; merged by concatenation. */
  durationsHours: number[];
}

export const emptyComplianceAccumulator = (): ComplianceAccumulator => ({
  met: 0,
  missed: 0,
  missedOpen: 0,
  pending: 0,
  unmeasurable: 0,
  provisional: 0,
  overrunHoursSum: 0,
  durationsHours: [],
});

export function addEvaluation(acc: ComplianceAccumulator, evaluation: EventEvaluation): void {
  switch (evaluation.status) {
    case 'met':
      acc.met += 1;
      break;
    case 'missed':
      acc.missed += 1;
      if (evaluation.open) acc.missedOpen += 1;
      acc.overrunHoursSum += evaluation.overrunHours ?? 0;
      break;
    case 'pending':
      acc.pending += 1;
      break;
    case 'unmeasurable':
      acc.unmeasurable += 1;
      break;
  }
  if (evaluation.provisional) acc.provisional += 1;
  if (evaluation.durationHours !== null) acc.durationsHours.push(evaluation.durationHours);
}

/** Folds one event in; events of another type than the commitment's are ignored. */
export function accumulateEvent(
  commitment: Commitment,
  acc: ComplianceAccumulator,
  event: ServiceEvent,
  now: Date,
  calendars: CalendarSource = CALENDARS,
): void {
  if (event.type !== commitment.eventType) return;
  addEvaluation(acc, evaluateEvent(commitment, event, now, calendars));
}

export function mergeComplianceAccumulators(a: ComplianceAccumulator, b: ComplianceAccumulator): ComplianceAccumulator {
  return {
    met: a.met + b.met,
    missed: a.missed + b.missed,
    missedOpen: a.missedOpen + b.missedOpen,
    pending: a.pending + b.pending,
    unmeasurable: a.unmeasurable + b.unmeasurable,
    provisional: a.provisional + b.provisional,
    overrunHoursSum: a.overrunHoursSum + b.overrunHoursSum,
    durationsHours: [...a.durationsHours, ...b.durationsHours],
  };
}

/**
 * The p-quantile by linear interpolation between order statistics: Hyndman & Fan type 7, the
 * default of R's quantile() and numpy.percentile. h = (n - 1) p; x[floor h] + (h - floor h)
 * (x[floor h + 1] - x[floor h]) on the ascending values (0-based). null without values.
 */
export function quantileType7(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a quantile level must be between 0 and 1, got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const below = sorted[lower] as number;
  const above = sorted[Math.min(lower + 1, sorted.length - 1)] as number;
  return below + (h - lower) * (above - below);
}

export interface ComplianceSummary {
  id: string;
  /** Measurable events: met + missed. */
  n: number;
  met: number;
  /** met / n; null without measurable events. */
  compliance: number | null;
  /** Median and 90th percentile (type 7) of the closed events' durations, hours. */
  p50: number | null;
  p90: number | null;
  /** Mean overrun of the missed events (open ones: so far), hours; null without missed events. */
  meanOverrun: number | null;
  missed: number;
  missedOpen: number;
  pending: number;
  unmeasurable: number;
  /**
   * Some deadline behind these figures counted days past the published calendar (weekends only):
   * the figures are provisional until the year's calendar is added and they are recomputed.
   */
  provisional: boolean;
  /** How many of the counted events had such a deadline. */
  provisionalEvents: number;
}

export function complianceSummary(id: string, acc: ComplianceAccumulator): ComplianceSummary {
  const n = acc.met + acc.missed;
  return {
    id,
    n,
    met: acc.met,
    compliance: n > 0 ? acc.met / n : null,
    p50: quantileType7(acc.durationsHours, 0.5),
    p90: quantileType7(acc.durationsHours, 0.9),
    meanOverrun: acc.missed > 0 ? acc.overrunHoursSum / acc.missed : null,
    missed: acc.missed,
    missedOpen: acc.missedOpen,
    pending: acc.pending,
    unmeasurable: acc.unmeasurable,
    provisional: acc.provisional > 0,
    provisionalEvents: acc.provisional,
  };
}

/** Compliance of every commitment over all the events (each commitment takes the events of its type). */
export function computeCompliance(
  commitments: readonly Commitment[],
  events: readonly ServiceEvent[],
  now: Date,
  calendars: CalendarSource = CALENDARS,
): ComplianceSummary[] {
  return commitments.map((commitment) => {
    const acc = emptyComplianceAccumulator();
    for (const event of events) accumulateEvent(commitment, acc, event, now, calendars);
    return complianceSummary(commitment.id, acc);
  });
}
