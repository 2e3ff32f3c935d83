import middy from '@middy/core';
import * as z from '../domain/zod';
import type { Deps } from '../app/deps';
import { computeIndices } from '../app/compute';
import { runDispatch } from '../app/dispatch';
import { invalid, problemsFromZod } from '../domain/errors';
import { PERIOD_PATTERN } from '../domain/period';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { kms } from '../runtime/kms';
import { auditItems, campaignItems, checkpointItems, commitmentItems, contactItems, invitationItems, orgUnitItems, reportItems, responseItems, serviceEventItems, surveyItems, userItems } from '../runtime/store-modules';
import { sqs } from '../runtime/sqs';
import { json, rawBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';

const computeRequestSchema = z.strictObject({
  period: z.optional(z.string().check(z.regex(PERIOD_PATTERN, { error: 'expected a month written YYYY-MM' }))),
  /** Read every response again instead of only those since the last checkpoint. */
  full: z.optional(z.boolean()),
});

/**
 * POST /admin/jobs/compute-indices and POST /admin/jobs/dispatch: run the scheduled computation or
 * the dispatcher now (the same code as their schedules).
 */
export const createAdminJobsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      const text = rawBody(event).trim();
      let body: unknown = {};
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          throw invalid([{ path: '(body)', message: 'the body is not valid JSON' }]);
        }
      }
      if (event.routeKey.endsWith('/dispatch')) return json(200, await runDispatch(deps));
      const parsed = computeRequestSchema.safeParse(body);
      if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues));
      return json(200, await computeIndices(deps, parsed.data));
    });

export const handler = lambdaEntry(createAdminJobsHandler, dynamodb(auditItems, campaignItems, checkpointItems, commitmentItems, contactItems, invitationItems, orgUnitItems, reportItems, responseItems, serviceEventItems, surveyItems, userItems), sqs, kms);
