/**
 * Reporting periods are calendar months in the questionnaire's time zone, written YYYY-MM.
 */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export const isPeriod = (text: string): boolean => PERIOD_PATTERN.test(text);

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting with it. */
const monthFormatters = new Map<string, Intl.DateTimeFormat>();

/** The month that `instant` falls in, seen from `timeZone`. */
export function periodOf(instant: Date, timeZone: string): string {
  let formatter = monthFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    monthFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const year = parts.find((p) => p.type === 'year')?.value;
  const month = parts.find((p) => p.type === 'month')?.value;
  return `${year}-${month}`;
}

/** The period `offset` months after `period` (negative for before). */
export function shiftPeriod(period: string, offset: number): string {
  const [year = 0, month = 1] = period.split('-').map(Number);
  const index = year * 12 + (month - 1) + offset;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The `count` periods ending with `period`, oldest first. */
export function periodsEndingWith(period: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftPeriod(period, i - count + 1));
}
