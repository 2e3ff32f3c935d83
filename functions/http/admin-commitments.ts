import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { declareCommitments, listCommitments } from '../app/commitments';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, commitmentItems, orgUnitItems, userItems } from '../runtime/store-modules';
import { json, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';

/** POST /admin/commitments declares service commitments; GET lists them. */
export const createAdminCommitmentsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) =>
      event.requestContext.http.method === 'GET' ? json(200, await listCommitments(deps)) : json(200, await declareCommitments(deps, parseJsonBody(event))),
    );

export const handler = lambdaEntry(createAdminCommitmentsHandler, dynamodb(auditItems, commitmentItems, orgUnitItems, userItems));
