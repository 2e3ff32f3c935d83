/**
 * Time zones with the platform's Intl API only: the zone every part of the domain defaults to,
 * the UTC offset of a zone at an instant, and the wall-clock reading of an instant in a zone.
 * Calendar arithmetic on top of these lives with its users (distribution/time.ts,
 * commitments/local-time.ts).
 */

/** The zone periods and local times use when a questionnaire, contact or schedule names none. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** A wall-clock reading: month 1-12, hour 0-23. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter for `timeZone`; throws a RangeError for a zone the runtime does not know. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Milliseconds since the epoch of a wall-clock reading taken as UTC (years below 100 kept as such). */
export function wallClockMs(wall: WallClock): number {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond));
  if (wall.year < 100 && wall.year >= 0) date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  return date.getTime();
}

/** The wall-clock reading of `ms` milliseconds since the epoch taken as UTC. */
export function wallClockOfMs(ms: number): WallClock {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(),
  };
}

/** Offset of `timeZone` from UTC at the instant `ms`, in minutes (Asia/Shanghai: 480); throws a RangeError for an unknown zone. */
export function offsetMinutes(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  const year = Number(parts.year);
  const wall = wallClockMs({
    year: parts.era === 'BC' || parts.era === 'B' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: 0,
  });
  const wholeSeconds = ms - (((ms % 1000) + 1000) % 1000);
  return (wall - wholeSeconds) / 60_000;
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function wallClockOf(instant: Date, timeZone: string): WallClock {
  return wallClockOfMs(instant.getTime() + offsetMinutes(instant.getTime(), timeZone) * 60_000);
}
