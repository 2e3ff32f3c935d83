/** The campaign funnel: each invitation in the stages it reached, an unsent expiry as a skip, receipts among the sent. */
import { describe, expect, it } from 'vitest';
import { funnelOf, type FunnelInvitation } from '../../functions/domain/distribution/funnel';
import { deliveryOutcomeOf } from '../../functions/domain/distribution/delivery';
import { SMS_DELIVERY_EVENT_TYPES } from '../../infra/distribution';

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
    expect(count(invitations)).toEqual({ queued: 1, sent: 3, delivered: 0, undelivered: 0, answered: 1, expired: 1, failed: 1, optedOut: 1, skipped: 3 });
    const stages = funnelOf(invitations);
    expect(stages.find((s) => s.stage === 'skipped')?.reasons).toEqual({ frequency_cap: 2, expired: 1 });
    expect(stages.find((s) => s.stage === 'failed')?.reasons).toEqual({ provider_rejected: 1 });
  });

  it('counts an answer as sent even without a sending time (a link answered before its status was stored)', () => {
    expect(count([{ status: 'responded' }])).toMatchObject({ sent: 1, answered: 1 });
  });

  it('keeps the stages in order, all present, for an empty campaign', () => {
    expect(funnelOf([]).map((s) => [s.stage, s.count])).toEqual([
      ['queued', 0], ['sent', 0], ['delivered', 0], ['undelivered', 0], ['answered', 0], ['expired', 0], ['failed', 0], ['optedOut', 0], ['skipped', 0],
    ]);
    // A link is handed over, not delivered: no receipt stages.
    expect(funnelOf([], 'link').map((s) => s.stage)).toEqual(['queued', 'sent', 'answered', 'expired', 'failed', 'optedOut', 'skipped']);
  });

  it('counts receipts among the sent: delivered, undelivered by reason, and none yet as neither', () => {
    const invitations: FunnelInvitation[] = [
      { status: 'sent', sentAt: at, deliveredAt: at },
      { status: 'responded', sentAt: at, deliveredAt: at },
      { status: 'sent', sentAt: at, deliveryFailure: 'unreachable' },
      { status: 'sent', sentAt: at, deliveryFailure: 'unreachable' },
      { status: 'sent', sentAt: at, deliveryFailure: 'spam' },
      // Answered before any receipt came: answered, not delivered.
      { status: 'responded', sentAt: at },
      { status: 'sent', sentAt: at },
    ];
    const stages = funnelOf(invitations);
    expect(Object.fromEntries(stages.map((s) => [s.stage, s.count]))).toMatchObject({ sent: 7, delivered: 2, undelivered: 3, answered: 2 });
    expect(stages.find((s) => s.stage === 'undelivered')?.reasons).toEqual({ unreachable: 2, spam: 1 });
  });
});

describe('deliveryOutcomeOf', () => {
  it('reads End User Messaging event types: delivered, undelivered with a reason, or not final', () => {
    expect(deliveryOutcomeOf('TEXT_DELIVERED')).toEqual({ outcome: 'delivered' });
    // The carrier's acceptance is the final event where handsets send no receipt.
    expect(deliveryOutcomeOf('TEXT_SUCCESSFUL')).toEqual({ outcome: 'delivered' });
    expect(deliveryOutcomeOf('TEXT_UNREACHABLE')).toEqual({ outcome: 'undelivered', reason: 'unreachable' });
    expect(deliveryOutcomeOf('TEXT_CARRIER_BLOCKED')).toEqual({ outcome: 'undelivered', reason: 'carrier_blocked' });
    expect(deliveryOutcomeOf('TEXT_QUEUED')).toBeUndefined();
    expect(deliveryOutcomeOf('TEXT_PENDING')).toBeUndefined();
    expect(deliveryOutcomeOf('VOICE_COMPLETED')).toBeUndefined();
  });

  it('has an outcome for every event type the configuration set publishes', () => {
    for (const type of SMS_DELIVERY_EVENT_TYPES) expect(deliveryOutcomeOf(type), type).toBeDefined();
  });
});
