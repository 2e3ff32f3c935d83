import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { listOrgUnitsInScope, upsertOrgUnits } from '../app/org-units';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, orgUnitItems, userItems } from '../runtime/store-modules';
import { isCsv, json, parseJsonBody, rawBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

/**
 * POST /admin/org-units: creates, renames or moves units, from JSON or text/csv (id,name,parentId);
 *   a cycle or an unknown parent is a 400 and changes nothing.
 * GET /admin/org-units: the units in the caller's scope, with their managers.
 */
export const createAdminOrgUnitsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) =>
      event.requestContext.http.method === 'GET'
        ? json(200, await listOrgUnitsInScope(deps, callerOf(event).access))
        : json(200, await upsertOrgUnits(deps, isCsv(event) ? { csv: rawBody(event) } : { json: parseJsonBody(event) }, callerOf(event).access)),
    );

export const handler = lambdaEntry(createAdminOrgUnitsHandler, dynamodb(auditItems, orgUnitItems, userItems));
