/**
 * Contact rules: quiet hours in the contact's time zone, the frequency cap, reminder and expiry
 * instants, retry backoff, and the order in which they decide whether an invitation goes out now.
 * All pure: `now` is always an argument. Rules and examples: docs/distribution-rules.md.
 */
import * as z from '../zod';
import { parseDuration, toInstant, zoned, type InstantInput } from './time';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Quiet hours
// ---------------------------------------------------------------------------------------------

/** Local wall-clock times HH:MM. start > end wraps over midnight (21:00-08:00); start = end means no quiet hours. */
export interface QuietHours {
  start: string;
  end: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

const clockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a time HH:MM (00:00-23:59)' }));
export const quietHoursSchema = z.strictObject({ start: clockTime, end: clockTime });

function minutesOf(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`expected a time HH:MM, not "${time}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * True when `now`, seen in `timeZone`, falls in [start, end): with the default 21:00-08:00,
 * 20:59:59 and 08:00:00 may send, 21:00:00 and 07:59:59 may not.
 */
export function isQuietHours(now: Date, timeZone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  const local = zoned(now, timeZone);
  const minute = local.wall.hour * 60 + local.wall.minute;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The earliest instant at or after `now` at which sending is allowed: `now` itself outside quiet
 * hours, else the next `end` wall-clock time in `timeZone` (so a DST change between is
 * honoured: 08:00 New York time is 13:00Z in winter and 12:00Z in summer). A wall-clock time
 * skipped by a DST jump moves forward to the first instant that exists.
 */
export function nextSendWindow(now: Date, timeZone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  if (!isQuietHours(now, timeZone, quiet)) return now;
  const end = minutesOf(quiet.end);
  const local = zoned(now, timeZone);
  const at = (day: typeof local) => day.startOfDay().atTime(Math.floor(end / 60), end % 60);
  let opens = at(local);
  if (opens.ms <= local.ms) opens = at(local.startOfDay().plus({ days: 1 }));
  return opens.toDate();
}

/**
 * The earliest instant at or after `now` outside every one of `windows` (the platform's quiet hours
 * and a campaign's own): each window's next opening in turn until none holds it back. Two windows
 * that together cover the whole day would never open: undefined then.
 */
export function nextSendWindowOfAll(now: Date, timeZone: string, windows: readonly QuietHours[]): Date | undefined {
  let at = now;
  // Each round moves past one window's closing; more rounds than windows (plus a day's wrap) means no opening.
  for (let round = 0; round < 2 * windows.length + 2; round++) {
    const closed = windows.find((window) => isQuietHours(at, timeZone, window));
    if (!closed) return at;
    at = nextSendWindow(at, timeZone, closed);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Frequency cap
// ---------------------------------------------------------------------------------------------

/** `days` x 24 hours before `now`: an invitation at or before this instant no longer counts against the cap. */
export function frequencyWindowStart(now: Date, days: number): Date {
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`the frequency cap must be a non-negative number of days, not ${days}`);
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * True when inviting the contact now stays within the cap "at most one invitation per `days`
 * days" (across campaigns): never invited, or last invited at or before now - days x 24 h (exactly
 * `days` days ago is allowed). `days` = 0 turns the cap off.
 */
export function withinFrequencyCap(lastInvitedAt: InstantInput | undefined, now: Date, days: number): boolean {
  const windowStart = frequencyWindowStart(now, days);
  if (lastInvitedAt === undefined || days === 0) return true;
  return toInstant(lastInvitedAt).getTime() <= windowStart.getTime();
}

// ---------------------------------------------------------------------------------------------
// Reminder, expiry, retries
// ---------------------------------------------------------------------------------------------

export const DEFAULT_REMINDER_DELAY = 'PT48H';

/**
 * When the single reminder is due: `sentAt` + `delay` (ISO 8601). Hours and minutes are exact
 * elapsed time; days, weeks, months and years are calendar units in `timeZone` (default UTC).
 */
export function reminderDueAt(sentAt: InstantInput, delay: string = DEFAULT_REMINDER_DELAY, timeZone = 'UTC'): Date {
  return zoned(sentAt, timeZone).plus(parseDuration(delay)).toDate();
}

/** When an invitation expires: `createdAt` + `days` x 24 hours (the link answers 410 from then on). */
export function expiresAt(createdAt: InstantInput, days: number): Date {
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`an expiry needs a positive number of days, not ${days}`);
  return new Date(toInstant(createdAt).getTime() + days * DAY_MS);
}

/** True once `now` has reached `expiry`. */
export const isExpired = (expiry: InstantInput, now: Date): boolean => now.getTime() >= toInstant(expiry).getTime();

/** Attempts at sending one message, the first included; after the last failure the message fails for good. */
export const MAX_SEND_ATTEMPTS = 5;
export const RETRY_BASE_MS = MINUTE_MS;
export const RETRY_FACTOR = 5;
export const RETRY_CAP_MS = 2 * 60 * MINUTE_MS;

/**
 * The wait after failed attempt number `attempt` (1-based) before the next: 1 min x 5^(attempt-1),
 * capped at 2 h: 1 min, 5 min, 25 min, 2 h, 2 h... No jitter, so it can be tested and replayed.
 */
export function retryBackoff(attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, not ${attempt}`);
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * RETRY_FACTOR ** (attempt - 1));
}

/** True when another attempt may follow failed attempt number `attempt`. */
export const shouldRetry = (attempt: number): boolean => attempt < MAX_SEND_ATTEMPTS;

// ---------------------------------------------------------------------------------------------
// The decision
// ---------------------------------------------------------------------------------------------

export const SKIP_REASONS = ['opted_out', 'frequency_cap', 'quiet_hours_deferred', 'expired', 'invalid_phone', 'quiet_all_day'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type SendDecision =
  | { action: 'send' }
  | { action: 'skip'; reason: Exclude<SkipReason, 'quiet_hours_deferred'> }
  | { action: 'defer'; reason: 'quiet_hours_deferred'; until: Date };

export interface SendCheck {
  now: Date;
  /** The contact's zone (quiet hours are local). */
  timeZone: string;
  quietHours?: QuietHours | undefined;
  /** A campaign's own quiet hours, applied as well (a campaign may be stricter, never looser). */
  campaignQuietHours?: QuietHours | undefined;
  /** The contact's phone is a valid E.164 number (normalisePhone succeeded). */
  phoneValid: boolean;
  optedOut: boolean;
  lastInvitedAt?: InstantInput | undefined;
  /** The frequency cap in days (0 or absent: no cap). */
  frequencyCapDays?: number | undefined;
  /** When the invitation expires, if it does. */
  expiresAt?: InstantInput | undefined;
}

/**
 * Whether an SMS invitation goes out now. Checked in this order, the first that applies wins:
 * invalid_phone, opted_out, expired, frequency_cap; then quiet hours defer to the next window,
 * unless the window opens at or after the expiry, which is expired.
 */
export function decideSend(check: SendCheck): SendDecision {
  if (!check.phoneValid) return { action: 'skip', reason: 'invalid_phone' };
  if (check.optedOut) return { action: 'skip', reason: 'opted_out' };
  if (check.expiresAt !== undefined && isExpired(check.expiresAt, check.now)) return { action: 'skip', reason: 'expired' };
  if (!withinFrequencyCap(check.lastInvitedAt, check.now, check.frequencyCapDays ?? 0)) return { action: 'skip', reason: 'frequency_cap' };
  const windows = [check.quietHours ?? DEFAULT_QUIET_HOURS, ...(check.campaignQuietHours ? [check.campaignQuietHours] : [])];
  const opens = nextSendWindowOfAll(check.now, check.timeZone, windows);
  // Quiet all day (the campaign's window and the platform's leave no hour, which creation refuses,
  // so only after the platform's hours changed): it can never go out.
  if (!opens) return { action: 'skip', reason: 'quiet_all_day' };
  if (opens.getTime() === check.now.getTime()) return { action: 'send' };
  if (check.expiresAt !== undefined && isExpired(check.expiresAt, opens)) return { action: 'skip', reason: 'expired' };
  return { action: 'defer', reason: 'quiet_hours_deferred', until: opens };
}
