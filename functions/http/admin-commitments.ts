import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { declareCommitments, listCommitments } from '../app/commitments';
import { commitmentCompliance } from '../app/service-event-list';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, commitmentItems, metricItems, orgUnitItems, surveyItems, userItems } from '../runtime/store-modules';
import { isCsv, json, parseJsonBody, rawBody, type HttpEvent, type HttpResult } from './middleware';
import { listMetrics, postMetrics } from '../app/metrics';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

/**
 * POST /admin/commitments declares service commitments; GET lists them;
 * GET /admin/commitments/compliance?period=&orgUnit=: a unit's stored compliance figures.
 * POST /admin/metrics (JSON or text/csv) and GET /admin/metrics: the operating figures per unit and period.
 */
export const createAdminCommitmentsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      if (event.routeKey === 'GET /admin/commitments/compliance') return json(200, await commitmentCompliance(deps, event.queryStringParameters, callerOf(event).access));
      if (event.routeKey === 'POST /admin/metrics') return json(200, await postMetrics(deps, isCsv(event) ? { csv: rawBody(event) } : { json: parseJsonBody(event) }, callerOf(event).access));
      if (event.routeKey === 'GET /admin/metrics') return json(200, await listMetrics(deps, event.queryStringParameters, callerOf(event).access));
      return event.requestContext.http.method === 'GET' ? json(200, await listCommitments(deps)) : json(200, await declareCommitments(deps, parseJsonBody(event)));
    });

export const handler = lambdaEntry(createAdminCommitmentsHandler, dynamodb(auditItems, commitmentItems, metricItems, orgUnitItems, surveyItems, userItems));
