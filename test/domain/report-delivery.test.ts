import { describe, expect, it } from 'vitest';
import { CALENDARS } from '../../functions/domain/commitments/calendar';
import { dueDelivery, firstWorkingDay, isoWeekOf } from '../../functions/domain/report-delivery';

const cn = CALENDARS.cn!;
const SHANGHAI = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

describe('ISO weeks', () => {
  it.each([
    ['2026-11-27', '2026-W48'],
    ['2026-01-01', '2026-W01'], // Thursday: week 1 of 2026
    ['2027-01-01', '2026-W53'], // Friday: the last week of 2026, which has 53
    ['2024-12-30', '2025-W01'], // Monday of the week holding 2 January 2025
    ['2021-01-03', '2020-W53'],
  ])('%s is in %s', (date, week) => expect(isoWeekOf(date)).toBe(week));
});

describe('the first working day after a month closes (the Chinese calendar)', () => {
  it.each([
    ['2026-10', '2026-10-08'], // National Day: 1-7 October off
    ['2026-05', '2026-05-06'], // Labour Day: 1-5 May off
    ['2026-02', '2026-02-02'], // 1 February is a Sunday
    ['2026-01', '2026-01-04'], // New Year 1-3 January off; Sunday 4 January is an adjusted working day
    ['2026-12', '2026-12-01'],
  ])('%s: %s', (period, day) => expect(firstWorkingDay(period, cn)).toBe(day));

  it('past the published data, the first weekday', () => {
    expect(firstWorkingDay('2031-06', cn)).toBe('2031-06-02'); // 1 June 2031 is a Sunday
  });
});

describe('when a delivery is due', () => {
  it('weekly: Friday 08:00 in Shanghai with the month so far; before it, the previous week', () => {
    // Friday 27 November 2026, 08:00 in Shanghai is 00:00 UTC.
    expect(dueDelivery('weekly', at('2026-11-27T00:00:00Z'), SHANGHAI, cn)).toEqual({ key: '2026-W48', reportPeriod: '2026-11', layout: 'report', dueAt: at('2026-11-27T00:00:00Z') });
    expect(dueDelivery('weekly', at('2026-11-26T23:59:59Z'), SHANGHAI, cn)?.key).toBe('2026-W47');
    // A Monday firing still names the Friday before.
    expect(dueDelivery('weekly', at('2026-11-30T02:00:00Z'), SHANGHAI, cn)).toMatchObject({ key: '2026-W48', reportPeriod: '2026-11' });
    // Friday 2 October 2026 falls in a holiday; the meeting's report goes out all the same (a fixed weekday).
    expect(dueDelivery('weekly', at('2026-10-02T00:00:00Z'), SHANGHAI, cn)).toMatchObject({ key: '2026-W40', reportPeriod: '2026-10' });
  });

  it('monthly: 08:00 on the first working day after the month closes, with the closed month', () => {
    expect(dueDelivery('monthly', at('2026-10-08T00:00:00Z'), SHANGHAI, cn)).toEqual({ key: '2026-09', reportPeriod: '2026-09', layout: 'monthly', dueAt: at('2026-10-08T00:00:00Z') });
    // During the holiday, the September report is not due yet: August's is the latest.
    expect(dueDelivery('monthly', at('2026-10-05T04:00:00Z'), SHANGHAI, cn)?.key).toBe('2026-08');
    expect(dueDelivery('monthly', at('2026-12-01T00:00:00Z'), SHANGHAI, cn)?.key).toBe('2026-11');
    expect(dueDelivery('monthly', at('2026-11-30T23:59:00Z'), SHANGHAI, cn)?.key).toBe('2026-10');
  });

  it('a subscription made after a due time waits for the next one', () => {
    const made = at('2026-11-28T03:00:00Z');
    expect(dueDelivery('weekly', at('2026-11-28T04:00:00Z'), SHANGHAI, cn, made)).toBeNull();
    expect(dueDelivery('weekly', at('2026-12-04T00:00:00Z'), SHANGHAI, cn, made)?.key).toBe('2026-W49');
  });
});
