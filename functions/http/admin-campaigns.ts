import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { listCampaigns } from '../app/campaign-list';
import { campaignStatus, listCampaignInvitations } from '../app/campaign-status';
import { previewCampaign } from '../app/campaign-preview';
import { testSendCampaign } from '../app/campaign-test-send';
import { createCampaign } from '../app/campaigns';
import { reissueInvitationLink } from '../app/reissue';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { sms } from '../runtime/sms';
import { auditItems, campaignItems, contactItems, invitationItems, orgUnitItems, responseItems, surveyItems, userItems } from '../runtime/store-modules';
import { json, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

/**
 * POST /admin/campaigns: link or SMS campaigns (one invitation per contact, or by schedule/trigger);
 * POST /admin/campaigns/preview: the audience's count and masked sample, the contact rules, and for SMS the texts,
 *   segments and cost, without creating anything;
 * POST /admin/campaigns/test-send: one message of an SMS campaign being made, to the caller's phone;
 * GET /admin/campaigns/{campaignId}: every invitation's status;
 * GET /admin/campaigns: the campaigns the caller may open, newest first (cursor pages);
 * GET /admin/campaigns/{campaignId}/invitations: a page of its invitations, contacts masked unless pii;
 * POST /admin/invitations/{invitationId}/reissue: a new personal link, the old one void.
 */
export const createAdminCampaignsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      if (event.routeKey === 'POST /admin/invitations/{invitationId}/reissue') {
        return json(200, await reissueInvitationLink(deps, event.pathParameters?.invitationId ?? '', event.body ? parseJsonBody(event) : {}, callerOf(event).access));
      }
      if (event.routeKey === 'GET /admin/campaigns/{campaignId}/invitations') {
        return json(200, await listCampaignInvitations(deps, event.pathParameters?.campaignId ?? '', event.queryStringParameters ?? {}, callerOf(event).access));
      }
      if (event.routeKey === 'GET /admin/campaigns') return json(200, await listCampaigns(deps, event.queryStringParameters ?? {}, callerOf(event).access));
      if (event.requestContext.http.method === 'GET') return json(200, await campaignStatus(deps, event.pathParameters?.campaignId ?? '', callerOf(event).access));
      if (event.routeKey.endsWith('/preview')) return json(200, await previewCampaign(deps, parseJsonBody(event), callerOf(event).access));
      if (event.routeKey === 'POST /admin/campaigns/test-send') return json(200, await testSendCampaign(deps, parseJsonBody(event), callerOf(event).access));
      return json(201, await createCampaign(deps, parseJsonBody(event), callerOf(event).access));
    });

export const handler = lambdaEntry(createAdminCampaignsHandler, dynamodb(auditItems, campaignItems, contactItems, invitationItems, orgUnitItems, responseItems, surveyItems, userItems), kms, sms);
