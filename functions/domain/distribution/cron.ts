/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) read as wall-clock
 * time: parsing with Vixie cron's rules, and the first matching wall-clock minute after a given
 * one. Time zones are applied by the caller (schedules.ts). Accepted: `*` (or `?` in the day
 * fields), numbers, ranges `a-b`, steps (`a-b/n`, `a/n`, and `/n` after `*`), lists, month and weekday names
 * (JAN, MON), 7 for Sunday, `L` (the last day of the month), `5L` (the last Friday) and `1#2`
 * (the second Monday).
 */
import { wallClockMs, wallClockOfMs, type WallClock } from '../time-zone';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day of month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] };
/** 0 and 7 are Sunday. */
const DAY_OF_WEEK: FieldSpec = { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };

/** A parsed expression: the values each field allows, and the day rules beyond plain values. */
export interface CronPattern {
  minutes: readonly number[];
  hours: readonly number[];
  months: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  /** `L` in the day-of-month field. */
  lastDayOfMonth: boolean;
  /** Weekdays 0-6 (Sunday 0). */
  daysOfWeek: ReadonlySet<number>;
  /** `5L`: the last such weekday of the month. */
  lastWeekdays: ReadonlySet<number>;
  /** `1#2`: weekday and its occurrence in the month (1-5). */
  nthWeekdays: readonly (readonly [weekday: number, nth: number])[];
  /** Both day fields restricted: a day matches either (Vixie cron); otherwise both must match. */
  eitherDay: boolean;
}

function valueOf(text: string, spec: FieldSpec): number {
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const value = index >= 0 ? index + (spec === MONTH ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value)) throw new RangeError(`${text} is not a valid ${spec.name}`);
  if (value < spec.min || value > spec.max) throw new RangeError(`${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
  return value;
}

/** The values one comma-separated part allows: `*`, `a`, `a-b`, each optionally `/step`. */
function partValues(part: string, spec: FieldSpec): number[] {
  const [range = '', stepText, extra] = part.split('/');
  if (extra !== undefined || range === '') throw new RangeError(`${part} is not a valid ${spec.name}`);
  const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) && Number(stepText) > 0 ? Number(stepText) : Number.NaN;
  if (Number.isNaN(step)) throw new RangeError(`step ${stepText} in ${part} is not a positive whole number`);
  let from: number;
  let to: number;
  if (range === '*') [from, to] = [spec.min, spec.max];
  else {
    const [first = '', last, more] = range.split('-');
    if (more !== undefined) throw new RangeError(`${part} is not a valid ${spec.name}`);
    from = valueOf(first, spec);
    to = last !== undefined ? valueOf(last, spec) : stepText !== undefined ? spec.max : from;
    if (to < from) throw new RangeError(`range ${range} of ${spec.name} runs backwards`);
  }
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

function fieldValues(field: string, spec: FieldSpec): number[] {
  const values = new Set<number>();
  for (const part of field.split(',')) for (const value of partValues(part, spec)) values.add(value);
  return [...values].sort((a, b) => a - b);
}

const isUnrestricted = (field: string): boolean => field === '*' || field === '?';

/** The pattern of a five-field expression; throws a RangeError saying what is wrong. */
export function parseCron(expression: string): CronPattern {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new RangeError(`expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = fields;
  const daysOfMonth = new Set<number>();
  let lastDayOfMonth = false;
  if (!isUnrestricted(dayOfMonth)) {
    for (const part of dayOfMonth.split(',')) {
      if (part.toUpperCase() === 'L') lastDayOfMonth = true;
      else for (const value of partValues(part, DAY_OF_MONTH)) daysOfMonth.add(value);
    }
  }
  const daysOfWeek = new Set<number>();
  const lastWeekdays = new Set<number>();
  const nthWeekdays: [number, number][] = [];
  if (!isUnrestricted(dayOfWeek)) {
    for (const part of dayOfWeek.split(',')) {
      const last = /^(\w+)L$/i.exec(part);
      const nth = /^(\w+)#(\d)$/.exec(part);
      if (last) lastWeekdays.add(valueOf(last[1]!, DAY_OF_WEEK) % 7);
      else if (nth) {
        const occurrence = Number(nth[2]);
        if (occurrence < 1 || occurrence > 5) throw new RangeError(`${part}: the occurrence after # must be 1-5`);
        nthWeekdays.push([valueOf(nth[1]!, DAY_OF_WEEK) % 7, occurrence]);
      } else for (const value of partValues(part, DAY_OF_WEEK)) daysOfWeek.add(value % 7);
    }
  }
  const months = new Set(isUnrestricted(month) ? fieldValues('*', MONTH) : fieldValues(month, MONTH));
  const pattern: CronPattern = {
    minutes: fieldValues(minute, MINUTE),
    hours: fieldValues(hour, HOUR),
    months,
    daysOfMonth,
    lastDayOfMonth,
    daysOfWeek,
    lastWeekdays,
    nthWeekdays,
    eitherDay: !isUnrestricted(dayOfMonth) && !isUnrestricted(dayOfWeek),
  };
  if (!isUnrestricted(dayOfMonth) && !pattern.eitherDay && !someMonthHasDay(pattern)) throw new RangeError(`no month of ${month} has day ${dayOfMonth}`);
  return pattern;
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether any allowed month has one of the allowed days of month (February counted with 29 days). */
function someMonthHasDay(pattern: CronPattern): boolean {
  if (pattern.lastDayOfMonth) return true;
  const longest = Math.max(...[...pattern.months].map((month) => daysInMonth(2000, month)));
  return [...pattern.daysOfMonth].some((day) => day <= longest);
}

function dayMatches(pattern: CronPattern, year: number, month: number, day: number): boolean {
  if (!pattern.months.has(month)) return false;
  const length = daysInMonth(year, month);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const restrictedMonthDay = pattern.daysOfMonth.size > 0 || pattern.lastDayOfMonth;
  const restrictedWeekday = pattern.daysOfWeek.size > 0 || pattern.lastWeekdays.size > 0 || pattern.nthWeekdays.length > 0;
  const monthDay = !restrictedMonthDay || pattern.daysOfMonth.has(day) || (pattern.lastDayOfMonth && day === length);
  const weekDay =
    !restrictedWeekday ||
    pattern.daysOfWeek.has(weekday) ||
    (pattern.lastWeekdays.has(weekday) && day + 7 > length) ||
    pattern.nthWeekdays.some(([wanted, nth]) => wanted === weekday && Math.ceil(day / 7) === nth);
  return pattern.eitherDay ? (restrictedMonthDay && monthDay) || (restrictedWeekday && weekDay) : monthDay && weekDay;
}

/** How far ahead a match is looked for: long enough for 29 February on a Monday (28 years). */
const SEARCH_DAYS = 29 * 366;

/**
 * The wall-clock minutes matching `pattern` strictly after `after` (a wall-clock reading), oldest
 * first, lazily; ends when none is found within the search horizon.
 */
export function* wallClockMatchesAfter(pattern: CronPattern, after: WallClock): Generator<WallClock> {
  const afterMs = wallClockMs(after);
  const firstDay = Date.UTC(after.year, after.month - 1, after.day);
  for (let i = 0; i < SEARCH_DAYS; i += 1) {
    const { year, month, day } = wallClockOfMs(firstDay + i * 86_400_000);
    if (!dayMatches(pattern, year, month, day)) continue;
    for (const hour of pattern.hours) {
      for (const minute of pattern.minutes) {
        const wall: WallClock = { year, month, day, hour, minute, second: 0, millisecond: 0 };
        if (wallClockMs(wall) > afterMs) yield wall;
      }
    }
  }
}
