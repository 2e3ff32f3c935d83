import { describe, expect, it } from 'vitest';
import { cronProblem, cronRuns, nextCronRun } from '../../functions/domain/distribution/schedules';

const at = (iso: string) => new Date(iso);
const runs = (expression: string, zone: string, from: string, to: string) => cronRuns(expression, zone, at(from), at(to)).map((d) => d.toISOString());

describe('cron matching (the values cron-parser gave)', () => {
  it('matches either day field when both are restricted', () => {
    // Sunday 1 March 2026 matches "the 1st", Monday the 2nd matches "Monday".
    expect(runs('0 9 1 * 1', 'Europe/Berlin', '2026-02-27T13:33:06Z', '2026-03-03T00:00:00Z')).toEqual(['2026-03-01T08:00:00.000Z', '2026-03-02T08:00:00.000Z']);
    expect(nextCronRun('*/6 */4 */6 1-4 0,6', 'Asia/Kolkata', at('2023-02-26T22:37:16Z')).toISOString()).toBe('2023-02-28T18:30:00.000Z');
  });

  it('runs a time skipped by DST the jump later, and a repeated time once', () => {
    expect(nextCronRun('30 2 * * *', 'America/New_York', at('2026-03-08T06:00:00Z')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(runs('*/20 1 * * *', 'America/New_York', '2026-11-01T04:59:00Z', '2026-11-01T07:00:00Z')).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-01T05:20:00.000Z', '2026-11-01T05:40:00.000Z']);
  });

  it('knows the last day, the last weekday and the n-th weekday of a month', () => {
    expect(nextCronRun('0 0 L * *', 'UTC', at('2026-02-10T00:00:00Z')).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(nextCronRun('0 0 * * 5L', 'UTC', at('2026-02-10T00:00:00Z')).toISOString()).toBe('2026-02-27T00:00:00.000Z');
    expect(nextCronRun('0 0 * * MON#2', 'UTC', at('2026-02-10T00:00:00Z')).toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });

  it('refuses what can never run or does not parse', () => {
    expect(cronProblem('0 0 30 2 *')).toMatch(/no month/);
    expect(cronProblem('0-70 * * * *')).toMatch(/70/);
    expect(cronProblem('*/0 * * * *')).toMatch(/step/);
    expect(cronProblem('0 0 * JAN-MAR MON-FRI')).toBeUndefined();
  });
});
