/** The dispatcher on its schedule (every minute): the same code as POST /admin/jobs/dispatch. */
import type { Deps } from '../app/deps';
import { runDispatch, type DispatchSummary } from '../app/dispatch';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { campaignItems, contactItems, invitationItems, orgUnitItems } from '../runtime/store-modules';
import { sqs } from '../runtime/sqs';

export const createDispatchJob = (deps: Deps) => async (): Promise<DispatchSummary> => runDispatch(deps);

export const handler = lambdaEntry(createDispatchJob, dynamodb(campaignItems, contactItems, invitationItems, orgUnitItems), sqs, kms);
