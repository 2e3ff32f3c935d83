import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/domain/errors';
import {
  cronExpressionSchema,
  cronRuns,
  isoDurationSchema,
  nextCronRun,
  nextReturnVisit,
  returnVisitOccurrences,
  returnVisitScheduleSchema,
  triggerDueAt,
  triggerSchema,
} from '../../functions/domain/distribution/schedules';

const at = (iso: string) => new Date(iso);
const SH = 'Asia/Shanghai';
const local = (dates: Date[], zone = SH) => dates.map((d) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(d).replace(' ', 'T'));

describe('cron', () => {
  it('finds the next run strictly after the given instant, in Asia/Shanghai', () => {
    // Friday 6 March 2026, 09:00 in Shanghai = 01:00Z: the next weekday run is Monday.
    expect(nextCronRun('0 9 * * 1-5', SH, at('2026-03-06T01:00:00Z')).toISOString()).toBe('2026-03-09T01:00:00.000Z');
    expect(nextCronRun('0 9 * * 1-5', SH, at('2026-03-06T00:59:59.500Z')).toISOString()).toBe('2026-03-06T01:00:00.000Z');
    // Monthly on the 1st at 08:30 Shanghai: the 1st of April starts at 2026-03-31T16:00Z.
    expect(nextCronRun('30 8 1 * *', SH, at('2026-03-15T00:00:00Z')).toISOString()).toBe('2026-04-01T00:30:00.000Z');
    expect(nextCronRun('@daily', SH, at('2026-03-15T00:00:00Z')).toISOString()).toBe('2026-03-15T16:00:00.000Z');
  });

  it('keeps the wall-clock time across a DST change', () => {
    expect(nextCronRun('0 9 * * *', 'America/New_York', at('2026-03-07T15:00:00Z')).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(cronRuns('0 9 * * *', 'America/New_York', at('2026-03-06T00:00:00Z'), at('2026-03-09T13:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('validates five-field expressions and a few aliases', () => {
    expect(cronExpressionSchema.safeParse('0 9 * * 1').success).toBe(true);
    expect(cronExpressionSchema.safeParse('*/15 8-20 * * *').success).toBe(true);
    expect(cronExpressionSchema.safeParse('@weekly').success).toBe(true);
    expect(cronExpressionSchema.safeParse('61 * * * *').error?.issues[0]?.message).toMatch(/^invalid cron expression: .*61/);
    expect(cronExpressionSchema.safeParse('0 0 9 * * *').error?.issues[0]?.message).toBe('invalid cron expression: expected 5 fields (minute hour day-of-month month day-of-week), got 6');
    expect(cronExpressionSchema.safeParse('@secondly').success).toBe(false);
    expect(cronExpressionSchema.safeParse('every day').success).toBe(false);
    expect(() => nextCronRun('0 9 * * *', 'Nowhere/City', at('2026-03-07T15:00:00Z'))).toThrow(/time zone/);
  });
});

describe('return visits', () => {
  const schedule = returnVisitScheduleSchema.parse({ anchor: 'deliveredAt', rules: [{ every: 'P1M', until: 'P1Y' }, { every: 'P3M' }] });
  const anchor = at('2026-01-31T02:00:00Z'); // 31 January 2026, 10:00 in Shanghai

  it('are monthly in the first year and quarterly after, month-end anchors clamped without drift', () => {
    const visits = returnVisitOccurrences(anchor, schedule, at('2026-01-01T00:00:00Z'), at('2028-01-31T02:00:00Z'), SH);
    expect(local(visits)).toEqual([
      '2026-02-28T10:00',
      '2026-03-31T10:00',
      '2026-04-30T10:00',
      '2026-05-31T10:00',
      '2026-06-30T10:00',
      '2026-07-31T10:00',
      '2026-08-31T10:00',
      '2026-09-30T10:00',
      '2026-10-31T10:00',
      '2026-11-30T10:00',
      '2026-12-31T10:00',
      '2027-01-31T10:00',
      '2027-04-30T10:00',
      '2027-07-31T10:00',
      '2027-10-31T10:00',
      '2028-01-31T10:00',
    ]);
  });

  it('count a later rule from the anchor too, so a clamped rule boundary does not drift', () => {
    const split = returnVisitScheduleSchema.parse({ rules: [{ every: 'P1M', until: 'P1M' }, { every: 'P1M' }] });
    expect(local(returnVisitOccurrences(anchor, split, anchor, at('2026-05-01T00:00:00Z'), SH))).toEqual(['2026-02-28T10:00', '2026-03-31T10:00', '2026-04-30T10:00']);
  });

  it('are taken in (from, to], never the anchor itself', () => {
    expect(returnVisitOccurrences(anchor, schedule, anchor, at('2026-03-01T00:00:00Z'), SH)).toEqual([at('2026-02-28T02:00:00Z')]);
    const second = at('2026-03-31T02:00:00Z');
    const fourth = at('2026-05-31T02:00:00Z');
    expect(returnVisitOccurrences(anchor, schedule, second, fourth, SH)).toEqual([at('2026-04-30T02:00:00Z'), fourth]);
    expect(returnVisitOccurrences(anchor, schedule, at('2020-01-01T00:00:00Z'), anchor, SH)).toEqual([]);
  });

  it('are calendar months in the given zone', () => {
    // 2026-01-30T16:30Z is 31 January 00:30 in Shanghai but 30 January in UTC.
    const lateAnchor = at('2026-01-30T16:30:00Z');
    const window = [at('2026-01-31T00:00:00Z'), at('2026-04-01T00:00:00Z')] as const;
    expect(local(returnVisitOccurrences(lateAnchor, schedule, ...window, SH))).toEqual(['2026-02-28T00:30', '2026-03-31T00:30']);
    expect(local(returnVisitOccurrences(lateAnchor, schedule, ...window, 'UTC'), 'UTC')).toEqual(['2026-02-28T16:30', '2026-03-30T16:30']);
  });

  it('find the next visit far into an open-ended rule, and end with a bounded one', () => {
    expect(local([nextReturnVisit(anchor, schedule, at('2040-01-01T00:00:00Z'), SH)!])).toEqual(['2040-01-31T10:00']);
    expect(local([nextReturnVisit(anchor, schedule, at('2027-01-31T02:00:00Z'), SH)!])).toEqual(['2027-04-30T10:00']);
    const bounded = returnVisitScheduleSchema.parse({ rules: [{ every: 'P1M', until: 'P3M' }] });
    expect(bounded.anchor).toBe('deliveredAt');
    expect(local(returnVisitOccurrences(anchor, bounded, anchor, at('2030-01-01T00:00:00Z'), SH))).toEqual(['2026-02-28T10:00', '2026-03-31T10:00', '2026-04-30T10:00']);
    expect(nextReturnVisit(anchor, bounded, at('2026-04-30T02:00:00Z'), SH)).toBeUndefined();
  });

  it('validate the rules', () => {
    const issues = (input: unknown) => returnVisitScheduleSchema.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues({ rules: [{ every: 'P1M' }, { every: 'P3M' }] })).toEqual([['rules.0.until', 'only the last rule may be open-ended']]);
    expect(issues({ rules: [{ every: 'P1M', until: 'P1Y' }, { every: 'P3M', until: 'P12M' }] })).toEqual([['rules.1.until', 'P12M does not end after the previous rule']]);
    expect(issues({ rules: [{ every: 'PT1H' }] })).toEqual([['rules.0.every', 'return visits are at least one day apart']]);
    expect(issues({ rules: [{ every: 'monthly' }] })?.[0]?.[0]).toBe('rules.0.every');
    expect(issues({ rules: [] })).toEqual([['rules', 'give at least one rule']]);
    expect(issues({ rules: [{ every: 'P1M', until: 'one year' }, { every: 'P3M' }] })).toEqual([['rules.0.until', 'not an ISO 8601 duration: "one year" (expected e.g. PT48H, P1D, P1M)']]);
    expect(issues({ rules: [{ every: 'P0D' }] })).toEqual([['rules.0.every', 'a duration must be longer than zero']]);
    expect(issues({ rules: [{ every: 'P1M', until: 'P1Y' }, { every: 'P3M', until: 'P3Y' }, { every: 'P1Y' }] })).toBeUndefined();
  });
});

describe('event triggers', () => {
  const repair = { occurredAt: '2026-05-01T08:00:00+08:00', closedAt: '2026-05-01T15:30:00+08:00' };

  it('count from closedAt when present, else occurredAt', () => {
    expect(triggerDueAt(repair, { delay: 'PT24H' }).toISOString()).toBe('2026-05-02T07:30:00.000Z');
    expect(triggerDueAt(repair, { delay: 'PT24H', at: 'occurredAt' }).toISOString()).toBe('2026-05-02T00:00:00.000Z');
    expect(triggerDueAt({ occurredAt: '2026-05-01T08:00:00+08:00' }, { delay: 'PT2H' }).toISOString()).toBe('2026-05-01T02:00:00.000Z');
    expect(triggerDueAt({ occurredAt: at('2026-05-01T00:00:00Z'), closedAt: null }, { delay: 'PT0S' }).toISOString()).toBe('2026-05-01T00:00:00.000Z');
  });

  it('refuse a closedAt trigger for an event that is not closed', () => {
    expect(() => triggerDueAt({ occurredAt: '2026-05-01T08:00:00+08:00' }, { delay: 'PT24H', at: 'closedAt' })).toThrow(DomainError);
  });

  it('add calendar days in the zone, exact hours always', () => {
    const event = { occurredAt: '2026-03-07T12:00:00-05:00' };
    expect(triggerDueAt(event, { delay: 'P1D' }, 'America/New_York').toISOString()).toBe('2026-03-08T16:00:00.000Z');
    expect(triggerDueAt(event, { delay: 'PT24H' }, 'America/New_York').toISOString()).toBe('2026-03-08T17:00:00.000Z');
  });

  it('validate the trigger and its ISO 8601 delay', () => {
    expect(triggerSchema.parse({ eventType: 'repair.closed', delay: 'PT24H' })).toEqual({ eventType: 'repair.closed', delay: 'PT24H' });
    expect(triggerSchema.safeParse({ eventType: 'repair.closed', delay: '24h' }).success).toBe(false);
    expect(triggerSchema.safeParse({ eventType: 'repair.closed', delay: 'PT24H', at: 'openedAt' }).success).toBe(false);
    expect(['PT24H', 'P1D', 'P1M', 'P1Y2M10DT2H30M', 'P2W'].map((d) => isoDurationSchema.safeParse(d).success)).toEqual([true, true, true, true, true]);
    expect(['', 'P', '1D', '-P1D', 'PT-1H'].map((d) => isoDurationSchema.safeParse(d).success)).toEqual([false, false, false, false, false]);
  });
});
