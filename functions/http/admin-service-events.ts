import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { recordServiceEvent } from '../app/events';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { campaignItems, contactItems, invitationItems, orgUnitItems, serviceEventItems } from '../runtime/store-modules';
import { httpResponses, json, parseJsonBody, requireAdmin, type HttpEvent, type HttpResult } from './middleware';

/** POST /admin/service-events: 201 when recorded, 200 when the same event was recorded before. */
export const createAdminServiceEventsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(httpResponses(deps.logger))
    .use(requireAdmin())
    .handler(async (event) => {
      const result = await recordServiceEvent(deps, parseJsonBody(event));
      return json(result.status === 'created' ? 201 : 200, result);
    });

export const handler = lambdaEntry(createAdminServiceEventsHandler, dynamodb(campaignItems, contactItems, invitationItems, orgUnitItems, serviceEventItems));
