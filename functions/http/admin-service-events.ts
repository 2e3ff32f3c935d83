import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { recordServiceEvent } from '../app/events';
import { listServiceEvents } from '../app/service-event-list';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { auditItems, campaignItems, caseItems, commitmentItems, contactItems, invitationItems, orgUnitItems, serviceEventItems, userItems } from '../runtime/store-modules';
import { json, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

/**
 * POST /admin/service-events: 201 when recorded, 200 when the same event was recorded before.
 * GET /admin/service-events?period=&orgUnit=&cursor=: a month's events in the caller's scope.
 */
export const createAdminServiceEventsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      if (event.requestContext.http.method === 'GET') return json(200, await listServiceEvents(deps, event.queryStringParameters, callerOf(event).access));
      const result = await recordServiceEvent(deps, parseJsonBody(event), callerOf(event).access);
      return json(result.status === 'created' ? 201 : 200, result);
    });

export const handler = lambdaEntry(createAdminServiceEventsHandler, dynamodb(auditItems, campaignItems, caseItems, commitmentItems, contactItems, invitationItems, orgUnitItems, serviceEventItems, userItems), kms);
