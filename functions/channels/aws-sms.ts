/**
 * Outbound SMS through AWS End User Messaging SMS (the PinpointSMSVoiceV2 API, SendTextMessage).
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
  private readonly client = new PinpointSMSVoiceV2Client({});

  constructor(private readonly options: { originationIdentity?: string | undefined; configurationSet?: string | undefined }) {}

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
      const retryable = error instanceof ThrottlingException || error instanceof ServiceQuotaExceededException || error instanceof InternalServerException;
      throw new SmsProviderError(`${(error as Error).name}: ${(error as Error).message}`, retryable);
    }
  }
}
