import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { importContacts } from '../app/contacts';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { contactItems, orgUnitItems } from '../runtime/store-modules';
import { httpResponses, json, parseJsonBody, rawBody, requireAdmin, type HttpEvent, type HttpResult } from './middleware';

const isCsv = (event: HttpEvent) => /^text\/csv\b/i.test(event.headers['content-type'] ?? '');

/** POST /admin/contacts: JSON {"contacts":[...]} or text/csv; one result row per input row. */
export const createAdminContactsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(httpResponses(deps.logger))
    .use(requireAdmin())
    .handler(async (event) => json(200, await importContacts(deps, isCsv(event) ? { csv: rawBody(event) } : { json: parseJsonBody(event) })));

export const handler = lambdaEntry(createAdminContactsHandler, dynamodb(contactItems, orgUnitItems));
