/**
 * What a provider's delivery receipt says about a message: delivered, not delivered (and why), or
 * nothing final yet. End User Messaging's event types are the vocabulary (its configuration set
 * publishes them; the local outbox speaks the same words).
 *
 * TEXT_DELIVERED is the handset's receipt; TEXT_SUCCESSFUL is the carrier's acceptance, which in
 * countries whose carriers send no handset receipts is the only final event there is (AWS uses the
 * two interchangeably by destination), so both count as delivered. Queued and pending are not
 * final: they change nothing.
 */

export type DeliveryOutcome = { outcome: 'delivered' } | { outcome: 'undelivered'; reason: string };

const DELIVERED = new Set(['TEXT_DELIVERED', 'TEXT_SUCCESSFUL']);
const NOT_FINAL = new Set(['TEXT_QUEUED', 'TEXT_PENDING', 'TEXT_SENT']);

/** The outcome an event type stands for; undefined for an event that is not (yet) a final outcome. */
export function deliveryOutcomeOf(eventType: string): DeliveryOutcome | undefined {
  const type = eventType.trim().toUpperCase();
  if (DELIVERED.has(type)) return { outcome: 'delivered' };
  if (NOT_FINAL.has(type) || !type.startsWith('TEXT_')) return undefined;
  // TEXT_UNREACHABLE -> "unreachable": the reason the funnel shows beside "undelivered".
  return { outcome: 'undelivered', reason: type.slice('TEXT_'.length).toLowerCase() };
}
