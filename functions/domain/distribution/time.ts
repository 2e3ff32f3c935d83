/**
 * Time helpers shared by the distribution rules: instants, IANA zones and ISO 8601 durations
 * (luxon). Nothing here reads the clock; every function takes the instants it needs.
 */
import { DateTime, Duration } from 'luxon';
import * as z from '../zod';
import { isTimeZone, timeZoneSchema } from '../primitives';

import { DEFAULT_TIME_ZONE } from '../time-zone';

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

/** `instant` seen in `timeZone`; throws a RangeError for an unknown zone. */
export function zoned(instant: InstantInput, timeZone: string): DateTime {
  const local = DateTime.fromJSDate(toInstant(instant), { zone: timeZone });
  if (!local.isValid) throw new RangeError(`unknown time zone "${timeZone}"`);
  return local;
}

/** The duration `iso` denotes, or undefined when it is not an ISO 8601 duration with at least one unit ("P" is not). */
export function durationOrUndefined(iso: string): Duration | undefined {
  const duration = Duration.fromISO(iso);
  return duration.isValid && Object.keys(duration.toObject()).length > 0 ? duration : undefined;
}

/** A parsed ISO 8601 duration; throws a RangeError when the text is not one. */
export function parseDuration(iso: string): Duration {
  const duration = durationOrUndefined(iso);
  if (!duration) throw new RangeError(`not an ISO 8601 duration: "${iso}" (expected e.g. PT48H, P1D, P1M)`);
  return duration;
}

const isNonNegative = (duration: Duration): boolean => Object.values(duration.toObject()).every((value) => value === undefined || value >= 0);
const isZero = (duration: Duration): boolean => Object.values(duration.toObject()).every((value) => !value);

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
  return duration.mapUnits((value) => value * factor);
}
