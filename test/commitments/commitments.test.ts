import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  accumulateEvent,
  comparePromises,
  complianceSummary,
  computeCompliance,
  deadlineOf,
  emptyComplianceAccumulator,
  evaluateEvent,
  eventPeriod,
  mergeComplianceAccumulators,
  parseDurationMs,
  parseTimestamp,
  quantileType7,
  undeclaredCommitments,
  validateCommitments,
  type Commitment,
  type ServiceEvent,
} from '../../functions/domain/commitments';
import { readQuestionnaireFile } from '../../functions/shared/questionnaire-files';

const HOUR = 3_600_000;

function commitment(input: Record<string, unknown>): Commitment {
  const result = validateCommitments({ commitments: [input] });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.commitments[0] as Commitment;
}

const handle = commitment({ id: 'gas.repair.handle', eventType: 'repair', from: 'reportedAt', to: 'handledAt', target: 'PT6H' });
const reply = commitment({ id: 'insurance.complaint.reply', eventType: 'complaint', from: 'receivedAt', to: 'repliedAt', target: { workingDays: 5 }, calendar: 'cn' });

const at = (text: string) => parseTimestamp(text) as Date;
const repair = (eventId: string, orgUnitId: string, reportedAt: string | null, handledAt: string | null): ServiceEvent => ({
  eventId,
  type: 'repair',
  orgUnitId,
  timestamps: { reportedAt, handledAt },
});

describe('durations', () => {
  it('parses the exact ISO 8601 units', () => {
    expect(parseDurationMs('PT6H')).toBe(6 * HOUR);
    expect(parseDurationMs('P2D')).toBe(48 * HOUR);
    expect(parseDurationMs('P1DT12H30M')).toBe(36.5 * HOUR);
    expect(parseDurationMs('PT1.5S')).toBe(1500);
    expect(parseDurationMs('P1W')).toBe(7 * 24 * HOUR);
  });

  it('refuses years, months and malformed text', () => {
    expect(() => parseDurationMs('P1M')).toThrow('years and months have no fixed length');
    expect(() => parseDurationMs('P1Y2D')).toThrow('years and months');
    for (const text of ['P', 'PT', '6H', 'PT-1H', 'pt6h', 'P1DT', 'PT6H ']) expect(() => parseDurationMs(text), text).toThrow(RangeError);
    // After T, M is minutes.
    expect(parseDurationMs('PT90M')).toBe(1.5 * HOUR);
  });
});

describe('commitment declarations', () => {
  it('defaults the time zone to Asia/Shanghai', () => {
    expect(handle.timeZone).toBe('Asia/Shanghai');
  });

  it('names the problem and its path', () => {
    const check = (input: Record<string, unknown>) => {
      const result = validateCommitments({ commitments: [input] });
      return result.ok ? [] : result.errors;
    };
    const base = { id: 'x.y', eventType: 'repair', from: 'reportedAt', to: 'handledAt' };
    expect(check({ ...base, target: { workingDays: 5 } })).toEqual([{ path: 'commitments[0].calendar', message: 'a working-day target names its calendar (cn)' }]);
    expect(check({ ...base, target: { workingDays: 5 }, calendar: 'mars' })).toEqual([{ path: 'commitments[0].calendar', message: 'unknown calendar "mars" (known: cn)' }]);
    expect(check({ ...base, target: 'PT6H', calendar: 'cn' })[0]?.message).toMatch(/calendar applies to working-day targets only/);
    expect(check({ ...base, target: 'P1M' })[0]).toMatchObject({ path: 'commitments[0].target' });
    expect(check({ ...base, to: 'reportedAt', target: 'PT6H' })[0]).toEqual({ path: 'commitments[0].to', message: 'from and to name the same field' });
    expect(check({ ...base, id: 'Gas Repair', target: 'PT6H' })[0]?.path).toBe('commitments[0].id');
    const twice = validateCommitments({ commitments: [{ ...base, target: 'PT6H' }, { ...base, target: 'PT8H' }] });
    expect(twice.ok ? [] : twice.errors).toEqual([{ path: 'commitments[1].id', message: 'duplicate commitment id "x.y"' }]);
  });

  it('ships the commitments of the domain notes in surveys/commitments/', () => {
    const dir = fileURLToPath(new URL('../../surveys/commitments/', import.meta.url));
    const all: Commitment[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const result = validateCommitments(parse(readFileSync(`${dir}${file}`, 'utf8')));
      expect(result.ok ? [] : result.errors, file).toEqual([]);
      if (result.ok) all.push(...result.commitments);
    }
    const byId = Object.fromEntries(all.map((c) => [c.id, c.target]));
    expect(byId).toMatchObject({
      'gas.pipeline.ordinary': 'PT4H',
      'gas.pipeline.major': 'PT24H',
      'gas.repair.handle': 'PT6H',
      'gas.repair.fix': 'PT24H',
      'gas.complaint.answer': 'PT48H',
      'insurance.complaint.reply': { workingDays: 5 },
      'insurance.policy.contact': { workingDays: 5 },
      'aftersales.onsite': 'PT2H',
      'manufacturing.reply': 'PT8H',
    });
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
  });
});

describe('deadlines', () => {
  it('adds a duration exactly, holidays or not', () => {
    expect(deadlineOf(handle, at('2026-02-16T20:00:00+08:00')).toISOString()).toBe('2026-02-16T18:00:00.000Z');
  });

  it('ends N working days at 23:59:59 local time of the Nth working day after the day of from', () => {
    // Received Friday 13 February 2026, 10:00: Sat 14 (worked) is the 1st working day after,
    // then the festival until 23, then 24, 25, 26, 27 -> Friday 27 February 23:59:59 Beijing time.
    expect(deadlineOf(reply, at('2026-02-13T10:00:00+08:00')).toISOString()).toBe('2026-02-27T15:59:59.000Z');
    // 2025: received Friday 24 January 16:00 -> Sun 26 (worked), Mon 27, Feb 5, 6, 7.
    expect(deadlineOf(reply, at('2025-01-24T16:00:00+08:00')).toISOString()).toBe('2025-02-07T15:59:59.000Z');
  });

  it('takes the day of from in the commitment time zone', () => {
    // 17:30 UTC on the 13th is 01:30 on Saturday the 14th in Beijing: the 14th does not count,
    // so the 1st working day after it is the 24th.
    const oneDay = commitment({ id: 'x.one', eventType: 'complaint', from: 'receivedAt', to: 'repliedAt', target: { workingDays: 1 }, calendar: 'cn' });
    expect(deadlineOf(oneDay, at('2026-02-13T17:30:00Z')).toISOString()).toBe('2026-02-24T15:59:59.000Z');
    expect(deadlineOf(oneDay, at('2026-02-13T15:30:00Z')).toISOString()).toBe('2026-02-14T15:59:59.000Z');
  });
});

describe('compliance', () => {
  const now = at('2026-03-02T20:00:00+08:00');
  const repairs: ServiceEvent[] = [
    repair('e1', 'u1', '2026-03-02T08:00:00+08:00', '2026-03-02T10:00:00+08:00'), // 2 h, met
    repair('e2', 'u1', '2026-03-02T08:00:00+08:00', '2026-03-02T13:00:00+08:00'), // 5 h, met
    repair('e3', 'u2', '2026-03-02T08:00:00+08:00', '2026-03-02T14:00:00+08:00'), // 6 h exactly, met
    repair('e4', 'u2', '2026-03-02T00:00:00Z', '2026-03-02T17:00:00+08:00'), // 9 h, missed by 3 h
    repair('e5', 'u2', '2026-03-02T09:00:00+08:00', null), // open, due 15:00: missed, 5 h over at 20:00
    repair('e6', 'u1', '2026-03-02T18:00:00+08:00', null), // open, due at midnight: pending
    repair('e7', 'u1', null, '2026-03-02T10:00:00+08:00'), // no start: unmeasurable
    repair('e8', 'u1', '2026-03-02T12:00:00+08:00', '2026-03-02T11:00:00+08:00'), // ends before it starts
    { eventId: 'x1', type: 'complaint', orgUnitId: 'u1', timestamps: { receivedAt: '2026-03-02T08:00:00+08:00' } }, // another type
  ];

  it('counts met / measurable, percentiles of the durations and the mean overrun of the missed', () => {
    // Measurable: e1-e5 (n 5), met e1-e3 -> 0.6. Durations of the closed events 2, 5, 6, 9 h:
    // type 7, h = (n - 1) p: p50 h = 1.5 -> 5 + 0.5 (6 - 5) = 5.5; p90 h = 2.7 -> 6 + 0.7 (9 - 6) = 8.1
    // (numpy.percentile([2, 5, 6, 9], [50, 90]) = [5.5, 8.1]). Overruns: e4 3 h, e5 (open) 5 h -> 4 h.
    const [summary] = computeCompliance([handle], repairs, now);
    expect(summary).toMatchObject({ id: 'gas.repair.handle', n: 5, met: 3, compliance: 0.6, missed: 2, missedOpen: 1, pending: 1, unmeasurable: 2 });
    expect(summary?.p50).toBeCloseTo(5.5, 12);
    expect(summary?.p90).toBeCloseTo(8.1, 12);
    expect(summary?.meanOverrun).toBeCloseTo(4, 12);
  });

  it('turns an open event into a missed one once its deadline has passed', () => {
    const open = repair('o1', 'u1', '2026-03-02T09:00:00+08:00', null);
    expect(evaluateEvent(handle, open, at('2026-03-02T15:00:00+08:00')).status).toBe('pending');
    const late = evaluateEvent(handle, open, at('2026-03-02T15:00:01+08:00'));
    expect(late).toMatchObject({ status: 'missed', open: true, durationHours: null });
    expect(late.overrunHours).toBeCloseTo(1 / 3600, 12);
  });

  it('checks working-day promises across the Spring Festival', () => {
    const complaint = (eventId: string, repliedAt: string | null): ServiceEvent => ({
      eventId,
      type: 'complaint',
      orgUnitId: 'u1',
      timestamps: { receivedAt: '2026-02-13T10:00:00+08:00', repliedAt },
    });
    // Deadline Friday 27 February 23:59:59 (see deadlines).
    expect(evaluateEvent(reply, complaint('c1', '2026-02-27T23:59:59+08:00'), now).status).toBe('met');
    const late = evaluateEvent(reply, complaint('c2', '2026-02-28T09:00:00+08:00'), now);
    expect(late.status).toBe('missed');
    expect(late.overrunHours).toBeCloseTo(9 + 1 / 3600, 12);
    // Still open on 2 March 20:00: 68 h and 1 s past the deadline.
    const open = evaluateEvent(reply, complaint('c3', null), now);
    expect(open).toMatchObject({ status: 'missed', open: true });
    expect(open.overrunHours).toBeCloseTo(68 + 1 / 3600, 12);
    // Received late December 2026: the deadline needs 2027, which the calendar does not have yet.
    const beyond = { ...complaint('c4', null), timestamps: { receivedAt: '2026-12-30T10:00:00+08:00', repliedAt: null } };
    expect(evaluateEvent(reply, beyond, now)).toMatchObject({ status: 'unmeasurable', reason: 'outside the calendar' });
  });

  it('merges unit accumulators into the figures of all events', () => {
    const unit = (id: string) => {
      const acc = emptyComplianceAccumulator();
      for (const event of repairs.filter((e) => e.orgUnitId === id)) accumulateEvent(handle, acc, event, now);
      return acc;
    };
    const merged = complianceSummary(handle.id, mergeComplianceAccumulators(unit('u1'), JSON.parse(JSON.stringify(unit('u2')))));
    expect(merged).toEqual(computeCompliance([handle], repairs, now)[0]);
    expect(complianceSummary(handle.id, unit('u1'))).toMatchObject({ n: 2, met: 2, compliance: 1, p50: 3.5, meanOverrun: null });
  });

  it('files an event under the month of its start in the commitment time zone', () => {
    expect(eventPeriod(handle, repair('p', 'u1', '2026-02-28T16:30:00Z', null))).toBe('2026-03');
    expect(eventPeriod(handle, repair('p', 'u1', null, null))).toBeNull();
  });

  it('uses the type 7 quantile', () => {
    // numpy.percentile([1, 2, 3, 4], 90) = 3.7; R quantile(c(1, 2, 3, 4), 0.9) = 3.7.
    expect(quantileType7([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantileType7([7], 0.5)).toBe(7);
    expect(quantileType7([], 0.5)).toBeNull();
    expect(quantileType7([1, 2], 0)).toBe(1);
    expect(quantileType7([1, 2], 1)).toBe(2);
  });

  it('reads timestamps only with an offset', () => {
    expect(parseTimestamp('2026-03-02T08:00:00+08:00')?.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(parseTimestamp('2026-03-02 08:00+0800')?.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(parseTimestamp('2026-03-02T08:00:00')).toBeNull();
    expect(parseTimestamp('2026-13-02T08:00:00Z')).toBeNull();
  });
});

describe('promise as recorded beside promise as felt', () => {
  it('pairs a rating question naming a commitment with that commitment’s compliance', () => {
    const survey = readQuestionnaireFile(fileURLToPath(new URL('../../surveys/gas-repair-return-visit.yaml', import.meta.url)));
    if (!survey.ok) throw new Error('gas-repair-return-visit.yaml is invalid');
    // The shipped return visit asks about two gas commitments (t2: handled in 6 h, t3: repaired in 24 h).
    const q = survey.questionnaire;
    const rows = comparePromises(q, { t2: { score: 75, n: 40 } }, { 'gas.repair.handle': { compliance: 0.6, n: 5 } });
    expect(rows).toEqual([
      { questionId: 't2', commitmentId: 'gas.repair.handle', recorded: { compliance: 0.6, n: 5 }, felt: { score: 75, n: 40 } },
      { questionId: 't3', commitmentId: 'gas.repair.fix', recorded: null, felt: null },
    ]);
    expect(undeclaredCommitments(q, ['gas.repair.fix'])).toEqual(['gas.repair.handle']);
  });
});
