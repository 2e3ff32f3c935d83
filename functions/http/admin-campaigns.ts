import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { createCampaign } from '../app/campaigns';
import { lambdaEntry } from './lambda';
import { httpErrors, json, parseJsonBody, requestOrigin, requireAdmin, type HttpEvent, type HttpResult } from './middleware';

/** POST /admin/campaigns: one invitation (secret token, personal link) per contact. */
export const createAdminCampaignsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(httpErrors(deps.logger))
    .use(requireAdmin())
    .handler(async (event) => json(201, await createCampaign(deps, parseJsonBody(event), requestOrigin(event))));

export const handler = lambdaEntry(createAdminCampaignsHandler);
