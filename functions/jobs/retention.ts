/**
 * The retention purge, once a day (EventBridge Scheduler on AWS, a timer in the local runtime):
 * functions/app/retention.ts.
 */
import type { Deps } from '../app/deps';
import { runRetention, type RetentionSummary } from '../app/retention';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { caseItems, contactItems, fieldSealingItems, invitationItems, orgUnitItems, privacyItems, retentionItems, smsItems, surveyItems } from '../runtime/store-modules';

export const createRetentionJob = (deps: Deps) => async (): Promise<RetentionSummary> => runRetention(deps);

export const handler = lambdaEntry(createRetentionJob, dynamodb(caseItems, contactItems, fieldSealingItems, invitationItems, orgUnitItems, privacyItems, retentionItems, smsItems, surveyItems), kms);
