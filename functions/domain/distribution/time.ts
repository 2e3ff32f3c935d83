/**
 * Time helpers shared by the distribution rules: instants, IANA zones, wall-clock times in a zone
 * and ISO 8601 durations, on the platform's Intl API (functions/domain/time-zone.ts). Nothing here
 * reads the clock; every function takes the instants it needs.
 */
import * as z from '../zod';
import { isTimeZone, timeZoneSchema } from '../primitives';

import { DEFAULT_TIME_ZONE, offsetMinutes, wallClockMs, wallClockOfMs, type WallClock } from '../time-zone';

export { DEFAULT_TIME_ZONE };

/** An instant given as a Date or an ISO 8601 string with an offset (as stored). */
export type InstantInput = Date | string;

/** The instant as a Date; throws a RangeError for an unparsable string or an invalid Date. */
export function toInstant(value: InstantInput): Date {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError(`not a valid instant: ${String(value)}`);
  return date;
}

/** The canonical spelling of a zone name (asia/shanghai -> Asia/Shanghai). */
export function canonicalTimeZone(zone: string): string {
  return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
}

export { isTimeZone, timeZoneSchema };

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------

const DURATION_UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'] as const;
type DurationUnit = (typeof DURATION_UNITS)[number];

/** An ISO 8601 duration by unit, holding only the units it was written with (P1M: { months: 1 }). */
export type Duration = Partial<Record<DurationUnit, number>>;

/** Milliseconds per unit by the usual conventions (a year 365 days, a month 30), for fractions of calendar units and estimates. */
const APPROXIMATE_MS: Record<DurationUnit, number> = {
  years: 365 * 86_400_000,
  months: 30 * 86_400_000,
  weeks: 7 * 86_400_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

const NUMBER = String.raw`(-?\d{1,20}(?:\.\d{1,20})?)`;
/** PnYnMnWnDTnHnMnS, each part optional, a leading "-" negating the whole; seconds may carry a fraction. */
const ISO_DURATION = new RegExp(String.raw`^(-?)P(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:(-?\d{1,20})(?:[.,](\d{1,20}))?S)?)?$`);

/** The duration `iso` denotes, or undefined when it is not an ISO 8601 duration with at least one unit ("P" is not). */
export function durationOrUndefined(iso: string): Duration | undefined {
  const match = ISO_DURATION.exec(iso);
  if (!match) return undefined;
  const [, sign, years, months, weeks, days, hours, minutes, seconds, fraction] = match;
  const negate = (value: number, force = false) => (force || (value && sign === '-') ? -value : value);
  const duration: Duration = {};
  const set = (unit: DurationUnit, text: string | undefined) => {
    if (text !== undefined && text !== '') duration[unit] = negate(Number.parseFloat(text));
  };
  set('years', years);
  set('months', months);
  set('weeks', weeks);
  set('days', days);
  set('hours', hours);
  set('minutes', minutes);
  if (seconds !== undefined) duration.seconds = negate(Number.parseFloat(seconds), seconds === '-0');
  if (fraction !== undefined) duration.milliseconds = negate(Math.floor(Number.parseFloat(`0.${fraction}`) * 1000), seconds?.startsWith('-'));
  return Object.keys(duration).length > 0 ? duration : undefined;
}

/** A parsed ISO 8601 duration; throws a RangeError when the text is not one. */
export function parseDuration(iso: string): Duration {
  const duration = durationOrUndefined(iso);
  if (!duration) throw new RangeError(`not an ISO 8601 duration: "${iso}" (expected e.g. PT48H, P1D, P1M)`);
  return duration;
}

const isNonNegative = (duration: Duration): boolean => Object.values(duration).every((value) => value >= 0);
const isZero = (duration: Duration): boolean => Object.values(duration).every((value) => !value);

/** An ISO 8601 duration (PT48H, P1D, P1M, P1Y2M...), none of its parts negative. */
export const isoDurationSchema = z.string().check(z.superRefine((text, ctx) => {
  const duration = durationOrUndefined(text);
  if (!duration) ctx.addIssue({ code: 'custom', message: `not an ISO 8601 duration: "${text}" (expected e.g. PT48H, P1D, P1M)`, continue: false });
  else if (!isNonNegative(duration)) ctx.addIssue({ code: 'custom', message: 'a duration must not be negative', continue: false });
}));

/** An ISO 8601 duration longer than zero. */
export const positiveIsoDurationSchema = isoDurationSchema.check(z.refine((text) => !isZero(parseDuration(text)), { error: 'a duration must be longer than zero', abort: true }));

/** `duration` times `factor` (each unit multiplied: P1M x 3 = P3M, so months stay calendar months). */
export function scaleDuration(duration: Duration, factor: number): Duration {
  const scaled: Duration = {};
  for (const unit of DURATION_UNITS) if (duration[unit] !== undefined) scaled[unit] = duration[unit] * factor;
  return scaled;
}

/** The sum of two durations, unit by unit (P1Y + P2M = P1Y2M). */
export function addDurations(a: Duration, b: Duration): Duration {
  const sum: Duration = {};
  for (const unit of DURATION_UNITS) if (a[unit] !== undefined || b[unit] !== undefined) sum[unit] = (a[unit] ?? 0) + (b[unit] ?? 0);
  return sum;
}

/** The duration in milliseconds with a year of 365 days and a month of 30: an estimate for calendar units. */
export const approximateMs = (duration: Duration): number => DURATION_UNITS.reduce((total, unit) => total + (duration[unit] ?? 0) * APPROXIMATE_MS[unit], 0);

// ---------------------------------------------------------------------------------------------
// Wall-clock times in a zone
// ---------------------------------------------------------------------------------------------

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The instant and offset at which `timeZone` shows the wall-clock time `wallMs` (a wall-clock
 * reading as UTC milliseconds), starting from the offset `guess`: a time that occurs twice (DST
 * fall-back) keeps the guessed offset when it fits, a time skipped by a DST jump moves forward by
 * the jump.
 */
function resolveWallClock(wallMs: number, guess: number, timeZone: string): { ms: number; offset: number } {
  let ms = wallMs - guess * 60_000;
  const second = offsetMinutes(ms, timeZone);
  if (second === guess) return { ms, offset: guess };
  ms -= (second - guess) * 60_000;
  const third = offsetMinutes(ms, timeZone);
  if (second === third) return { ms, offset: second };
  return { ms: wallMs - Math.min(second, third) * 60_000, offset: Math.max(second, third) };
}

/** An instant seen on the wall clocks of a zone: its local date and time, and calendar arithmetic there. */
export class ZonedTime {
  /** The wall-clock reading in the zone. */
  readonly wall: WallClock;

  private constructor(
    readonly ms: number,
    readonly offset: number,
    readonly timeZone: string,
  ) {
    this.wall = wallClockOfMs(ms + offset * 60_000);
  }

  /** `instant` in `timeZone`; throws a RangeError for an unknown zone. */
  static of(instant: Date, timeZone: string): ZonedTime {
    let offset: number;
    try {
      offset = offsetMinutes(instant.getTime(), timeZone);
    } catch {
      throw new RangeError(`unknown time zone "${timeZone}"`);
    }
    return new ZonedTime(instant.getTime(), offset, timeZone);
  }

  /** The instant at which `timeZone` shows `wall` (a skipped time moves forward by the DST jump); throws a RangeError for an unknown zone. */
  static at(wall: WallClock, timeZone: string): ZonedTime {
    const wallMs = wallClockMs(wall);
    const guess = ZonedTime.of(new Date(wallMs), timeZone).offset;
    const { ms, offset } = resolveWallClock(wallMs, guess, timeZone);
    return new ZonedTime(ms, offset, timeZone);
  }

  /**
   * Every instant at which `timeZone` shows `wall`, oldest first: two where a DST fall-back
   * repeats it, one otherwise (a time skipped by a DST jump moves forward by the jump).
   */
  static occurrences(wall: WallClock, timeZone: string): ZonedTime[] {
    const wallMs = wallClockMs(wall);
    const offsets = new Set([offsetMinutes(wallMs - 86_400_000, timeZone), offsetMinutes(wallMs + 86_400_000, timeZone)]);
    const exact = [...offsets]
      .filter((offset) => offsetMinutes(wallMs - offset * 60_000, timeZone) === offset)
      .map((offset) => new ZonedTime(wallMs - offset * 60_000, offset, timeZone))
      .sort((a, b) => a.ms - b.ms);
    return exact.length > 0 ? exact : [ZonedTime.at(wall, timeZone)];
  }

  /** The same day at `hour`:`minute`:00 local time. */
  atTime(hour: number, minute: number): ZonedTime {
    return this.withWallClock({ ...this.wall, hour, minute, second: 0, millisecond: 0 });
  }

  /** Midnight (or the first existing time) of the same local day. */
  startOfDay(): ZonedTime {
    return this.atTime(0, 0);
  }

  /**
   * This time plus `duration`: years, months, weeks and days on the local calendar (a month-end
   * day clamps to the last day of a shorter month, the time of day is kept across DST changes),
   * then hours, minutes, seconds and fractions of calendar units as elapsed time.
   */
  plus(duration: Duration): ZonedTime {
    const whole = (unit: DurationUnit) => Math.trunc(duration[unit] ?? 0);
    const year = this.wall.year + whole('years');
    const month = this.wall.month + whole('months');
    const normalisedMonth = ((((month - 1) % 12) + 12) % 12) + 1;
    const normalisedYear = year + (month - normalisedMonth) / 12;
    const day = Math.min(this.wall.day, daysInMonth(normalisedYear, normalisedMonth)) + whole('days') + whole('weeks') * 7;
    const elapsedMs = DURATION_UNITS.reduce((total, unit) => {
      const value = duration[unit] ?? 0;
      const exact = unit === 'hours' || unit === 'minutes' || unit === 'seconds' || unit === 'milliseconds';
      return total + (exact ? value : value - Math.trunc(value)) * APPROXIMATE_MS[unit];
    }, 0);
    const calendar = this.withWallClock({ ...this.wall, year, month, day });
    if (elapsedMs === 0) return calendar;
    const ms = calendar.ms + elapsedMs;
    return new ZonedTime(ms, offsetMinutes(ms, this.timeZone), this.timeZone);
  }

  toDate(): Date {
    return new Date(this.ms);
  }

  /** The instant at which the zone shows `wall`, this time's offset kept where the wall-clock time occurs twice. */
  withWallClock(wall: WallClock): ZonedTime {
    const { ms, offset } = resolveWallClock(wallClockMs(wall), this.offset, this.timeZone);
    return new ZonedTime(ms, offset, this.timeZone);
  }
}

/** `instant` seen in `timeZone`; throws a RangeError for an unknown zone. */
export function zoned(instant: InstantInput, timeZone: string): ZonedTime {
  return ZonedTime.of(toInstant(instant), timeZone);
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * The instant an ISO 8601 date or date-time text names, or undefined when it names none (a bad
 * form, 2026-02-30, 25:00). A date alone is the start of that day in `dateZone`; a date-time
 * without an offset is read in the runtime's own zone.
 */
export function instantOfIsoText(text: string, dateZone: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const wall: WallClock = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond: fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
  };
  const fits = wall.month >= 1 && wall.month <= 12 && wall.day >= 1 && wall.day <= daysInMonth(wall.year, wall.month) && wall.hour <= 23 && wall.minute <= 59 && wall.second <= 59;
  if (!fits) return undefined;
  if (offset !== undefined) {
    const [, sign, hours, minutes] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset) ?? [];
    const offsetMin = offset === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes ?? 0));
    return new Date(wallClockMs(wall) - offsetMin * 60_000);
  }
  const zone = hour === undefined ? dateZone : new Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    return ZonedTime.at(wall, zone).toDate();
  } catch {
    return undefined; // an unknown zone
  }
}
