/**
 * Two-way SMS on AWS: End User Messaging publishes inbound messages to an SNS topic as JSON
 * ({originationNumber, destinationNumber, messageBody, ...}); delivery events of the configuration
 * set arrive on the same topic: logged, and recorded on the message's invitation (app/delivery-receipts.ts).
 */
import type { SNSEvent } from 'aws-lambda';
import * as z from '../domain/zod';
import type { Deps } from '../app/deps';
import { handleInboundSms } from '../app/inbound';
import { readE164 } from '../domain/distribution/e164';
import { recordDeliveryReceipt } from '../app/delivery-receipts';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { campaignItems, caseItems, commitmentItems, contactItems, invitationItems, orgUnitItems, responseItems, smsItems, surveyItems, userItems } from '../runtime/store-modules';
import { sms } from '../runtime/sms';

const inboundSchema = z.object({ originationNumber: z.string(), messageBody: z.string(), inboundMessageId: z.optional(z.string()) });
const deliverySchema = z.object({
  eventType: z.string(),
  messageStatus: z.optional(z.string()),
  destinationPhoneNumber: z.string(),
  /** Epoch milliseconds of the report. */
  eventTimestamp: z.optional(z.number().check(z.int(), z.nonnegative())),
  context: z.optional(z.record(z.string(), z.string())),
});

/** An event time the receipt may carry, as an instant (one outside the Date range is dropped). */
const instantOf = (epochMs: number | undefined): string | undefined => {
  const at = epochMs === undefined ? undefined : new Date(epochMs);
  return at && !Number.isNaN(at.getTime()) ? at.toISOString() : undefined;
};

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
      await handleInboundSms(deps, { from: inbound.data.originationNumber, body: inbound.data.messageBody, receivedAt: record.Sns.Timestamp, messageId: inbound.data.inboundMessageId }, readE164);
      continue;
    }
    const delivery = deliverySchema.safeParse(payload);
    if (delivery.success) {
      const outcome = await recordDeliveryReceipt(deps, {
        eventType: delivery.data.eventType,
        messageStatus: delivery.data.messageStatus,
        phone: delivery.data.destinationPhoneNumber,
        invitationId: delivery.data.context?.invitationId,
        campaignId: delivery.data.context?.campaignId,
        at: instantOf(delivery.data.eventTimestamp),
      });
      if (outcome === 'unknown') deps.logger.warn('a delivery receipt names no stored invitation', { invitationId: delivery.data.context?.invitationId });
    }
  }
};

export const handler = lambdaEntry(createInboundSmsConsumer, dynamodb(campaignItems, caseItems, commitmentItems, contactItems, invitationItems, orgUnitItems, responseItems, smsItems, surveyItems, userItems), sms, kms);
