import middy from '@middy/core';
import { listAudit } from '../app/audit';
import type { Deps } from '../app/deps';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, orgUnitItems, userItems } from '../runtime/store-modules';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';
import { json, type HttpEvent, type HttpResult } from './middleware';

/** GET /admin/audit?from=&to=&userId=&orgUnit=: the audit trail within the caller's scope, newest first. */
export const createAdminAuditHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => json(200, await listAudit(deps, event.queryStringParameters ?? {}, callerOf(event).access)));

export const handler = lambdaEntry(createAdminAuditHandler, dynamodb(auditItems, orgUnitItems, userItems));
