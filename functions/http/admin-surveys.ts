import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { publishSurvey } from '../app/surveys';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, orgUnitItems, surveyItems, userItems } from '../runtime/store-modules';
import { json, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';

/** POST /admin/surveys: 201 when published, 200 when the same version was already published identically. */
export const createAdminSurveysHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      const result = await publishSurvey(deps, parseJsonBody(event));
      return json(result.status === 'created' ? 201 : 200, { surveyId: result.surveyId, version: result.version, warnings: result.warnings });
    });

export const handler = lambdaEntry(createAdminSurveysHandler, dynamodb(auditItems, orgUnitItems, surveyItems, userItems));
