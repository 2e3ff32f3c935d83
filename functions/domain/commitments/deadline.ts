/**
 * When a promise falls due. A duration target is exact elapsed time from `from` (PT6H is six
 * hours later, P2D 48 hours later). A target of N working days ends at 23:59:59 local time of the
 * Nth working day after the day of `from` (the day of `from` itself does not count, whether or not
 * it is a working day), on the commitment's calendar and in its time zone.
 */
import { addWorkingDays, CALENDARS, type WorkingDayCalendar } from './calendar';
import { parseDurationMs } from './duration';
import { instantAt, localDateOf } from './local-time';
import type { Commitment } from './schema';

/** The local time at which a working day ends. */
export const END_OF_WORKING_DAY = '23:59:59';

export function deadlineOf(
  commitment: Pick<Commitment, 'target' | 'calendar' | 'timeZone'>,
  from: Date,
  calendars: Readonly<Record<string, WorkingDayCalendar>> = CALENDARS,
): Date {
  const { target } = commitment;
  if (typeof target === 'string') return new Date(from.getTime() + parseDurationMs(target));
  const calendar = commitment.calendar === undefined ? undefined : calendars[commitment.calendar];
  if (!calendar) throw new RangeError(`unknown calendar "${commitment.calendar ?? ''}"`);
  const lastDay = addWorkingDays(calendar, localDateOf(from, commitment.timeZone), target.workingDays);
  return instantAt(lastDay, END_OF_WORKING_DAY, commitment.timeZone);
}
