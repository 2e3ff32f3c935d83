import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { importContacts } from '../app/contacts';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { auditItems, contactItems, orgUnitItems, userItems } from '../runtime/store-modules';
import { json, parseJsonBody, rawBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

const isCsv = (event: HttpEvent) => /^text\/csv\b/i.test(event.headers['content-type'] ?? '');

/** POST /admin/contacts: JSON {"contacts":[...]} or text/csv; one result row per input row. */
export const createAdminContactsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => json(200, await importContacts(deps, isCsv(event) ? { csv: rawBody(event) } : { json: parseJsonBody(event) }, callerOf(event).access)));

export const handler = lambdaEntry(createAdminContactsHandler, dynamodb(auditItems, contactItems, orgUnitItems, userItems), kms);
