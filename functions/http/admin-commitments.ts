import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { declareCommitments, listCommitments } from '../app/commitments';
import { commitmentCompliance } from '../app/service-event-list';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, commitmentItems, orgUnitItems, userItems } from '../runtime/store-modules';
import { json, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

/**
 * POST /admin/commitments declares service commitments; GET lists them;
 * GET /admin/commitments/compliance?period=&orgUnit=: a unit's stored compliance figures.
 */
export const createAdminCommitmentsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      if (event.routeKey === 'GET /admin/commitments/compliance') return json(200, await commitmentCompliance(deps, event.queryStringParameters, callerOf(event).access));
      return event.requestContext.http.method === 'GET' ? json(200, await listCommitments(deps)) : json(200, await declareCommitments(deps, parseJsonBody(event)));
    });

export const handler = lambdaEntry(createAdminCommitmentsHandler, dynamodb(auditItems, commitmentItems, orgUnitItems, userItems));
