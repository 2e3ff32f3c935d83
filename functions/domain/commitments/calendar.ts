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
    // Coverage is one run of years ("covered through 31 December of the last"), so a gap is refused.
    const numbers = Object.keys(data.years).map(Number).sort((a, b) => a - b);
    if (numbers.length === 0) ctx.addIssue({ code: 'custom', path: ['years'], message: 'a calendar covers at least one year' });
    numbers.forEach((year, i) => {
      if (i > 0 && year !== (numbers[i - 1] as number) + 1) ctx.addIssue({ code: 'custom', path: ['years', String(year)], message: `years follow one another: ${numbers[i - 1]} is followed by ${year}` });
    });
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

/**
 * `organisation non-working day`: a day the organisation (or some of its units) closes on top of
 * the public calendar (calendar-settings.ts).
 */
export type DayKind = 'working day' | 'weekend' | 'holiday' | 'adjusted working day' | 'organisation non-working day';

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
  /** Weekday numbers of the weekend, 0 = Sunday ... 6 = Saturday. */
  weekend: readonly number[];
  /** 31 December of the last year with data. */
  coveredThrough: string;
  /** Whether the published data decides `date` (false for a date a fallback answers). */
  covers(date: string): boolean;
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
  const covers = (date: string) => years.includes(Number(date.slice(0, 4)));
  const dayKind = (date: string): DayKind => {
    if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
    if (!covers(date)) throw new CalendarCoverageError(data.id, date, years);
    if (holidays.has(date)) return 'holiday';
    if (workdays.has(date)) return 'adjusted working day';
    return data.weekend.includes(weekdayOf(date)) ? 'weekend' : 'working day';
  };
  return {
    id: data.id,
    timeZone: data.timeZone,
    years,
    weekend: data.weekend,
    coveredThrough: `${years[years.length - 1] ?? 0}-12-31`,
    covers,
    dayKind,
    isWorkingDay: (date) => isWorkingKind(dayKind(date)),
    holidayName: (date, lang = 'zh-CN') => {
      const name = holidays.get(date);
      return name ? (name[lang] ?? Object.values(name)[0]) : undefined;
    },
  };
}

export const isWorkingKind = (kind: DayKind): boolean => kind === 'working day' || kind === 'adjusted working day';

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
