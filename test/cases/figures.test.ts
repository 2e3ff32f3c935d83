/**
 * The cases section's figures (functions/domain/cases/figures.ts) on hand-made cases: the
 * follow-up satisfaction, what is measurable against a deadline, what is overdue now, ties in the
 * root causes, and the roll-up over a subtree. The HTTP path is test/integration/case-report.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { caseFigures, casesSection, type CaseFigureInput } from '../../functions/domain/cases/figures';

const NOW = new Date('2026-11-20T00:00:00Z');
const base: CaseFigureInput = { caseId: 'c', source: 'manual', orgUnitId: 'b1', state: 'new', openedAt: '2026-11-10T00:00:00Z', reopenedCount: 0 };
const make = (overrides: Partial<CaseFigureInput>): CaseFigureInput => ({ ...base, ...overrides });

describe('case figures', () => {
  it('counts follow-ups sent (not the ones no channel reached), answered, solved and the handling mean', () => {
    const cases = [
      make({ state: 'resolved', resolvedAt: '2026-11-12T00:00:00Z', rootCause: 'fees', followUps: [
        { round: 0, at: '2026-11-11T00:00:00Z', invitationId: 'i1', answeredAt: '2026-11-11T01:00:00Z', solved: false, handled: 2 },
        { round: 1, at: '2026-11-12T02:00:00Z', invitationId: 'i2', answeredAt: '2026-11-12T03:00:00Z', solved: true, handled: 4 },
      ] }),
      make({ state: 'closed', resolvedAt: '2026-11-12T00:00:00Z', closedAt: '2026-11-13T00:00:00Z', rootCause: 'process', followUps: [{ round: 0, at: '2026-11-12T02:00:00Z', outcome: 'no-channel' }] }),
      make({ state: 'resolved', resolvedAt: '2026-11-12T00:00:00Z', rootCause: 'fees', followUps: [{ round: 0, at: '2026-11-12T02:00:00Z', invitationId: 'i3' }] }),
    ];
    const figures = caseFigures(cases, [], NOW);
    expect(figures.followUp).toEqual({ sent: 3, answered: 2, solved: 1, solvedShare: 0.5, handledMean: 3, handledN: 2 });
    expect(figures.rootCauses).toEqual([
      { rootCause: 'fees', count: 2, share: 2 / 3, cumulativeShare: 2 / 3 },
      { rootCause: 'process', count: 1, share: 1 / 3, cumulativeShare: 1 },
    ]);
    expect(figures).toMatchObject({ opened: 3, resolved: 3, closed: 1 });
  });

  it('measures a deadline only once its outcome is known, and times cases without one', () => {
    const cases = [
      // In time and not reached yet: neither measurable nor timed.
      make({ firstContactDueAt: '2026-11-25T00:00:00Z' }),
      // Reached before the deadline that is still ahead: measurable and met.
      make({ firstContactDueAt: '2026-11-25T00:00:00Z', firstContactAt: '2026-11-10T02:00:00Z' }),
      // No deadline (none declared): timed, not measurable.
      make({ firstContactAt: '2026-11-10T04:00:00Z' }),
      // Past the deadline, unreached: measurable, missed.
      make({ firstContactDueAt: '2026-11-11T00:00:00Z' }),
    ];
    expect(caseFigures(cases, [], NOW).firstContact).toEqual({ measurable: 2, met: 1, share: 0.5, p50Hours: 3, p90Hours: expect.closeTo(3.8, 9), timed: 2 });
  });

  it('counts as overdue now only the open cases past an unmet deadline (a resolved one with a late first contact is not)', () => {
    const open = [
      make({ firstContactDueAt: '2026-11-11T00:00:00Z' }),
      make({ state: 'in_progress', firstContactAt: '2026-11-10T01:00:00Z', firstContactDueAt: '2026-11-11T00:00:00Z', resolveDueAt: '2026-11-15T00:00:00Z' }),
      make({ state: 'resolved', firstContactAt: '2026-11-12T00:00:00Z', firstContactDueAt: '2026-11-11T00:00:00Z', resolvedAt: '2026-11-13T00:00:00Z', resolveDueAt: '2026-11-15T00:00:00Z' }),
      make({ state: 'closed', resolveDueAt: '2026-11-11T00:00:00Z', closedAt: '2026-11-12T00:00:00Z' }),
      make({ state: 'reopened', firstContactAt: '2026-11-10T01:00:00Z', resolveDueAt: '2026-11-25T00:00:00Z', reopenedCount: 1 }),
    ];
    expect(caseFigures([], open, NOW).overdueNow).toBe(2);
  });

  it('rolls a unit up over its subtree and gives each child its own', () => {
    const parents: Record<string, string> = { b1: 'r1', b2: 'r1', r1: 'hq', b3: 'r2', r2: 'hq' };
    const inSubtree = (unit: string, root: string) => {
      for (let at: string | undefined = unit; at; at = parents[at]) if (at === root) return true;
      return false;
    };
    const period = [make({ orgUnitId: 'b1' }), make({ orgUnitId: 'b2', state: 'resolved', resolvedAt: '2026-11-11T00:00:00Z' }), make({ orgUnitId: 'b3' }), make({ orgUnitId: 'r1' })];
    const section = casesSection('r1', ['b1', 'b2'], { period, open: [] }, inSubtree, NOW);
    expect(section.opened).toBe(3);
    expect(section.children).toEqual([
      { orgUnit: 'b1', opened: 1, resolved: 0, overdueNow: 0, firstContactShare: null, resolveShare: null },
      { orgUnit: 'b2', opened: 1, resolved: 1, overdueNow: 0, firstContactShare: null, resolveShare: null },
    ]);
  });

  it('measures a resolution against the deadline first promised, not the one a reopening armed', () => {
    const reopenedLate = make({
      state: 'resolved', reopenedCount: 1, firstContactAt: '2026-11-10T01:00:00Z',
      firstResolveDueAt: '2026-11-12T00:00:00Z', resolveDueAt: '2026-11-16T00:00:00Z', resolvedAt: '2026-11-14T00:00:00Z',
    });
    const inTime = make({ state: 'resolved', resolveDueAt: '2026-11-12T00:00:00Z', resolvedAt: '2026-11-11T00:00:00Z' });
    expect(caseFigures([reopenedLate, inTime], [], NOW).resolve).toMatchObject({ measurable: 2, met: 1, share: 0.5 });
  });
});
