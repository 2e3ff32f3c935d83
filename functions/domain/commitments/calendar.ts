/**
 * Working-day calendars: weekends, public holidays and adjusted working days (调休), one data
 * file per country with one entry per year (calendars/README.md). Adding a year is a data change;
 * the files are imported statically so Lambda bundles carry them.
 *
 * A date in a year the calendar does not cover is an error, never a guess: next year's holidays
 * are only known when the State Council publishes them (usually in November).
 */
import * as z from '../zod';
import cnCalendar from './calendars/cn.json' with { type: 'json' };
import { addDays, isCalendarDate, weekdayOf } from './local-time';

const calendarDate = z.string().check(z.refine(isCalendarDate, { error: 'expected a date YYYY-MM-DD' }));
const localizedName = z.record(z.string(), z.string().check(z.minLength(1)));

const yearSchema = z.strictObject({
  /** The notice the dates come from, as published. */
  source: z.string().check(z.minLength(1)),
  url: z.optional(z.url()),
  holidays: z.array(z.strictObject({ name: localizedName, from: calendarDate, to: calendarDate })),
  /** Weekend days that are working days (调休上班). */
  workdays: z.array(z.strictObject({ date: calendarDate, for: z.optional(localizedName) })),
});

export const calendarDataSchema = z
  .strictObject({
    id: z.string().check(z.regex(/^[a-z0-9-]+$/)),
    title: localizedName,
    timeZone: z.string(),
    /** Weekday numbers of the weekend, 0 = Sunday ... 6 = Saturday. */
    weekend: z.array(z.int().check(z.gte(0), z.lte(6))),
    years: z.record(z.string().check(z.regex(/^\d{4}$/, { error: 'expected a year such as 2026' })), yearSchema),
  })
  .check(z.superRefine((data, ctx) => {
    for (const [year, entry] of Object.entries(data.years)) {
      const holidayDates = new Set<string>();
      entry.holidays.forEach((holiday, h) => {
        const path = ['years', year, 'holidays', h];
        if (!holiday.from.startsWith(`${year}-`) || !holiday.to.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path, message: `holiday outside ${year}` });
        if (holiday.to < holiday.from) ctx.addIssue({ code: 'custom', path: [...path, 'to'], message: 'a holiday ends before it starts' });
        for (let d = holiday.from; d <= holiday.to; d = addDays(d, 1)) holidayDates.add(d);
      });
      entry.workdays.forEach((workday, w) => {
        const path = ['years', year, 'workdays', w, 'date'];
        if (!workday.date.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path, message: `date outside ${year}` });
        if (!data.weekend.includes(weekdayOf(workday.date))) ctx.addIssue({ code: 'custom', path, message: `${workday.date} is not a weekend day; an adjusted working day replaces a weekend day` });
        if (holidayDates.has(workday.date)) ctx.addIssue({ code: 'custom', path, message: `${workday.date} is also a holiday` });
      });
    }
  }));

export type CalendarData = z.output<typeof calendarDataSchema>;

export type DayKind = 'working day' | 'weekend' | 'holiday' | 'adjusted working day';

export class CalendarCoverageError extends Error {
  constructor(
    readonly calendarId: string,
    readonly date: string,
    readonly years: readonly number[],
  ) {
    super(`calendar "${calendarId}" has no data for ${date.slice(0, 4)} (it covers ${years.join(', ')}); add the year to calendars/${calendarId}.json`);
    this.name = 'CalendarCoverageError';
  }
}

export interface WorkingDayCalendar {
  id: string;
  timeZone: string;
  /** Years with data, ascending. */
  years: readonly number[];
  dayKind(date: string): DayKind;
  isWorkingDay(date: string): boolean;
  /** Holiday name of a date, for explanations. */
  holidayName(date: string, lang?: string): string | undefined;
}

export function calendarFromData(input: unknown): WorkingDayCalendar {
  const data = calendarDataSchema.parse(input);
  const holidays = new Map<string, Record<string, string>>();
  const workdays = new Set<string>();
  for (const entry of Object.values(data.years)) {
    for (const holiday of entry.holidays) for (let d = holiday.from; d <= holiday.to; d = addDays(d, 1)) holidays.set(d, holiday.name);
    for (const workday of entry.workdays) workdays.add(workday.date);
  }
  const years = Object.keys(data.years).map(Number).sort((a, b) => a - b);
  const dayKind = (date: string): DayKind => {
    if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
    if (!years.includes(Number(date.slice(0, 4)))) throw new CalendarCoverageError(data.id, date, years);
    if (holidays.has(date)) return 'holiday';
    if (workdays.has(date)) return 'adjusted working day';
    return data.weekend.includes(weekdayOf(date)) ? 'weekend' : 'working day';
  };
  return {
    id: data.id,
    timeZone: data.timeZone,
    years,
    dayKind,
    isWorkingDay: (date) => {
      const kind = dayKind(date);
      return kind === 'working day' || kind === 'adjusted working day';
    },
    holidayName: (date, lang = 'zh-CN') => {
      const name = holidays.get(date);
      return name ? (name[lang] ?? Object.values(name)[0]) : undefined;
    },
  };
}

/** The calendars commitments may name. A new country is a data file and one line here. */
export const CALENDARS: Readonly<Record<string, WorkingDayCalendar>> = {
  cn: calendarFromData(cnCalendar),
};

/** The date of the `n`th working day after `date` (the day itself does not count). */
export function addWorkingDays(calendar: WorkingDayCalendar, date: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a number of working days must be a positive whole number, got ${n}`);
  let day = date;
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    if (calendar.isWorkingDay(day)) counted += 1;
  }
  return day;
}
