/**
 * A campaign's funnel from its invitations as GET /admin/campaigns/{campaignId} shows them: what
 * the console's status page draws. Stages:
 *
 * - queued: waiting for the sender;
 * - sent: every invitation whose message went out (`sentAt`), answered or not, expired or not;
 * - delivered, and undelivered with the receipts' reasons: of those sent, the ones a provider's
 *   receipt said reached the phone / did not (app/delivery-receipts.ts). Receipts can take up to
 *   72 hours and a link has none, so sent minus both is "no receipt yet", and an answer does not
 *   imply a receipt;
 * - answered, and expired: of those sent, answered / past their expiry unanswered;
 * - failed, with the provider's reasons;
 * - opted out;
 * - skipped by a rule, with the rule: the frequency cap, an invalid number, and an invitation that
 *   expired before it could go out (quiet hours until past its expiry), which was never sent.
 */
import type { InvitationStatus } from '../records';

export interface FunnelInvitation {
  status: InvitationStatus;
  reason?: string;
  sentAt?: string;
  deliveredAt?: string;
  deliveryFailure?: string;
}

export type FunnelStage = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'answered' | 'expired' | 'failed' | 'optedOut' | 'skipped';

export const FUNNEL_STAGES: readonly FunnelStage[] = ['queued', 'sent', 'delivered', 'undelivered', 'answered', 'expired', 'failed', 'optedOut', 'skipped'];

const wentOut = (inv: FunnelInvitation) => inv.sentAt !== undefined || inv.status === 'responded';

/** The stage an invitation is counted in besides "sent" (undefined: only in "sent", i.e. sent and waiting). */
function stageOf(inv: FunnelInvitation): FunnelStage | undefined {
  if (inv.reason === 'opted_out') return 'optedOut';
  switch (inv.status) {
    case 'pending':
      return 'queued';
    case 'responded':
      return 'answered';
    case 'expired':
      return wentOut(inv) ? 'expired' : 'skipped';
    case 'failed':
      return 'failed';
    case 'skipped':
      return 'skipped';
    case 'sent':
      return undefined;
  }
}

/** The receipt stages only where receipts exist: a personal link is handed over, not delivered. */
const RECEIPT_STAGES: ReadonlySet<FunnelStage> = new Set(['delivered', 'undelivered']);

export function funnelOf(invitations: readonly FunnelInvitation[], channel: 'link' | 'sms' = 'sms'): { stage: FunnelStage; count: number; reasons?: Record<string, number> }[] {
  const counts = new Map<FunnelStage, number>(FUNNEL_STAGES.map((stage) => [stage, 0]));
  const reasons: Partial<Record<FunnelStage, Record<string, number>>> = { undelivered: {}, failed: {}, skipped: {} };
  const add = (stage: FunnelStage, reason?: string) => {
    counts.set(stage, counts.get(stage)! + 1);
    const byReason = reasons[stage];
    if (byReason && reason !== undefined) byReason[reason] = (byReason[reason] ?? 0) + 1;
  };
  for (const inv of invitations) {
    if (wentOut(inv)) {
      add('sent');
      if (inv.deliveredAt) add('delivered');
      else if (inv.deliveryFailure) add('undelivered', inv.deliveryFailure);
    }
    const stage = stageOf(inv);
    if (stage) add(stage, inv.reason ?? (inv.status === 'expired' ? 'expired' : '?'));
  }
  const stages = channel === 'link' ? FUNNEL_STAGES.filter((stage) => !RECEIPT_STAGES.has(stage)) : FUNNEL_STAGES;
  return stages.map((stage) => ({ stage, count: counts.get(stage)!, ...(reasons[stage] ? { reasons: reasons[stage] } : {}) }));
}
