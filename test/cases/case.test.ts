/** The case record's state machine and timers (functions/domain/cases/case.ts), without I/O. */
import { describe, expect, it } from 'vitest';
import { applyCaseEvent, dueTimers, isOverdue, MAX_TIMELINE_BYTES, MAX_TIMELINE_ENTRIES, mayTake, nextTimerAt, type CaseRecord } from '../../functions/domain/cases/case';
import { DomainError } from '../../functions/domain/errors';

const base = (): CaseRecord => ({
  caseId: 'case_1',
  version: 1,
  source: 'response',
  reasons: ['q4 = 1 (at most 2)'],
  orgUnitId: 'n1',
  priority: 'high',
  state: 'new',
  ownerUnit: 'n1',
  owner: 'usr_m',
  openedAt: '2025-09-26T09:00:00.000Z',
  firstContactDueAt: '2025-09-28T09:00:00.000Z',
  resolveDueAt: '2025-10-10T09:00:00.000Z',
  overdueNoticed: [],
  escalations: [
    { step: 0, after: 'firstContact', notify: 'owner-manager', dueAt: '2025-09-28T09:00:00.000Z' },
    { step: 1, after: 'resolve', to: 'parent-unit', dueAt: '2025-10-10T09:00:00.000Z' },
  ],
  notifications: [],
  reopenedCount: 0,
  timeline: [],
});
const context = (at: string) => ({ by: 'usr_m', at: new Date(at), rootCauses: ['staff-attitude', 'other'] });
const kindOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).kind;
  }
  return 'none';
};

describe('applyCaseEvent', () => {
  it('walks new -> acknowledged -> in_progress -> resolved -> closed -> reopened, one version each', () => {
    let c = base();
    c = applyCaseEvent(c, { type: 'acknowledge' }, context('2025-09-26T10:00:00Z'));
    expect(c).toMatchObject({ state: 'acknowledged', version: 2, firstContactAt: '2025-09-26T10:00:00.000Z' });
    c = applyCaseEvent(c, { type: 'start' }, context('2025-09-26T11:00:00Z'));
    // The first contact stays the first.
    expect(c).toMatchObject({ state: 'in_progress', firstContactAt: '2025-09-26T10:00:00.000Z' });
    c = applyCaseEvent(c, { type: 'resolve', rootCause: 'staff-attitude', note: '已道歉' }, context('2025-09-29T02:00:00Z'));
    expect(c).toMatchObject({ state: 'resolved', rootCause: 'staff-attitude', resolution: '已道歉', resolvedAt: '2025-09-29T02:00:00.000Z' });
    c = applyCaseEvent(c, { type: 'close' }, context('2025-09-29T03:00:00Z'));
    expect(c.state).toBe('closed');
    c = applyCaseEvent(c, { type: 'reopen', note: '客户说没有解决' }, context('2025-09-30T03:00:00Z'));
    expect(c).toMatchObject({ state: 'reopened', reopenedCount: 1, version: 6 });
    expect(c.resolvedAt).toBeUndefined();
    expect(c.timeline.map((entry) => entry.type)).toEqual(['acknowledge', 'start', 'resolve', 'close', 'reopen']);
  });

  it('refuses illegal transitions as conflicts and missing fields as invalid', () => {
    expect(kindOf(() => applyCaseEvent(base(), { type: 'close' }, context('2025-09-26T10:00:00Z')))).toBe('conflict');
    expect(kindOf(() => applyCaseEvent(base(), { type: 'reopen' }, context('2025-09-26T10:00:00Z')))).toBe('conflict');
    expect(kindOf(() => applyCaseEvent(base(), { type: 'resolve', note: 'x' }, context('2025-09-26T10:00:00Z')))).toBe('validation');
    expect(kindOf(() => applyCaseEvent(base(), { type: 'resolve', rootCause: 'weather', note: 'x' }, context('2025-09-26T10:00:00Z')))).toBe('validation');
    expect(kindOf(() => applyCaseEvent(base(), { type: 'resolve', rootCause: 'other' }, context('2025-09-26T10:00:00Z')))).toBe('validation');
    expect(kindOf(() => applyCaseEvent(base(), { type: 'comment' }, context('2025-09-26T10:00:00Z')))).toBe('validation');
    expect(kindOf(() => applyCaseEvent(base(), { type: 'assign' }, context('2025-09-26T10:00:00Z')))).toBe('validation');
    expect(mayTake('close', 'new')).toBe(false);
    expect(mayTake('comment', 'closed')).toBe(true);
  });
});

describe('timers', () => {
  it('are due at the deadline and not a millisecond before, and only while the deadline is unmet', () => {
    const c = base();
    expect(dueTimers(c, new Date('2025-09-28T08:59:59.999Z'))).toEqual({ overdue: [], steps: [], followUp: false });
    const due = dueTimers(c, new Date('2025-09-28T09:00:00.000Z'));
    expect(due.overdue).toEqual(['firstContact']);
    expect(due.steps.map((s) => s.step)).toEqual([0]);
    expect(isOverdue(c, new Date('2025-09-28T09:00:00.001Z'))).toBe(true);
    // Contacted in time: nothing fires for the first contact.
    const contacted = applyCaseEvent(c, { type: 'acknowledge' }, context('2025-09-27T02:00:00Z'));
    expect(dueTimers(contacted, new Date('2025-09-28T09:00:00.000Z'))).toEqual({ overdue: [], steps: [], followUp: false });
    expect(nextTimerAt(contacted)).toBe('2025-10-10T09:00:00.000Z');
    // Resolved: no timer is left.
    const resolved = applyCaseEvent(contacted, { type: 'resolve', rootCause: 'other', note: 'done' }, context('2025-09-29T02:00:00Z'));
    expect(nextTimerAt(resolved)).toBeUndefined();
    expect(isOverdue(resolved, new Date('2025-12-01T00:00:00Z'))).toBe(false);
  });

  it('never fires a step or notices a deadline twice, and comes back for a notification a crash left', () => {
    const c: CaseRecord = { ...base(), overdueNoticed: ['firstContact'], escalations: base().escalations.map((s) => (s.step === 0 ? { ...s, firedAt: '2025-09-28T09:00:30.000Z' } : s)) };
    expect(dueTimers(c, new Date('2025-09-28T09:05:00Z'))).toEqual({ overdue: [], steps: [], followUp: false });
    expect(nextTimerAt(c)).toBe('2025-10-10T09:00:00.000Z');
    const crashed: CaseRecord = { ...c, notifications: [{ key: 'k', to: 'usr_r', state: 'sending', at: '2025-09-28T09:00:30.000Z' }] };
    expect(nextTimerAt(crashed)).toBe('2025-09-28T09:05:30.000Z');
  });
});

describe('the timeline', () => {
  it('keeps the opening entry and the latest ones within 200 entries and 256 KB, however long the notes', () => {
    const opened = { at: '2025-09-26T09:00:00.000Z', by: 'system', type: 'opened' as const, state: 'new' as const };
    let c: CaseRecord = { ...base(), timeline: [opened] };
    const note = '客'.repeat(2000); // 6,000 bytes of UTF-8
    for (let i = 0; i < 250; i += 1) c = applyCaseEvent(c, { type: 'comment', note: `${i} ${note}` }, context('2025-09-26T10:00:00Z'));
    expect(c.timeline[0]).toEqual(opened);
    expect(c.timeline.at(-1)!.note).toBe(`249 ${note}`);
    expect(new TextEncoder().encode(JSON.stringify(c.timeline)).length).toBeLessThanOrEqual(MAX_TIMELINE_BYTES + 1024);
    expect(c.timeline.length).toBeLessThan(50);
    // Short entries: the count bounds it.
    let short: CaseRecord = { ...base(), timeline: [opened] };
    for (let i = 0; i < 250; i += 1) short = applyCaseEvent(short, { type: 'comment', note: `${i}` }, context('2025-09-26T10:00:00Z'));
    expect(short.timeline).toHaveLength(MAX_TIMELINE_ENTRIES);
    expect(short.timeline[0]).toEqual(opened);
    expect(short.timeline.at(-1)!.note).toBe('249');
  });
});
