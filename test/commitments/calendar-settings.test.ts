/**
 * Where the published calendar ends (cn.json has 2025 and 2026; the 2027 notice is not in it):
 * the 60-day warning, the weekends-only fallback that marks its figures provisional, and an
 * organisation's own non-working days for some units' subtrees.
 *
 * Weekdays used below: 2026-12-28 Monday, 2027-01-01 Friday, 2027-01-04 Monday, 2026-03-03 Tuesday.
 */
import { describe, expect, it } from 'vitest';
import {
  calendarFromData,
  calendarNotice,
  CALENDARS,
  CalendarCoverageError,
  calendarSettingsSchema,
  changedNonWorkingDates,
  complianceSummary,
  defaultCalendarSettings,
  effectiveCalendar,
  emptyComplianceAccumulator,
  addEvaluation,
  evaluateEvent,
  mergeComplianceAccumulators,
  monthsReachedBy,
  validateCommitments,
  type CalendarSettings,
  type Commitment,
  type ServiceEvent,
} from '../../functions/domain/commitments';
import cnData from '../../functions/domain/commitments/calendars/cn.json' with { type: 'json' };

const cn = CALENDARS.cn!;
const at = (text: string) => new Date(text);
const settings = (input: unknown): CalendarSettings => calendarSettingsSchema.parse(input);

const reply = validateCommitments({
  commitments: [{ id: 'complaint.reply', eventType: 'complaint', from: 'receivedAt', to: 'repliedAt', target: { workingDays: 5 }, calendar: 'cn' }],
});
if (!reply.ok) throw new Error('fixture');
const commitment = reply.commitments[0] as Commitment;

const complaint = (eventId: string, orgUnitId: string, receivedAt: string, repliedAt: string | null = null): ServiceEvent => ({
  eventId,
  type: 'complaint',
  orgUnitId,
  timestamps: { receivedAt, repliedAt },
});

describe('the warning before the calendar runs out', () => {
  it('starts 60 days before 31 December of the last year, by the date in Asia/Shanghai', () => {
    // 2026-10-31T16:30Z is already 1 November in Shanghai: 60 days left.
    expect(calendarNotice(cn, at('2026-10-31T16:30:00Z'), 'weekends')).toEqual({ calendar: 'cn', coveredThrough: '2026-12-31', daysLeft: 60, fallback: 'weekends', missingYear: 2027 });
    expect(calendarNotice(cn, at('2026-10-31T15:59:59Z'), 'weekends')).toBeNull();
    expect(calendarNotice(cn, at('2026-12-03T04:00:00Z'), 'none')).toMatchObject({ daysLeft: 28, fallback: 'none' });
    expect(calendarNotice(cn, at('2026-12-31T15:59:59Z'), 'weekends')).toMatchObject({ daysLeft: 0 });
    // After the end it keeps warning, with the days since as a negative number.
    expect(calendarNotice(cn, at('2027-01-02T04:00:00Z'), 'weekends')).toMatchObject({ daysLeft: -2, missingYear: 2027 });
  });

  it('moves with the data: a calendar with one more year does not warn in December', () => {
    const withNextYear = calendarFromData({ ...cnData, years: { ...cnData.years, 2027: { source: 'test year', holidays: [], workdays: [] } } });
    expect(withNextYear.coveredThrough).toBe('2027-12-31');
    expect(calendarNotice(withNextYear, at('2026-12-03T04:00:00Z'), 'weekends')).toBeNull();
  });

  it('refuses calendar data with a gap between years (coverage is one run of years)', () => {
    const { 2026: _dropped, ...only2025 } = cnData.years;
    expect(() => calendarFromData({ ...cnData, years: { ...only2025, 2027: { source: 'x', holidays: [], workdays: [] } } })).toThrow('years follow one another: 2025 is followed by 2027');
    expect(() => calendarFromData({ ...cnData, years: {} })).toThrow('a calendar covers at least one year');
  });
});

describe('the fallback past the published data', () => {
  it('counts weekends only, and says the data does not cover those days', () => {
    const weekends = effectiveCalendar(cn, defaultCalendarSettings(), ['root']);
    expect(weekends.dayKind('2027-01-01')).toBe('working day'); // Friday; the 2027 notice may make it 元旦
    expect(weekends.dayKind('2027-01-02')).toBe('weekend');
    expect(weekends.covers('2027-01-01')).toBe(false);
    // The published data still decides its own years.
    expect(weekends.dayKind('2026-10-01')).toBe('holiday');
    expect(weekends.covers('2026-10-01')).toBe(true);
  });

  it('with fallback none, is the published calendar: a date past it is an error', () => {
    const strict = effectiveCalendar(cn, settings({ fallback: 'none' }), ['root']);
    expect(() => strict.dayKind('2027-01-04')).toThrow(CalendarCoverageError);
  });

  it('marks a deadline that counts days past the data provisional, and only such a deadline', () => {
    const weekends = () => effectiveCalendar(cn, defaultCalendarSettings(), ['u1']);
    const now = at('2027-01-10T12:00:00+08:00');
    // Received Monday 28 December: 29, 30, 31 December, Friday 1 and Monday 4 January.
    const late = evaluateEvent(commitment, complaint('c1', 'u1', '2026-12-28T10:00:00+08:00', '2027-01-04T18:00:00+08:00'), now, weekends);
    expect(late).toMatchObject({ status: 'met', provisional: true });
    expect(late.deadline?.toISOString()).toBe('2027-01-04T15:59:59.000Z');
    // Received 1 December: the deadline (8 December) is inside 2026.
    const early = evaluateEvent(commitment, complaint('c2', 'u1', '2026-12-01T10:00:00+08:00', '2026-12-09T09:00:00+08:00'), now, weekends);
    expect(early).toMatchObject({ status: 'missed', provisional: false });
    // The same late event with fallback none: unmeasurable, as before.
    const strict = () => effectiveCalendar(cn, settings({ fallback: 'none' }), ['u1']);
    expect(evaluateEvent(commitment, complaint('c1', 'u1', '2026-12-28T10:00:00+08:00'), now, strict)).toMatchObject({ status: 'unmeasurable', reason: 'outside the calendar', provisional: false });
    // A duration target never depends on the calendar.
    const exact = { ...commitment, target: 'P2D', calendar: undefined } as Commitment;
    expect(evaluateEvent(exact, complaint('c3', 'u1', '2026-12-31T10:00:00+08:00'), now, weekends)).toMatchObject({ provisional: false });
  });

  it('carries the provisional count through accumulation and merging into the figures', () => {
    const weekends = () => effectiveCalendar(cn, defaultCalendarSettings(), ['u1']);
    const now = at('2027-01-10T12:00:00+08:00');
    const a = emptyComplianceAccumulator();
    const b = emptyComplianceAccumulator();
    addEvaluation(a, evaluateEvent(commitment, complaint('c1', 'u1', '2026-12-28T10:00:00+08:00', '2027-01-04T18:00:00+08:00'), now, weekends));
    addEvaluation(a, evaluateEvent(commitment, complaint('c2', 'u1', '2026-12-01T10:00:00+08:00', '2026-12-02T09:00:00+08:00'), now, weekends));
    addEvaluation(b, evaluateEvent(commitment, complaint('c3', 'u1', '2026-12-30T10:00:00+08:00'), now, weekends));
    expect(complianceSummary('x', a)).toMatchObject({ provisional: true, provisionalEvents: 1 });
    expect(complianceSummary('x', mergeComplianceAccumulators(a, b))).toMatchObject({ n: 3, provisional: true, provisionalEvents: 2 });
    expect(complianceSummary('x', emptyComplianceAccumulator())).toMatchObject({ provisional: false, provisionalEvents: 0 });
  });
});

describe("an organisation's own non-working days", () => {
  const gx = settings({
    fallback: 'weekends',
    nonWorkingDays: [
      { date: '2026-03-03', name: { 'zh-CN': '三月三', en: 'Sanyuesan' }, units: ['gx'] },
      { date: '2026-03-06', name: { 'zh-CN': '公司成立日', en: 'Founding day' } },
    ],
  });

  it('close the named units and their subtrees, and everyone for a day without units', () => {
    const nanning = effectiveCalendar(cn, gx, ['root', 'gx', 'gx-nanning']);
    const guangzhou = effectiveCalendar(cn, gx, ['root', 'gd', 'gd-guangzhou']);
    expect(nanning.dayKind('2026-03-03')).toBe('organisation non-working day');
    expect(nanning.isWorkingDay('2026-03-03')).toBe(false);
    expect(nanning.holidayName('2026-03-03', 'en')).toBe('Sanyuesan');
    expect(guangzhou.dayKind('2026-03-03')).toBe('working day');
    expect(guangzhou.dayKind('2026-03-06')).toBe('organisation non-working day');
    expect(guangzhou.holidayName('2026-02-17')).toBe('春节');
  });

  it('move a working-day deadline for those units only', () => {
    const now = at('2026-04-01T00:00:00+08:00');
    const resolver = (_calendarId: string, unit: string) => effectiveCalendar(cn, gx, unit === 'gx-nanning' ? ['root', 'gx', 'gx-nanning'] : ['root', 'gd']);
    // Received Monday 2 March. Guangdong counts 3, 4, 5, 9, 10 (6 March closed for all); Nanning also skips 3 March: 4, 5, 9, 10, 11.
    const gd = evaluateEvent(commitment, complaint('c1', 'gd', '2026-03-02T09:00:00+08:00'), now, resolver);
    const nn = evaluateEvent(commitment, complaint('c2', 'gx-nanning', '2026-03-02T09:00:00+08:00'), now, resolver);
    expect(gd.deadline?.toISOString()).toBe('2026-03-10T15:59:59.000Z');
    expect(nn.deadline?.toISOString()).toBe('2026-03-11T15:59:59.000Z');
    expect(nn.provisional).toBe(false);
  });

  it('are checked when declared, and a change names the dates it touches', () => {
    expect(validateCommitments({ calendars: { cn: { nonWorkingDays: [{ date: '2026-02-30' }] } } })).toMatchObject({ ok: false, errors: [{ path: 'calendars.cn.nonWorkingDays[0].date' }] });
    expect(validateCommitments({ calendars: { xx: {} } })).toMatchObject({ ok: false, errors: [{ path: 'calendars.xx', message: 'unknown calendar "xx" (known: cn)' }] });
    expect(validateCommitments({ calendars: { cn: { fallback: 'guess' } } })).toMatchObject({ ok: false, errors: [{ path: 'calendars.cn.fallback' }] });
    expect(validateCommitments({ calendars: { cn: { nonWorkingDays: [{ date: '2026-03-03', units: ['a', 'b'] }, { date: '2026-03-03', units: ['b', 'a'] }] } } })).toMatchObject({
      ok: false,
      errors: [{ path: 'calendars.cn.nonWorkingDays[1].date', message: '2026-03-03 is listed twice for the same units' }],
    });
    expect(validateCommitments({})).toMatchObject({ ok: false, errors: [{ path: 'commitments', message: 'declare at least one commitment' }] });
    // A document may hold settings only; fallback defaults to weekends.
    expect(validateCommitments({ calendars: { cn: {} } })).toEqual({ ok: true, commitments: [], calendars: { cn: { fallback: 'weekends', nonWorkingDays: [] } } });

    const before = settings({ nonWorkingDays: [{ date: '2026-03-03', units: ['gx'] }, { date: '2026-05-04' }] });
    const after = settings({ nonWorkingDays: [{ date: '2026-03-03', units: ['gx', 'yn'] }, { date: '2026-05-04' }, { date: '2026-01-02' }] });
    expect(changedNonWorkingDates(before, after)).toEqual(['2026-01-02', '2026-03-03']);
    expect(changedNonWorkingDates(undefined, before)).toEqual(['2026-03-03', '2026-05-04']);
    expect(changedNonWorkingDates(before, before)).toEqual([]);
    expect([1, 5, 15, 16, 366].map(monthsReachedBy)).toEqual([1, 1, 1, 2, 25]);
  });
});
