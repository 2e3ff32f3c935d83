import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { erasePerson, exportPerson, parseSubject } from '../app/privacy';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { auditItems, caseItems, contactItems, invitationItems, orgUnitItems, privacyItems, smsItems, userItems } from '../runtime/store-modules';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';
import { json, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';

/**
 * POST /admin/privacy/erase {"phone"|"email"|"contactId"} and GET /admin/privacy/export?phone=|email=|contactId=:
 * a person's erasure (a receipt of what was erased) and everything held about them (PIPL,
 * docs/privacy.md). Both are audited, the export too: its answer is personal data.
 */
export const createAdminPrivacyHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps, { auditReads: true }))
    .handler(async (event) => {
      const access = callerOf(event).access;
      if (event.routeKey === 'GET /admin/privacy/export') {
        return json(200, await exportPerson(deps, parseSubject(event.queryStringParameters ?? {}, deps.config.defaultRegion), access));
      }
      return json(200, await erasePerson(deps, parseSubject(parseJsonBody(event), deps.config.defaultRegion), access));
    });

export const handler = lambdaEntry(createAdminPrivacyHandler, dynamodb(auditItems, caseItems, contactItems, invitationItems, orgUnitItems, privacyItems, smsItems, userItems), kms);
