import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUIET_HOURS,
  MAX_SEND_ATTEMPTS,
  decideSend,
  expiresAt,
  frequencyWindowStart,
  isQuietHours,
  nextSendWindow,
  nextSendWindowOfAll,
  reminderDueAt,
  retryBackoff,
  shouldRetry,
  withinFrequencyCap,
} from '../../functions/domain/distribution/rules';

const at = (iso: string) => new Date(iso);
const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

describe('quiet hours (21:00-08:00 local)', () => {
  it('start at 21:00 and end at 08:00 in Asia/Shanghai', () => {
    expect(DEFAULT_QUIET_HOURS).toEqual({ start: '21:00', end: '08:00' });
    expect(isQuietHours(at('2026-05-10T12:59:59Z'), SH)).toBe(false); // 20:59:59
    expect(isQuietHours(at('2026-05-10T13:00:00Z'), SH)).toBe(true); // 21:00:00
    expect(isQuietHours(at('2026-05-10T16:00:00Z'), SH)).toBe(true); // 00:00
    expect(isQuietHours(at('2026-05-10T23:59:59Z'), SH)).toBe(true); // 07:59:59
    expect(isQuietHours(at('2026-05-11T00:00:00Z'), SH)).toBe(false); // 08:00:00
  });

  it('are local to the contact: the same instant is quiet in one zone and not in another', () => {
    const instant = at('2026-07-01T01:00:00Z'); // 09:00 in Shanghai, 21:00 EDT in New York
    expect(isQuietHours(instant, SH)).toBe(false);
    expect(isQuietHours(instant, NY)).toBe(true);
    expect(isQuietHours(at('2026-07-01T00:59:00Z'), NY)).toBe(false);
  });

  it('open the window at the next 08:00 local', () => {
    expect(nextSendWindow(at('2026-05-10T13:30:00Z'), SH).toISOString()).toBe('2026-05-11T00:00:00.000Z'); // 21:30 -> 08:00 next day
    expect(nextSendWindow(at('2026-05-10T19:00:00Z'), SH).toISOString()).toBe('2026-05-11T00:00:00.000Z'); // 03:00 -> 08:00 same day
    const allowed = at('2026-05-10T02:00:00Z'); // 10:00
    expect(nextSendWindow(allowed, SH)).toBe(allowed);
  });

  it('follow daylight saving time in America/New_York', () => {
    // Winter: 22:00 EST on 6 March -> 08:00 EST = 13:00Z.
    expect(nextSendWindow(at('2026-03-07T03:00:00Z'), NY).toISOString()).toBe('2026-03-07T13:00:00.000Z');
    // Clocks go forward on 8 March 2026: 22:00 EST on 7 March -> 08:00 EDT = 12:00Z, only 9 hours later.
    expect(nextSendWindow(at('2026-03-08T03:00:00Z'), NY).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    // Clocks go back on 1 November 2026: 22:00 EDT on 31 October -> 08:00 EST = 13:00Z.
    expect(nextSendWindow(at('2026-11-01T02:00:00Z'), NY).toISOString()).toBe('2026-11-01T13:00:00.000Z');
    expect(isQuietHours(at('2026-03-08T11:59:00Z'), NY)).toBe(true); // 07:59 EDT
    expect(isQuietHours(at('2026-03-08T12:00:00Z'), NY)).toBe(false); // 08:00 EDT
  });

  it('may be a daytime range or switched off', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(isQuietHours(at('2026-05-10T04:30:00Z'), SH, lunch)).toBe(true); // 12:30
    expect(isQuietHours(at('2026-05-10T06:00:00Z'), SH, lunch)).toBe(false); // 14:00
    expect(nextSendWindow(at('2026-05-10T04:30:00Z'), SH, lunch).toISOString()).toBe('2026-05-10T06:00:00.000Z');
    expect(isQuietHours(at('2026-05-10T16:00:00Z'), SH, { start: '00:00', end: '00:00' })).toBe(false);
    expect(() => isQuietHours(at('2026-05-10T16:00:00Z'), SH, { start: '9:00', end: '08:00' })).toThrow(RangeError);
    expect(() => isQuietHours(at('2026-05-10T16:00:00Z'), 'Mars/Olympus')).toThrow(/time zone/);
  });
});

describe('frequency cap', () => {
  const now = at('2026-05-31T00:00:00Z');

  it('counts days x 24 h back from now', () => {
    expect(frequencyWindowStart(now, 30).toISOString()).toBe('2026-05-01T00:00:00.000Z');
  });

  it('allows exactly `days` days after the last invitation, not a second earlier', () => {
    expect(withinFrequencyCap(undefined, now, 30)).toBe(true);
    expect(withinFrequencyCap('2026-05-01T00:00:00Z', now, 30)).toBe(true);
    expect(withinFrequencyCap('2026-05-01T00:00:01Z', now, 30)).toBe(false);
    expect(withinFrequencyCap('2026-04-30T23:59:59Z', now, 30)).toBe(true);
    expect(withinFrequencyCap(now.toISOString(), now, 30)).toBe(false);
    expect(withinFrequencyCap(now.toISOString(), now, 0)).toBe(true);
    expect(() => withinFrequencyCap('yesterday', now, 30)).toThrow(RangeError);
  });
});

describe('reminders, expiry and retries', () => {
  it('remind 48 hours after sending by default', () => {
    expect(reminderDueAt('2026-05-01T10:00:00Z').toISOString()).toBe('2026-05-03T10:00:00.000Z');
    expect(reminderDueAt(at('2026-05-01T10:00:00Z'), 'PT24H').toISOString()).toBe('2026-05-02T10:00:00.000Z');
    // A calendar day across the New York DST change is 23 hours.
    expect(reminderDueAt('2026-03-07T15:00:00Z', 'P1D', NY).toISOString()).toBe('2026-03-08T14:00:00.000Z');
    expect(() => reminderDueAt('2026-05-01T10:00:00Z', '48h')).toThrow(/ISO 8601/);
  });

  it('expire days x 24 h after creation', () => {
    expect(expiresAt('2026-05-01T10:00:00Z', 14).toISOString()).toBe('2026-05-15T10:00:00.000Z');
    expect(() => expiresAt('2026-05-01T10:00:00Z', 0)).toThrow(RangeError);
  });

  it('back off 1, 5, 25 minutes then 2 hours, for at most 5 attempts', () => {
    expect([1, 2, 3, 4, 5, 9].map(retryBackoff)).toEqual([60_000, 300_000, 1_500_000, 7_200_000, 7_200_000, 7_200_000]);
    expect(MAX_SEND_ATTEMPTS).toBe(5);
    expect([1, 4, 5].map(shouldRetry)).toEqual([true, true, false]);
    expect(() => retryBackoff(0)).toThrow(RangeError);
  });
});

describe('decideSend', () => {
  const base = { now: at('2026-05-10T02:00:00Z'), timeZone: SH, phoneValid: true, optedOut: false, frequencyCapDays: 30 };

  it('sends when nothing stands in the way', () => {
    expect(decideSend(base)).toEqual({ action: 'send' });
  });

  it('checks invalid phone, opt-out, expiry and the cap in that order', () => {
    expect(decideSend({ ...base, phoneValid: false, optedOut: true })).toEqual({ action: 'skip', reason: 'invalid_phone' });
    expect(decideSend({ ...base, optedOut: true, expiresAt: '2026-05-01T00:00:00Z' })).toEqual({ action: 'skip', reason: 'opted_out' });
    expect(decideSend({ ...base, expiresAt: '2026-05-10T02:00:00Z', lastInvitedAt: '2026-05-09T00:00:00Z' })).toEqual({ action: 'skip', reason: 'expired' });
    expect(decideSend({ ...base, lastInvitedAt: '2026-05-09T00:00:00Z' })).toEqual({ action: 'skip', reason: 'frequency_cap' });
  });

  it('defers in quiet hours to the window, or expires when the window opens too late', () => {
    const night = { ...base, now: at('2026-05-10T14:00:00Z') }; // 22:00 Shanghai
    expect(decideSend(night)).toEqual({ action: 'defer', reason: 'quiet_hours_deferred', until: at('2026-05-11T00:00:00Z') });
    expect(decideSend({ ...night, expiresAt: '2026-05-10T23:00:00Z' })).toEqual({ action: 'skip', reason: 'expired' });
  });
});

describe('a campaign\'s own quiet hours, besides the platform\'s', () => {
  const base = { timeZone: SH, phoneValid: true, optedOut: false };

  it('waits for the later opening when the windows overlap or touch', () => {
    // 10:00 Shanghai, the campaign quiet 09:00-12:00: out at 12:00.
    expect(decideSend({ ...base, now: at('2026-05-10T02:00:00Z'), campaignQuietHours: { start: '09:00', end: '12:00' } })).toEqual({ action: 'defer', reason: 'quiet_hours_deferred', until: at('2026-05-10T04:00:00Z') });
    // 22:00: the platform's night ends 08:00, the campaign's 07:00-09:00 holds it to 09:00.
    expect(nextSendWindowOfAll(at('2026-05-10T14:00:00Z'), SH, [DEFAULT_QUIET_HOURS, { start: '07:00', end: '09:00' }])).toEqual(at('2026-05-11T01:00:00Z'));
    // Outside both: now.
    expect(nextSendWindowOfAll(at('2026-05-10T06:00:00Z'), SH, [DEFAULT_QUIET_HOURS, { start: '07:00', end: '09:00' }])).toEqual(at('2026-05-10T06:00:00Z'));
  });

  it('never opens when the two cover the whole day', () => {
    expect(nextSendWindowOfAll(at('2026-05-10T02:00:00Z'), SH, [DEFAULT_QUIET_HOURS, { start: '07:00', end: '22:00' }])).toBeUndefined();
    expect(decideSend({ ...base, now: at('2026-05-10T02:00:00Z'), campaignQuietHours: { start: '07:00', end: '22:00' } })).toEqual({ action: 'skip', reason: 'quiet_all_day' });
  });
});
