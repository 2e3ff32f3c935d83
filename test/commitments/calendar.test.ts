/**
 * The mainland China working-day calendar (calendars/cn.json) and working-day arithmetic across
 * the Spring Festivals of 2025 and 2026 with their adjusted working days (调休).
 *
 * 2025 (国办发明电〔2024〕12号): 春节 1月28日 (Tue) - 2月4日 (Tue) off; 1月26日 (Sun) and 2月8日 (Sat) worked.
 * 2026 (notice of 2025-11-04): 春节 2月15日 (Sun) - 23日 (Mon) off; 2月14日 (Sat) and 2月28日 (Sat) worked;
 * 元旦 1月1日 - 3日 off, 1月4日 (Sun) worked.
 */
import { describe, expect, it } from 'vitest';
import { addWorkingDays, CalendarCoverageError, calendarFromData, CALENDARS } from '../../functions/domain/commitments/calendar';
import { addDays } from '../../functions/domain/commitments/local-time';

const cn = CALENDARS.cn!;

describe('the cn calendar', () => {
  it('covers 2025 and 2026 in Asia/Shanghai', () => {
    expect(cn.years).toEqual([2025, 2026]);
    expect(cn.timeZone).toBe('Asia/Shanghai');
  });

  it('knows the 2026 Spring Festival and its adjusted Saturdays', () => {
    expect(cn.dayKind('2026-02-13')).toBe('working day'); // Friday
    expect(cn.dayKind('2026-02-14')).toBe('adjusted working day'); // Saturday worked
    for (let day = '2026-02-15'; day <= '2026-02-23'; day = addDays(day, 1)) expect(cn.dayKind(day), day).toBe('holiday');
    expect(cn.dayKind('2026-02-24')).toBe('working day');
    expect(cn.dayKind('2026-02-28')).toBe('adjusted working day');
    expect(cn.dayKind('2026-03-01')).toBe('weekend');
    expect(cn.holidayName('2026-02-17')).toBe('春节');
    expect(cn.holidayName('2026-02-17', 'en')).toBe('Spring Festival');
  });

  it('knows the 2025 Spring Festival and its adjusted Sunday and Saturday', () => {
    expect(cn.dayKind('2025-01-25')).toBe('weekend');
    expect(cn.dayKind('2025-01-26')).toBe('adjusted working day'); // Sunday worked
    for (let day = '2025-01-28'; day <= '2025-02-04'; day = addDays(day, 1)) expect(cn.isWorkingDay(day), day).toBe(false);
    expect(cn.dayKind('2025-02-08')).toBe('adjusted working day'); // Saturday worked
  });

  it('has the number of working days the notices give, counted by hand', () => {
    // 2025: 365 days, 104 weekend days (starts on a Wednesday: 52 weeks + 1 day); weekday holidays
    // 1 (元旦) + 6 (春节 Jan 28-31, Feb 3-4) + 1 (清明 Apr 4) + 3 (May 1, 2, 5) + 1 (Jun 2) + 6 (Oct 1-3, 6-8) = 18;
    // 5 adjusted working days: 365 - 104 - 18 + 5 = 248.
    // 2026: starts on a Thursday, 104 weekend days; weekday holidays 2 (Jan 1-2) + 6 (Feb 16-20, 23)
    // + 1 (Apr 6) + 3 (May 1, 4, 5) + 1 (Jun 19) + 1 (Sep 25) + 5 (Oct 1-2, 5-7) = 19; 6 adjusted: 248.
    const workingDaysIn = (year: number) => {
      let count = 0;
      for (let day = `${year}-01-01`; day <= `${year}-12-31`; day = addDays(day, 1)) if (cn.isWorkingDay(day)) count += 1;
      return count;
    };
    expect(workingDaysIn(2025)).toBe(248);
    expect(workingDaysIn(2026)).toBe(248);
  });

  it('refuses a year it has no data for instead of guessing', () => {
    expect(() => cn.isWorkingDay('2027-01-04')).toThrow(CalendarCoverageError);
    expect(() => cn.isWorkingDay('2027-01-04')).toThrow('calendar "cn" has no data for 2027 (it covers 2025, 2026); add the year to calendars/cn.json');
    expect(() => cn.isWorkingDay('2026-02-30')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('counts across the 2026 Spring Festival, the adjusted Saturdays included', () => {
    // From Friday 13 February: the 14th (Sat, worked) is the 1st, the 24th the 2nd, ..., the 27th the 5th,
    // the 28th (Sat, worked) the 6th.
    expect(addWorkingDays(cn, '2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays(cn, '2026-02-13', 2)).toBe('2026-02-24');
    expect(addWorkingDays(cn, '2026-02-13', 5)).toBe('2026-02-27');
    expect(addWorkingDays(cn, '2026-02-13', 6)).toBe('2026-02-28');
    expect(addWorkingDays(cn, '2026-02-13', 7)).toBe('2026-03-02');
    // The day itself never counts, also when it is a holiday.
    expect(addWorkingDays(cn, '2026-02-16', 1)).toBe('2026-02-24');
  });

  it('counts across the 2025 Spring Festival, the adjusted Sunday included', () => {
    // From Friday 24 January: Sun 26 (worked) 1st, Mon 27 2nd, Feb 5 3rd, 6 4th, 7 5th, Sat 8 (worked) 6th.
    expect(addWorkingDays(cn, '2025-01-24', 1)).toBe('2025-01-26');
    expect(addWorkingDays(cn, '2025-01-24', 3)).toBe('2025-02-05');
    expect(addWorkingDays(cn, '2025-01-24', 5)).toBe('2025-02-07');
    expect(addWorkingDays(cn, '2025-01-24', 6)).toBe('2025-02-08');
  });

  it('crosses from 2025 into 2026 over the New Year holiday', () => {
    // 2025-12-31 (Wed) -> Jan 1-3 off -> Sun 4 January worked.
    expect(addWorkingDays(cn, '2025-12-31', 1)).toBe('2026-01-04');
  });

  it('stops at the end of the data', () => {
    expect(addWorkingDays(cn, '2026-12-30', 1)).toBe('2026-12-31');
    expect(() => addWorkingDays(cn, '2026-12-30', 2)).toThrow(CalendarCoverageError);
    expect(() => addWorkingDays(cn, '2026-02-13', 0)).toThrow(RangeError);
  });
});

describe('calendar data', () => {
  const base = { id: 'xx', title: { en: 'Test' }, timeZone: 'UTC', weekend: [6, 0] };

  it('takes a new year as data only', () => {
    const calendar = calendarFromData({
      ...base,
      years: { '2030': { source: 'test', holidays: [{ name: { en: 'Day' }, from: '2030-01-01', to: '2030-01-01' }], workdays: [{ date: '2030-01-05' }] } },
    });
    expect(calendar.dayKind('2030-01-01')).toBe('holiday');
    expect(calendar.dayKind('2030-01-05')).toBe('adjusted working day');
  });

  it('refuses an adjusted working day that is not a weekend day, and holidays outside their year', () => {
    expect(() => calendarFromData({ ...base, years: { '2030': { source: 'test', holidays: [], workdays: [{ date: '2030-01-07' }] } } })).toThrow(/2030-01-07 is not a weekend day/);
    expect(() =>
      calendarFromData({ ...base, years: { '2030': { source: 'test', holidays: [{ name: { en: 'x' }, from: '2031-01-01', to: '2031-01-01' }], workdays: [] } } }),
    ).toThrow(/holiday outside 2030/);
  });
});
