/**
 * ISO 8601 durations for commitment targets, restricted to the exact units: PnW, PnDTnHnMnS
 * (a day is 24 hours of elapsed time). Years and months have no fixed length, so "P1M" is refused
 * rather than guessed; promises in calendar or working days use the `{ workingDays: N }` target.
 */
import * as z from '../zod';

const DURATION_PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

const MS = { week: 7 * 86_400_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 } as const;

/** Why a text is not an exact ISO 8601 duration, or null when it is one. */
export function durationProblem(text: string): string | null {
  // Only the part before T can hold years and months (after T, M means minutes).
  const datePart = text.startsWith('P') ? (text.slice(1).split('T')[0] ?? '') : '';
  if (/\d+[YM]/.test(datePart)) {
    return `"${text}": years and months have no fixed length; use days (P30D) or a working-day target`;
  }
  const match = DURATION_PATTERN.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return `"${text}" is not an ISO 8601 duration such as PT6H, P2D or P1DT12H`;
  return null;
}

/** The duration in milliseconds; throws RangeError for anything but PnW / PnDTnHnMnS. */
export function parseDurationMs(text: string): number {
  const problem = durationProblem(text);
  if (problem) throw new RangeError(problem);
  const [, weeks, days, hours, minutes, seconds] = DURATION_PATTERN.exec(text) as RegExpExecArray;
  const number = (part: string | undefined) => (part === undefined ? 0 : Number(part.replace(',', '.')));
  return Math.round(
    number(weeks) * MS.week + number(days) * MS.day + number(hours) * MS.hour + number(minutes) * MS.minute + number(seconds) * MS.second,
  );
}

/** An exact ISO 8601 duration as text (kept as written, so a commitment reads back as declared). */
export const isoDurationSchema = z.string().check(z.superRefine((text, ctx) => {
  const problem = durationProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}));
