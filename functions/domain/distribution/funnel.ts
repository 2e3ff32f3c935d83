/**
 * A campaign's funnel from its invitations as GET /admin/campaigns/{campaignId} shows them: what
 * the console's status page draws. Stages:
 *
 * - queued: waiting for the sender;
 * - sent: every invitation whose message went out (`sentAt`), answered or not, expired or not;
 * - answered, and expired: of those sent, answered / past their expiry unanswered;
 * - failed, with the provider's reasons;
 * - opted out;
 * - skipped by a rule, with the rule: the frequency cap, an invalid number, and an invitation that
 *   expired before it could go out (quiet hours until past its expiry), which was never sent.
 *
 * "Delivered" needs the provider's delivery receipts, which manyi does not receive yet: no stage.
 */
import type { InvitationStatus } from '../records';

export interface FunnelInvitation {
  status: InvitationStatus;
  reason?: string;
  sentAt?: string;
}

export type FunnelStage = 'queued' | 'sent' | 'answered' | 'expired' | 'failed' | 'optedOut' | 'skipped';

export const FUNNEL_STAGES: readonly FunnelStage[] = ['queued', 'sent', 'answered', 'expired', 'failed', 'optedOut', 'skipped'];

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

export function funnelOf(invitations: readonly FunnelInvitation[]): { stage: FunnelStage; count: number; reasons?: Record<string, number> }[] {
  const counts = new Map<FunnelStage, number>(FUNNEL_STAGES.map((stage) => [stage, 0]));
  const reasons: Partial<Record<FunnelStage, Record<string, number>>> = { failed: {}, skipped: {} };
  for (const inv of invitations) {
    if (wentOut(inv)) counts.set('sent', counts.get('sent')! + 1);
    const stage = stageOf(inv);
    if (!stage) continue;
    counts.set(stage, counts.get(stage)! + 1);
    const byReason = reasons[stage];
    if (byReason) {
      const reason = inv.reason ?? (inv.status === 'expired' ? 'expired' : '?');
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    }
  }
  return FUNNEL_STAGES.map((stage) => ({ stage, count: counts.get(stage)!, ...(reasons[stage] ? { reasons: reasons[stage] } : {}) }));
}
