/** The campaign funnel: each invitation in the stages it reached, an unsent expiry as a skip. */
import { describe, expect, it } from 'vitest';
import { funnelOf, type FunnelInvitation } from '../../functions/domain/distribution/funnel';

const at = '2026-11-10T02:00:00.000Z';
const count = (invitations: FunnelInvitation[]) => Object.fromEntries(funnelOf(invitations).map((stage) => [stage.stage, stage.count]));

describe('funnelOf', () => {
  it('counts every invitation that went out as sent, and only those', () => {
    const invitations: FunnelInvitation[] = [
      { status: 'pending' },
      { status: 'sent', sentAt: at },
      { status: 'responded', sentAt: at },
      { status: 'expired', reason: 'expired', sentAt: at },
      // Deferred by quiet hours until past its expiry: never went out.
      { status: 'expired', reason: 'expired' },
      { status: 'failed', reason: 'provider_rejected' },
      { status: 'skipped', reason: 'opted_out' },
      { status: 'skipped', reason: 'frequency_cap' },
      { status: 'skipped', reason: 'frequency_cap' },
    ];
    expect(count(invitations)).toEqual({ queued: 1, sent: 3, answered: 1, expired: 1, failed: 1, optedOut: 1, skipped: 3 });
    const stages = funnelOf(invitations);
    expect(stages.find((s) => s.stage === 'skipped')?.reasons).toEqual({ frequency_cap: 2, expired: 1 });
    expect(stages.find((s) => s.stage === 'failed')?.reasons).toEqual({ provider_rejected: 1 });
  });

  it('counts an answer as sent even without a sending time (a link answered before its status was stored)', () => {
    expect(count([{ status: 'responded' }])).toMatchObject({ sent: 1, answered: 1 });
  });

  it('keeps the stages in order, all present, for an empty campaign', () => {
    expect(funnelOf([]).map((s) => [s.stage, s.count])).toEqual([['queued', 0], ['sent', 0], ['answered', 0], ['expired', 0], ['failed', 0], ['optedOut', 0], ['skipped', 0]]);
  });
});
