/**
 * When a case's targets fall due (the declarations are in ./sla-schema.ts). All local dates and
 * times are read in `clock.timeZone` through instantAt/localDateOf, never with a fixed UTC offset.
 *
 * - A duration target under `calendar-days` is elapsed time: `from` + the duration (P1D = 24 h).
 * - A duration target under `working-days` is working time (addWorkingTime): only the time between
 *   `workingHours.start` and `workingHours.end` on the calendar's working days counts. A day of the
 *   duration (PnD) is one full working day's length, end - start as written (8.5 h for 09:00-17:30);
 *   hours, minutes and seconds are working time. Counting begins at `from` when `from` lies within
 *   the working hours of a working day; before a working day's start, at that start; after its end
 *   or on a non-working day, at the start of the next working day. A count that runs out exactly at
 *   the end of a working day falls due at that end, not at the next day's start. Weeks are refused
 *   (the schema refuses them too): their number of working days varies.
 * - `{ workingDays: N, by: "HH:MM" }`, under either calendar: local time `by` on the Nth working
 *   day after the local date of `from` (that date itself does not count, working day or not), i.e.
 *   addWorkingDays(calendar, localDateOf(from), N) at `by`, whatever the working hours.
 *
 * A deadline more than three years (1096 days) after the local date of `from` is a RangeError
 * (a calendar with no working days would otherwise loop forever); a date the calendar has no data
 * for throws its CalendarCoverageError, which is left to propagate.
 */
import { addWorkingDays, type WorkingDayCalendar } from '../commitments/calendar';
import { parseDurationMs } from '../commitments/duration';
import { addDays, instantAt, localDateOf } from '../commitments/local-time';
import type { Sla, SlaCalendar, SlaTarget, WorkingHours } from './sla-schema';

export interface SlaClock {
  calendar: WorkingDayCalendar;
  workingHours: WorkingHours;
  timeZone: string;
}

/** How far ahead a deadline may lie, in days after the local date of `from`. */
const HORIZON_DAYS = 3 * 365 + 1;
const DAY_MS = 86_400_000;

/** The instant a target falls due, counted from `from`, under `mode` ('working-days' | 'calendar-days'). */
export function slaDeadline(from: Date, target: SlaTarget, mode: SlaCalendar, clock: SlaClock): Date {
  if (typeof target !== 'string') {
    const firstDay = localDateOf(from, clock.timeZone);
    const lastDay = addWorkingDays(withHorizon(clock.calendar, firstDay), firstDay, target.workingDays);
    return instantAt(lastDay, target.by, clock.timeZone);
  }
  return mode === 'calendar-days' ? new Date(from.getTime() + parseDurationMs(target)) : addWorkingTime(from, target, clock);
}

/** `from` plus an ISO duration of working time (days = whole working days of working-hours length, hours/minutes = working time). */
export function addWorkingTime(from: Date, duration: string, clock: SlaClock): Date {
  const { start, end } = clock.workingHours;
  let remainingMs = workingDurationMs(duration, minutesOf(end) * 60_000 - minutesOf(start) * 60_000);
  const firstDay = localDateOf(from, clock.timeZone);
  const calendar = withHorizon(clock.calendar, firstDay);
  for (let day = firstDay; ; day = addDays(day, 1)) {
    if (!calendar.isWorkingDay(day)) continue;
    const dayEnd = instantAt(day, end, clock.timeZone).getTime();
    const begin = Math.max(from.getTime(), instantAt(day, start, clock.timeZone).getTime());
    // `<=`: a count that ends exactly at the day's end is due then, not at the next day's start.
    if (begin <= dayEnd && remainingMs <= dayEnd - begin) return new Date(begin + remainingMs);
    remainingMs -= Math.max(0, dayEnd - begin);
  }
}

/** The deadlines of an Sla (undefined where the Sla declares no target). */
export function slaDeadlines(from: Date, sla: Sla, clock: SlaClock): { firstContactDueAt?: Date; resolveDueAt?: Date } {
  return {
    ...(sla.firstContact === undefined ? {} : { firstContactDueAt: slaDeadline(from, sla.firstContact, sla.calendar, clock) }),
    ...(sla.resolve === undefined ? {} : { resolveDueAt: slaDeadline(from, sla.resolve, sla.calendar, clock) }),
  };
}

/** Working milliseconds of a duration: its days at `workingDayMs` each, the rest (after T) as it stands. */
function workingDurationMs(duration: string, workingDayMs: number): number {
  const totalMs = parseDurationMs(duration); // RangeError for anything but an exact duration
  const datePart = duration.slice(1).split('T')[0] ?? '';
  if (datePart.includes('W')) throw new RangeError(`"${duration}": give working time in days (P5D), not weeks, whose number of working days varies`);
  const days = datePart === '' ? 0 : parseDurationMs(`P${datePart}`) / DAY_MS;
  return days * workingDayMs + (totalMs - days * DAY_MS);
}

const minutesOf = (time: string): number => {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
};

/** The calendar, refusing any date past the horizon from `firstDay`, so no count runs forever. */
function withHorizon(calendar: WorkingDayCalendar, firstDay: string): WorkingDayCalendar {
  const lastAllowed = addDays(firstDay, HORIZON_DAYS);
  return {
    ...calendar,
    isWorkingDay: (date) => {
      if (date > lastAllowed) throw new RangeError(`no deadline within three years of ${firstDay} on calendar "${calendar.id}" (it has too few working days)`);
      return calendar.isWorkingDay(date);
    },
  };
}
