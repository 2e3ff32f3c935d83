import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { createUser, listUsers, me, patchUser } from '../app/users';
import { lambdaEntry } from '../runtime/lambda-entry';
import { cognito } from '../runtime/cognito';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, orgUnitItems, userItems } from '../runtime/store-modules';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';
import { json, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';

/**
 * POST /admin/users (201 {"userId"}, locally with a one-time "temporaryPassword" when no password
 * was given), GET /admin/users, PATCH /admin/users/{userId}, GET /admin/me.
 */
export const createAdminUsersHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      const caller = callerOf(event);
      switch (event.routeKey) {
        case 'GET /admin/me':
          return json(200, me(caller.access, caller.user, caller.passwordChangeRequired));
        case 'GET /admin/users':
          return json(200, await listUsers(deps, caller.access));
        case 'PATCH /admin/users/{userId}':
          return json(200, await patchUser(deps, event.pathParameters?.userId ?? '', parseJsonBody(event), caller.access));
        default:
          return json(201, await createUser(deps, parseJsonBody(event), caller.access));
      }
    });

export const handler = lambdaEntry(createAdminUsersHandler, dynamodb(auditItems, orgUnitItems, userItems), cognito);
