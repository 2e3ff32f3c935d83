/**
 * Two-way SMS on AWS: End User Messaging publishes inbound messages to an SNS topic as JSON
 * ({originationNumber, destinationNumber, messageBody, ...}); delivery events of the configuration
 * set arrive on the same topic and are logged.
 */
import type { SNSEvent } from 'aws-lambda';
import * as z from '../domain/zod';
import type { Deps } from '../app/deps';
import { handleInboundSms } from '../app/inbound';
import { readE164 } from '../domain/distribution/e164';
import { logSmsEvent } from '../app/sender';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { campaignItems, contactItems, invitationItems, responseItems, smsItems, surveyItems } from '../runtime/store-modules';
import { sms } from '../runtime/sms';

const inboundSchema = z.object({ originationNumber: z.string(), messageBody: z.string(), inboundMessageId: z.optional(z.string()) });
const deliverySchema = z.object({
  eventType: z.string(),
  messageStatus: z.optional(z.string()),
  destinationPhoneNumber: z.string(),
  context: z.optional(z.record(z.string(), z.string())),
});

export const createInboundSmsConsumer = (deps: Deps) => async (event: SNSEvent): Promise<void> => {
  for (const record of event.Records) {
    let payload: unknown;
    try {
      payload = JSON.parse(record.Sns.Message);
    } catch {
      deps.logger.warn('an SNS message that is not JSON was ignored', { messageId: record.Sns.MessageId });
      continue;
    }
    const inbound = inboundSchema.safeParse(payload);
    if (inbound.success) {
      await handleInboundSms(deps, { from: inbound.data.originationNumber, body: inbound.data.messageBody, receivedAt: record.Sns.Timestamp }, readE164);
      continue;
    }
    const delivery = deliverySchema.safeParse(payload);
    if (delivery.success) {
      await logSmsEvent(deps, {
        kind: 'delivery',
        phone: delivery.data.destinationPhoneNumber,
        invitationId: delivery.data.context?.invitationId,
        campaignId: delivery.data.context?.campaignId,
        status: delivery.data.messageStatus ?? delivery.data.eventType,
      });
    }
  }
};

export const handler = lambdaEntry(createInboundSmsConsumer, dynamodb(campaignItems, contactItems, invitationItems, responseItems, smsItems, surveyItems), sms, kms);
