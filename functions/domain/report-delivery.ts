/**
 * When a report subscription's delivery falls due (issue #15's scheduled delivery), as pure
 * functions of the clock, the organisation's time zone and its working-day calendar:
 *
 * - weekly: Friday 08:00 local time, for the Friday meeting, with the month's report so far (the
 *   computation keeps monthly periods: the week so far is the month to date on that Friday);
 * - monthly: 08:00 on the first working day after the month closes (the Chinese calendar's
 *   holidays and adjusted working days decide it: 8 October 2026 after the National Day holiday),
 *   with the closed month's report in the 服务监督报告 layout.
 *
 * Each delivery has a key (`2026-W48`, `2026-11`): a subscription gets each key at most once,
 * however often the schedule fires (the store's conditional write enforces it). A firing delivers
 * the latest key already due, so a late or missed firing catches up with the latest delivery
 * only; keys due before the subscription existed are not delivered.
 */
import { CalendarCoverageError, type WorkingDayCalendar } from './commitments/calendar';
import { addDays, instantAt, localDateOf, weekdayOf } from './commitments/local-time';
import { shiftPeriod } from './period';

export const CADENCES = ['weekly', 'monthly'] as const;
export type Cadence = (typeof CADENCES)[number];

/** The local time a delivery goes out at. */
export const DELIVERY_TIME = '08:00';

export interface DueDelivery {
  /** What a subscription gets once: an ISO week (`2026-W48`) or a month (`2026-11`). */
  key: string;
  /** The report's period (YYYY-MM) the delivery carries. */
  reportPeriod: string;
  /** The PDF layout: the monthly one is titled 服务监督报告. */
  layout: 'report' | 'monthly';
  /** When it fell due. */
  dueAt: Date;
}

/** ISO 8601 week of a date: the week (Monday first) holding the year's first Thursday is week 1. */
export function isoWeekOf(date: string): string {
  const isoWeekday = weekdayOf(date) === 0 ? 7 : weekdayOf(date);
  const thursday = addDays(date, 4 - isoWeekday);
  const year = Number(thursday.slice(0, 4));
  const firstThursday = (() => {
    const jan1 = `${year}-01-01`;
    const w = weekdayOf(jan1) === 0 ? 7 : weekdayOf(jan1);
    return addDays(jan1, (4 - w + 7) % 7);
  })();
  const week = 1 + Math.round((Date.parse(thursday) - Date.parse(firstThursday)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The first working day of a month; past the calendar's data, the first day off its weekend. */
export function firstWorkingDay(period: string, calendar: WorkingDayCalendar): string {
  for (let day = `${period}-01`; day.startsWith(period); day = addDays(day, 1)) {
    try {
      if (calendar.isWorkingDay(day)) return day;
    } catch (error) {
      if (!(error instanceof CalendarCoverageError)) throw error;
      if (!calendar.weekend.includes(weekdayOf(day))) return day;
    }
  }
  throw new RangeError(`${period} has no working day`);
}

function weekly(now: Date, timeZone: string): DueDelivery {
  const today = localDateOf(now, timeZone);
  const isoWeekday = weekdayOf(today) === 0 ? 7 : weekdayOf(today);
  let friday = addDays(today, 5 - isoWeekday);
  let dueAt = instantAt(friday, DELIVERY_TIME, timeZone);
  if (dueAt.getTime() > now.getTime()) {
    friday = addDays(friday, -7);
    dueAt = instantAt(friday, DELIVERY_TIME, timeZone);
  }
  return { key: isoWeekOf(friday), reportPeriod: friday.slice(0, 7), layout: 'report', dueAt };
}

function monthly(now: Date, timeZone: string, calendar: WorkingDayCalendar): DueDelivery {
  let month = localDateOf(now, timeZone).slice(0, 7);
  let dueAt = instantAt(firstWorkingDay(month, calendar), DELIVERY_TIME, timeZone);
  if (dueAt.getTime() > now.getTime()) {
    month = shiftPeriod(month, -1);
    dueAt = instantAt(firstWorkingDay(month, calendar), DELIVERY_TIME, timeZone);
  }
  const closed = shiftPeriod(month, -1);
  return { key: closed, reportPeriod: closed, layout: 'monthly', dueAt };
}

/**
 * The latest delivery of `cadence` due at `now`, or null when it fell due before `since` (the
 * subscription's creation): a new subscription waits for its first due time.
 */
export function dueDelivery(cadence: Cadence, now: Date, timeZone: string, calendar: WorkingDayCalendar, since?: Date): DueDelivery | null {
  const due = cadence === 'weekly' ? weekly(now, timeZone) : monthly(now, timeZone, calendar);
  return since && due.dueAt.getTime() < since.getTime() ? null : due;
}
