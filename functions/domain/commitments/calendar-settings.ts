/**
 * What an organisation adds to a published working-day calendar: what to do where the calendar's
 * data ends (the State Council publishes next year's holidays in November, so every December the
 * data runs out), and its own extra non-working days, for the whole organisation or for some
 * units' subtrees (a provincial holiday such as 广西「三月三」, a company closure day).
 *
 * Declared beside the commitments (`calendars:` in a commitments document, schema.ts):
 *
 *   calendars:
 *     cn:
 *       fallback: weekends          # or none
 *       nonWorkingDays:
 *         - { date: 2027-04-09, name: { zh-CN: 三月三, en: Sanyuesan }, units: [gx] }
 */
import * as z from '../zod';
import { isWorkingKind, type DayKind, type WorkingDayCalendar } from './calendar';
import { addDays, isCalendarDate, localDateOf, weekdayOf } from './local-time';

/** Days before the end of a calendar's data from which reports and logs warn. */
export const CALENDAR_WARNING_DAYS = 60;

/**
 * Where the published data ends: `weekends` counts weekends only (Monday to Friday are working
 * days) and marks every figure it touches provisional, until the year's file is added and the
 * figures are recomputed; `none` counts such an event as unmeasurable (`outside the calendar`).
 */
export const calendarFallbackSchema = z.enum(['weekends', 'none'], { error: 'expected weekends or none' });
export type CalendarFallback = z.output<typeof calendarFallbackSchema>;

/**
 * Weekends only by default: on 1 January the organisation keeps its figures (marked provisional,
 * recomputed once the notice is in), instead of every working-day commitment going dark.
 */
export const DEFAULT_CALENDAR_FALLBACK: CalendarFallback = 'weekends';

const calendarDate = z.string().check(z.refine(isCalendarDate, { error: 'expected a date YYYY-MM-DD' }));
const localizedName = z.record(z.string(), z.string().check(z.trim(), z.minLength(1), z.maxLength(200)));
const unitId = z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected an organisation unit id' }));

export const nonWorkingDaySchema = z.strictObject({
  date: calendarDate,
  name: z.optional(localizedName),
  /** The units whose subtrees close that day; absent: the whole organisation. */
  units: z.optional(z.array(unitId).check(z.minLength(1, { error: 'name at least one unit, or leave units out for the whole organisation' }), z.maxLength(1000))),
});
export type NonWorkingDay = z.output<typeof nonWorkingDaySchema>;

export const calendarSettingsSchema = z
  .strictObject({
    fallback: z._default(calendarFallbackSchema, DEFAULT_CALENDAR_FALLBACK),
    nonWorkingDays: z._default(z.array(nonWorkingDaySchema).check(z.maxLength(3660)), []),
  })
  .check(z.superRefine((settings, ctx) => {
    const seen = new Set<string>();
    settings.nonWorkingDays.forEach((day, i) => {
      const key = dayKey(day);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['nonWorkingDays', i, 'date'], message: `${day.date} is listed twice for the same units` });
      seen.add(key);
    });
  }));
export type CalendarSettings = z.output<typeof calendarSettingsSchema>;

export const defaultCalendarSettings = (): CalendarSettings => ({ fallback: DEFAULT_CALENDAR_FALLBACK, nonWorkingDays: [] });

/**
 * The calendar one unit works by: the published calendar, the organisation's non-working days
 * that apply to the unit (`unitPath`: the unit and its ancestors, root first), and the fallback
 * for dates past the data. `covers` stays the published data's, so a caller can tell which
 * answers are provisional.
 */
export function effectiveCalendar(base: WorkingDayCalendar, settings: CalendarSettings, unitPath: readonly string[]): WorkingDayCalendar {
  const closed = new Map<string, NonWorkingDay>();
  for (const day of settings.nonWorkingDays) {
    if (!day.units || day.units.some((unit) => unitPath.includes(unit))) closed.set(day.date, day);
  }
  if (closed.size === 0 && settings.fallback === 'none') return base;
  const dayKind = (date: string): DayKind => {
    if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
    if (closed.has(date)) return 'organisation non-working day';
    if (!base.covers(date) && settings.fallback === 'weekends') return base.weekend.includes(weekdayOf(date)) ? 'weekend' : 'working day';
    return base.dayKind(date);
  };
  return {
    ...base,
    dayKind,
    isWorkingDay: (date) => isWorkingKind(dayKind(date)),
    holidayName: (date, lang = 'zh-CN') => {
      const name = closed.get(date)?.name;
      return name ? (name[lang] ?? Object.values(name)[0]) : base.covers(date) ? base.holidayName(date, lang) : undefined;
    },
  };
}

/** Whether the published data decides every day from `first` to `last` (inclusive). */
export function coversSpan(calendar: WorkingDayCalendar, first: string, last: string): boolean {
  for (let year = Number(first.slice(0, 4)); year <= Number(last.slice(0, 4)); year += 1) {
    if (!calendar.covers(`${year}-01-01`)) return false;
  }
  return true;
}

/** A calendar whose data ends within CALENDAR_WARNING_DAYS (or has ended): said in logs and on reports. */
export interface CalendarNotice {
  calendar: string;
  /** The last date the published data covers. */
  coveredThrough: string;
  /** Days from today (the calendar's time zone) to coveredThrough: 0 on the last day, negative after it. */
  daysLeft: number;
  /** What counts past coveredThrough. */
  fallback: CalendarFallback;
  /** The first year missing: the State Council notice to add as data. */
  missingYear: number;
}

const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The notice for `calendar` at `now`, or null while its data reaches further than CALENDAR_WARNING_DAYS. */
export function calendarNotice(calendar: WorkingDayCalendar, now: Date, fallback: CalendarFallback): CalendarNotice | null {
  const today = localDateOf(now, calendar.timeZone);
  const daysLeft = daysBetween(today, calendar.coveredThrough);
  if (daysLeft > CALENDAR_WARNING_DAYS) return null;
  return { calendar: calendar.id, coveredThrough: calendar.coveredThrough, daysLeft, fallback, missingYear: Number(addDays(calendar.coveredThrough, 1).slice(0, 4)) };
}

const dayKey = (day: NonWorkingDay) => `${day.date} ${(day.units ?? []).slice().sort().join(',')}`;

/** The dates whose organisation non-working days one declaration adds, removes or moves between units. */
export function changedNonWorkingDates(before: CalendarSettings | undefined, after: CalendarSettings): string[] {
  const was = new Set((before?.nonWorkingDays ?? []).map(dayKey));
  const is = new Set(after.nonWorkingDays.map(dayKey));
  const dates = new Set<string>();
  for (const key of was) if (!is.has(key)) dates.add(key.slice(0, 10));
  for (const key of is) if (!was.has(key)) dates.add(key.slice(0, 10));
  return [...dates].sort();
}

/**
 * How many months before a changed day an event can start and still have a deadline on or after
 * it: a month holds at least 15 working days even in a Spring Festival month, so N working days
 * reach at most ceil(N / 15) months past the month of `from`.
 */
export const monthsReachedBy = (workingDays: number): number => Math.ceil(workingDays / 15);
