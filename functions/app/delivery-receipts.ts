/**
 * Delivery receipts: End User Messaging's delivery events (its configuration set publishes them to
 * the inbound topic, functions/jobs/inbound-sms.ts) and the local outbox's stand-in. Each is logged
 * with the number masked and, when it is a final outcome of an invitation's message, recorded on
 * that invitation: the funnel's "delivered" and "undelivered" stages read it.
 *
 * The message's invitation comes from the receipt itself: the sender gives SendTextMessage a
 * Context with the invitation and campaign ids, and every event of that message carries it back.
 * No message-id table is needed, and a message without an invitation (a reply, a test message)
 * is logged only.
 */
import { deliveryOutcomeOf } from '../domain/distribution/delivery';
import type { Deps } from './deps';
import { logSmsEvent } from './sender';

export interface DeliveryReceipt {
  /** The provider's event type, e.g. TEXT_DELIVERED, TEXT_UNREACHABLE. */
  eventType: string;
  /** The provider's wording of the status, logged when given (else the event type). */
  messageStatus?: string | undefined;
  phone: string;
  invitationId?: string | undefined;
  campaignId?: string | undefined;
  /** When the provider reported it; else now. */
  at?: string | undefined;
}

export type ReceiptOutcome = 'recorded' | 'unchanged' | 'unknown' | 'ignored';

export async function recordDeliveryReceipt(deps: Pick<Deps, 'store' | 'clock' | 'config'>, receipt: DeliveryReceipt): Promise<ReceiptOutcome> {
  await logSmsEvent(deps, { kind: 'delivery', phone: receipt.phone, campaignId: receipt.campaignId, invitationId: receipt.invitationId, status: receipt.messageStatus ?? receipt.eventType });
  const outcome = deliveryOutcomeOf(receipt.eventType);
  if (!outcome || !receipt.invitationId) return 'ignored';
  const token = await deps.store.invitationTokenOf(receipt.invitationId, receipt.campaignId);
  if (!token) return 'unknown';
  return deps.store.recordDelivery(token, outcome.outcome === 'delivered' ? { outcome: 'delivered', at: receipt.at ?? deps.clock.now().toISOString() } : outcome);
}
