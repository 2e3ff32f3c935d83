import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { searchContacts } from '../app/contact-search';
import { importContacts } from '../app/contacts';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { auditItems, contactItems, orgUnitItems, privacyItems, userItems } from '../runtime/store-modules';
import { isCsv, json, parseJsonBody, rawBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

/**
 * POST /admin/contacts: JSON {"contacts":[...]} or text/csv; one result row per input row.
 * GET /admin/contacts?query=&cursor=: the caller's contacts, masked unless pii.
 */
export const createAdminContactsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) =>
      event.requestContext.http.method === 'GET'
        ? json(200, await searchContacts(deps, event.queryStringParameters ?? {}, callerOf(event).access))
        : json(200, await importContacts(deps, isCsv(event) ? { csv: rawBody(event) } : { json: parseJsonBody(event) }, callerOf(event).access)),
    );

export const handler = lambdaEntry(createAdminContactsHandler, dynamodb(auditItems, contactItems, orgUnitItems, privacyItems, userItems), kms);
