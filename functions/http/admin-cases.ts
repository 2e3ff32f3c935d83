import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { runCaseTimers } from '../app/case-timers';
import { caseView, listAlertRules, listCases, openManualCase, putAlertRule, readCaseSettings, takeCaseEvent, writeCaseSettings } from '../app/cases';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { sms } from '../runtime/sms';
import { auditItems, campaignItems, caseItems, commitmentItems, contactItems, invitationItems, orgUnitItems, responseItems, serviceEventItems, surveyItems, userItems } from '../runtime/store-modules';
import { json, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

/**
 * The case routes (docs/api.md, "Cases"): a case by hand, the inbox, a case and its events, the
 * alert rules added through the API, the organisation's case settings, and POST
 * /admin/jobs/case-timers (the CaseTimers schedule's code, run now).
 */
export const createAdminCasesHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      const { access } = callerOf(event);
      const caseId = event.pathParameters?.caseId ?? '';
      switch (event.routeKey) {
        case 'POST /admin/cases': {
          const result = await openManualCase(deps, parseJsonBody(event), access, event.headers['idempotency-key']);
          return json(result.status === 'created' ? 201 : 200, result.case);
        }
        case 'GET /admin/cases':
          return json(200, await listCases(deps, event.queryStringParameters, access));
        case 'GET /admin/cases/{caseId}':
          return json(200, await caseView(deps, caseId, access));
        case 'POST /admin/cases/{caseId}/events':
          return json(200, await takeCaseEvent(deps, caseId, parseJsonBody(event), access));
        case 'POST /admin/alert-rules': {
          const result = await putAlertRule(deps, parseJsonBody(event), access);
          return json(result.status === 'created' ? 201 : 200, result.rule);
        }
        case 'GET /admin/alert-rules':
          return json(200, await listAlertRules(deps, access));
        case 'POST /admin/jobs/case-timers':
          return json(200, await runCaseTimers(deps));
        case 'PUT /admin/case-settings':
          return json(200, await writeCaseSettings(deps, parseJsonBody(event), access));
        default:
          return json(200, await readCaseSettings(deps));
      }
    });

// A case view reads the invitation (its contact, sealed: kms) and the response that opened it.
export const handler = lambdaEntry(createAdminCasesHandler, dynamodb(auditItems, campaignItems, caseItems, commitmentItems, contactItems, invitationItems, orgUnitItems, responseItems, serviceEventItems, surveyItems, userItems), kms, sms);
