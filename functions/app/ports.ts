/**
 * What distribution needs from the outside world, as interfaces: the application layer speaks to
 * these, and the runtime plugs in AWS adapters (End User Messaging SMS, SQS) or local ones (an
 * outbox, an in-process queue).
 */
export interface OutboundSms {
  /** E.164 */
  to: string;
  body: string;
  /** The same for every retry of one invitation, action and attempt. */
  idempotencyKey: string;
  segments: number;
  campaignId?: string;
  invitationId?: string;
  /** Marketing messages and transactional ones are billed and filtered differently by carriers. */
  kind: 'marketing' | 'transactional';
}

/** A provider refused or failed; `retryable` says whether trying again later can help. */
export class SmsProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SmsProviderError';
  }
}

export interface SmsProvider {
  send(message: OutboundSms): Promise<{ messageId: string }>;
  /**
   * Whether a message with this key was accepted, where the provider can tell (the local outbox
   * can; AWS End User Messaging cannot, and the sender then assumes it was, to send at most once).
   */
  wasSent?(idempotencyKey: string): Promise<boolean>;
}

export interface DispatchMessage {
  token: string;
  invitationId: string;
  campaignId: string;
  action: 'invite' | 'reminder';
}

export interface DispatchQueue {
  enqueue(messages: readonly DispatchMessage[]): Promise<void>;
}
