import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { upsertOrgUnits } from '../app/org-units';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { orgUnitItems } from '../runtime/store-modules';
import { httpResponses, json, parseJsonBody, requireAdmin, type HttpEvent, type HttpResult } from './middleware';

/** POST /admin/org-units: creates or updates units; a cycle or an unknown parent is a 400. */
export const createAdminOrgUnitsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(httpResponses(deps.logger))
    .use(requireAdmin())
    .handler(async (event) => json(200, await upsertOrgUnits(deps, parseJsonBody(event))));

export const handler = lambdaEntry(createAdminOrgUnitsHandler, dynamodb(orgUnitItems));
