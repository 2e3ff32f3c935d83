/**
 * The sender, fed by the dispatch queue. Each record is processed on its own; a record that fails
 * with a fault is reported as a batch item failure, so SQS redelivers only that one (and after
 * maxReceiveCount receives moves it to the dead-letter queue).
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from '../domain/zod';
import type { Deps } from '../app/deps';
import { processDispatchMessage } from '../app/sender';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { campaignItems, contactItems, invitationItems, orgUnitItems, responseItems, smsItems, surveyItems } from '../runtime/store-modules';
import { sms } from '../runtime/sms';

const dispatchMessageSchema = z.object({
  token: z.string().check(z.minLength(1)),
  invitationId: z.string().check(z.minLength(1)),
  campaignId: z.string().check(z.minLength(1)),
  action: z.enum(['invite', 'reminder']),
});

export const createSendSmsConsumer = (deps: Deps) => async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let message: z.output<typeof dispatchMessageSchema>;
    try {
      message = dispatchMessageSchema.parse(JSON.parse(record.body));
    } catch {
      deps.logger.error('malformed dispatch message dropped', { messageId: record.messageId });
      continue; // redelivering cannot fix it
    }
    try {
      await processDispatchMessage(deps, message);
    } catch (error) {
      deps.logger.warn('dispatch message failed; it will be redelivered', { messageId: record.messageId, invitationId: message.invitationId, error: error as Error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

export const handler = lambdaEntry(createSendSmsConsumer, dynamodb(campaignItems, contactItems, invitationItems, orgUnitItems, responseItems, smsItems, surveyItems), sms, kms);
