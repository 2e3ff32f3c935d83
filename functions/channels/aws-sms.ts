/**
 * Outbound SMS through AWS End User Messaging SMS (the PinpointSMSVoiceV2 API, SendTextMessage).
 *
 * SendTextMessage has no idempotency token, so this adapter never resends by itself: the SDK makes
 * one attempt, and only an explicit refusal (throttling, quota) is a retryable provider error. A
 * server error, a timeout or a lost connection may have been accepted: it is thrown as a fault,
 * the attempt stays "sending", and the sender then counts it as sent (at most once).
 */
import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  InternalServerException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SmsProviderError, type OutboundSms, type SmsProvider } from '../app/ports';

export class EndUserMessagingSms implements SmsProvider {
  constructor(
    private readonly options: { originationIdentity?: string | undefined; configurationSet?: string | undefined },
    private readonly client: PinpointSMSVoiceV2Client = new PinpointSMSVoiceV2Client({ maxAttempts: 1 }),
  ) {}

  async send(message: OutboundSms): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          MessageBody: message.body,
          MessageType: message.kind === 'marketing' ? 'PROMOTIONAL' : 'TRANSACTIONAL',
          ...(this.options.originationIdentity ? { OriginationIdentity: this.options.originationIdentity } : {}),
          ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
          // Carried into delivery events, so a receipt can be matched to its invitation.
          Context: {
            idempotencyKey: message.idempotencyKey,
            ...(message.invitationId ? { invitationId: message.invitationId } : {}),
            ...(message.campaignId ? { campaignId: message.campaignId } : {}),
          },
        }),
      );
      return { messageId: result.MessageId ?? message.idempotencyKey };
    } catch (error) {
      if (error instanceof ThrottlingException || error instanceof ServiceQuotaExceededException) {
        throw new SmsProviderError(`${error.name}: ${error.message}`, true);
      }
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (error instanceof InternalServerException || status === undefined || status >= 500) throw error; // maybe accepted
      throw new SmsProviderError(`${(error as Error).name}: ${(error as Error).message}`, false);
    }
  }
}
