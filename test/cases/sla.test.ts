/**
 * Case deadlines (functions/domain/cases/sla.ts) on the mainland China calendar, 09:00-17:30 in
 * Asia/Shanghai (UTC+8 all year, so 17:00 local is 09:00Z), hand-computed from calendars/cn.json:
 *
 * 2025 国庆节、中秋节: 1-8 October (Wed-Wed) off; Sunday 28 September and Saturday 11 October worked.
 *   Fri 26 Sep work | Sat 27 off | Sun 28 WORK | Mon 29 work | Tue 30 work | 1-8 Oct off |
 *   Thu 9 Oct work | Fri 10 work | Sat 11 WORK
 * cn.json covers 2025 and 2026 only: 2027-01-01 has no data.
 */
import { describe, expect, it } from 'vitest';
import { CalendarCoverageError, CALENDARS } from '../../functions/domain/commitments/calendar';
import { addWorkingTime, slaDeadline, slaDeadlines, type SlaClock } from '../../functions/domain/cases/sla';
import { DEFAULT_WORKING_HOURS } from '../../functions/domain/cases/sla-schema';

const cn = CALENDARS.cn!;
const clock: SlaClock = { calendar: cn, workingHours: DEFAULT_WORKING_HOURS, timeZone: 'Asia/Shanghai' };
/** An instant given as Shanghai wall-clock time. */
const shanghai = (local: string): Date => new Date(`${local}+08:00`);
const friday1700 = shanghai('2025-09-26T17:00:00');

describe('the calendar data the tests rely on', () => {
  it('has the 2025 National Day holiday and its adjusted working days', () => {
    expect(cn.dayKind('2025-09-27')).toBe('weekend');
    expect(cn.dayKind('2025-09-28')).toBe('adjusted working day');
    expect(['2025-10-01', '2025-10-04', '2025-10-08'].map((d) => cn.dayKind(d))).toEqual(['holiday', 'holiday', 'holiday']);
    expect(cn.dayKind('2025-10-09')).toBe('working day');
    expect(cn.dayKind('2025-10-11')).toBe('adjusted working day');
  });
});

describe('working-days duration targets', () => {
  it('resolve P5D from Friday 26 September 17:00 is due Friday 10 October 17:00', () => {
    // P5D = 5 x 8.5 h = 42.5 h. Fri 17:00-17:30 0.5 h; Sat 27 off; Sun 28 + Mon 29 + Tue 30 = 25.5 h
    // (26 h); 1-8 Oct off; Thu 9 Oct 8.5 h (34.5 h); 8 h more on Fri 10 Oct: 09:00 + 8 h = 17:00.
    expect(slaDeadline(friday1700, 'P5D', 'working-days', clock)).toEqual(shanghai('2025-10-10T17:00:00'));
  });

  it('first contact P1D from the same instant is due on the adjusted working Sunday 28 September, 17:00', () => {
    // P1D = 8.5 h. Fri 0.5 h; Sat off; Sun 28 (worked) 09:00 + 8 h = 17:00.
    expect(slaDeadline(friday1700, 'P1D', 'working-days', clock)).toEqual(shanghai('2025-09-28T17:00:00'));
  });

  it('starts counting at the next working day when opened on a non-working day', () => {
    // Sat 27 11:00 is off: counting begins Sun 28 09:00; + 2 h = 11:00.
    expect(slaDeadline(shanghai('2025-09-27T11:00:00'), 'PT2H', 'working-days', clock)).toEqual(shanghai('2025-09-28T11:00:00'));
  });

  it('starts counting at the day start when opened before it', () => {
    // Mon 29 07:30: counting begins 09:00; + 1 h = 10:00 (not 08:30).
    expect(slaDeadline(shanghai('2025-09-29T07:30:00'), 'PT1H', 'working-days', clock)).toEqual(shanghai('2025-09-29T10:00:00'));
  });

  it('starts counting at the next working day start when opened after the day end', () => {
    // Mon 29 18:00: after 17:30, so counting begins Tue 30 09:00; + 1 h = 10:00.
    expect(slaDeadline(shanghai('2025-09-29T18:00:00'), 'PT1H', 'working-days', clock)).toEqual(shanghai('2025-09-30T10:00:00'));
    // Tue 30 18:00: the next working day is Thu 9 October (1-8 off); 09:00 + 1 h = 10:00.
    expect(slaDeadline(shanghai('2025-09-30T18:00:00'), 'PT1H', 'working-days', clock)).toEqual(shanghai('2025-10-09T10:00:00'));
  });

  it('is due at the end of a working day when the count ends exactly there', () => {
    // Mon 29 09:00 + 8.5 h = 17:30 the same day, not Tue 30 09:00.
    expect(slaDeadline(shanghai('2025-09-29T09:00:00'), 'P1D', 'working-days', clock)).toEqual(shanghai('2025-09-29T17:30:00'));
  });

  it('carries hours beyond one working day into the next', () => {
    // PT10H from Mon 29 09:00: 8.5 h on Mon 29, 1.5 h on Tue 30 from 09:00 = 10:30.
    expect(addWorkingTime(shanghai('2025-09-29T09:00:00'), 'PT10H', clock)).toEqual(shanghai('2025-09-30T10:30:00'));
  });

  it('counts days at the length of custom working hours', () => {
    const mornings: SlaClock = { ...clock, workingHours: { start: '08:30', end: '12:00' } };
    // P1DT3H = 3.5 h + 3 h = 6.5 h. Fri 26 10:00-12:00 2 h; Sun 28 08:30-12:00 3.5 h (5.5 h);
    // Mon 29 08:30 + 1 h = 09:30.
    expect(addWorkingTime(shanghai('2025-09-26T10:00:00'), 'P1DT3H', mornings)).toEqual(shanghai('2025-09-29T09:30:00'));
    // Fri 26 12:15 is after 12:00: counting begins Sun 28 08:30; + 30 min = 09:00.
    expect(addWorkingTime(shanghai('2025-09-26T12:15:00'), 'PT30M', mornings)).toEqual(shanghai('2025-09-28T09:00:00'));
  });

  it('reads working hours in the clock time zone across a daylight-saving change', () => {
    // Europe/Berlin leaves summer time (UTC+2 -> UTC+1) on Sun 26 October 2025. Fri 24 Oct 17:00
    // CEST (15:00Z) + 1 h: 0.5 h to 17:30; Sat 25, Sun 26 off on cn; Mon 27 09:00 CET + 0.5 h =
    // 09:30 CET = 08:30Z (a fixed +2 offset would give 07:30Z).
    const berlin: SlaClock = { ...clock, timeZone: 'Europe/Berlin' };
    expect(addWorkingTime(new Date('2025-10-24T15:00:00Z'), 'PT1H', berlin)).toEqual(new Date('2025-10-27T08:30:00Z'));
  });

  it('refuses weeks, which have no working-time length', () => {
    expect(() => addWorkingTime(friday1700, 'P1W', clock)).toThrow(RangeError);
  });
});

describe('working-day targets by a local time', () => {
  it('is due at `by` on the Nth working day after the opening date', () => {
    // After Fri 26: Sat 27 off, Sun 28 worked -> Sun 28 17:00.
    expect(slaDeadline(friday1700, { workingDays: 1, by: '17:00' }, 'working-days', clock)).toEqual(shanghai('2025-09-28T17:00:00'));
    // After Tue 30: 1-8 October off -> Thu 9 October 17:00.
    expect(slaDeadline(shanghai('2025-09-30T10:00:00'), { workingDays: 1, by: '17:00' }, 'working-days', clock)).toEqual(shanghai('2025-10-09T17:00:00'));
  });

  it('counts working days under calendar-days too', () => {
    // Same as above: the Sla's calendar does not change a working-day target.
    expect(slaDeadline(friday1700, { workingDays: 1, by: '17:00' }, 'calendar-days', clock)).toEqual(shanghai('2025-09-28T17:00:00'));
  });
});

describe('calendar-days duration targets', () => {
  it('is elapsed time: P5D from Friday 17:00 is Wednesday 1 October 17:00, a holiday', () => {
    // 5 x 24 h from Fri 26 Sep 17:00 = Wed 1 Oct 17:00.
    expect(slaDeadline(friday1700, 'P5D', 'calendar-days', clock)).toEqual(shanghai('2025-10-01T17:00:00'));
  });
});

describe('slaDeadlines', () => {
  it('gives only the deadlines the Sla declares', () => {
    const resolveOnly = slaDeadlines(friday1700, { resolve: 'P5D', calendar: 'working-days' }, clock);
    expect(Object.keys(resolveOnly)).toEqual(['resolveDueAt']);
    expect(resolveOnly.resolveDueAt).toEqual(shanghai('2025-10-10T17:00:00'));
    const contactOnly = slaDeadlines(friday1700, { firstContact: { workingDays: 1, by: '17:00' }, calendar: 'calendar-days' }, clock);
    expect(Object.keys(contactOnly)).toEqual(['firstContactDueAt']);
    expect(contactOnly.firstContactDueAt).toEqual(shanghai('2025-09-28T17:00:00'));
    expect(slaDeadlines(friday1700, { calendar: 'working-days' }, clock)).toStrictEqual({});
  });

  it('counts both targets under the Sla calendar', () => {
    // PT48H of working time: Fri 0.5 h + Sun 28-Tue 30 25.5 h + Thu 9-Fri 10 Oct 17 h = 43 h;
    // 5 h more on the adjusted working Saturday 11 October: 09:00 + 5 h = 14:00.
    const both = slaDeadlines(friday1700, { firstContact: 'PT48H', resolve: 'PT48H', calendar: 'working-days' }, clock);
    expect(both).toStrictEqual({ firstContactDueAt: shanghai('2025-10-11T14:00:00'), resolveDueAt: shanghai('2025-10-11T14:00:00') });
    // PT48H elapsed: Fri 26 17:00 + 48 h = Sun 28 17:00.
    const elapsed = slaDeadlines(friday1700, { resolve: 'PT48H', calendar: 'calendar-days' }, clock);
    expect(elapsed).toStrictEqual({ resolveDueAt: shanghai('2025-09-28T17:00:00') });
  });
});

describe('limits', () => {
  it('lets the calendar coverage error through past the data (cn ends 2026-12-31)', () => {
    // Thu 31 Dec 2026 10:00 + 8.5 h: 7.5 h that day, then 2027-01-01, which cn.json lacks.
    expect(() => addWorkingTime(shanghai('2026-12-31T10:00:00'), 'P1D', clock)).toThrow(CalendarCoverageError);
    expect(() => slaDeadline(shanghai('2026-12-31T10:00:00'), { workingDays: 1, by: '17:00' }, 'working-days', clock)).toThrow(CalendarCoverageError);
    // The same day with room left stays within the data: 10:00 + 7.5 h = 17:30.
    expect(addWorkingTime(shanghai('2026-12-31T10:00:00'), 'PT7H30M', clock)).toEqual(shanghai('2026-12-31T17:30:00'));
  });

  it('throws a RangeError instead of looping on a calendar without working days', () => {
    const closed: SlaClock = { ...clock, calendar: { ...cn, isWorkingDay: () => false } };
    expect(() => addWorkingTime(friday1700, 'PT1H', closed)).toThrow(RangeError);
    expect(() => addWorkingTime(friday1700, 'PT1H', closed)).toThrow(/within three years/);
    expect(() => slaDeadline(friday1700, { workingDays: 1, by: '17:00' }, 'working-days', closed)).toThrow(/within three years/);
  });
});
