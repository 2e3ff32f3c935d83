import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { declareCommitments, listCommitments } from '../app/commitments';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { commitmentItems } from '../runtime/store-modules';
import { httpResponses, json, parseJsonBody, requireAdmin, type HttpEvent, type HttpResult } from './middleware';

/** POST /admin/commitments declares service commitments; GET lists them. */
export const createAdminCommitmentsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(httpResponses(deps.logger))
    .use(requireAdmin())
    .handler(async (event) =>
      event.requestContext.http.method === 'GET' ? json(200, await listCommitments(deps)) : json(200, await declareCommitments(deps, parseJsonBody(event))),
    );

export const handler = lambdaEntry(createAdminCommitmentsHandler, dynamodb(commitmentItems));
