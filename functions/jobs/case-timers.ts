/** The case timers on their schedule (every minute): the same code as POST /admin/jobs/case-timers. */
import type { Deps } from '../app/deps';
import { runCaseTimers, type CaseTimersResult } from '../app/case-timers';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { campaignItems, caseItems, commitmentItems, contactItems, invitationItems, orgUnitItems, responseItems, serviceEventItems, surveyItems, userItems } from '../runtime/store-modules';
import { kms } from '../runtime/kms';
import { sms } from '../runtime/sms';

export const createCaseTimersJob = (deps: Deps) => async (): Promise<CaseTimersResult> => runCaseTimers(deps);

export const handler = lambdaEntry(createCaseTimersJob, dynamodb(campaignItems, caseItems, commitmentItems, contactItems, invitationItems, orgUnitItems, responseItems, serviceEventItems, surveyItems, userItems), sms, kms);
