/**
 * Calendar dates (YYYY-MM-DD) and wall-clock times in an IANA time zone, with Intl only (through
 * ../time-zone.ts; no date library): the local date of an instant, and the instant of a local date
 * and time.
 */
import { offsetMinutes, wallClockOf } from '../time-zone';

export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A real calendar date (rejects 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const [year = 0, month = 0, day = 0] = text.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const utcOf = (date: string): Date => new Date(`${date}T00:00:00Z`);

/** The date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const d = utcOf(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday, as Date#getDay. */
export const weekdayOf = (date: string): number => utcOf(date).getUTCDay();

/** The calendar date of `instant` on the wall clocks of `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  const p = wallClockOf(instant, timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (Asia/Shanghai: +8 h). */
const offsetMs = (instant: Date, timeZone: string): number => offsetMinutes(instant.getTime(), timeZone) * 60_000;

/**
 * The instant at which the wall clocks of `timeZone` show `date` `hh:mm:ss`. Two passes settle
 * the offset also next to a daylight-saving change (a time skipped by the change lands after it).
 */
export function instantAt(date: string, time: string, timeZone: string): Date {
  const [hour = 0, minute = 0, second = 0] = time.split(':').map(Number);
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  let guess = wall - offsetMs(new Date(wall), timeZone);
  guess = wall - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}
