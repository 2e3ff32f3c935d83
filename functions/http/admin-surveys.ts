import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { publishSurvey } from '../app/surveys';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { surveyItems } from '../runtime/store-modules';
import { httpResponses, json, parseJsonBody, requireAdmin, type HttpEvent, type HttpResult } from './middleware';

/** POST /admin/surveys: 201 when published, 200 when the same version was already published identically. */
export const createAdminSurveysHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(httpResponses(deps.logger))
    .use(requireAdmin())
    .handler(async (event) => {
      const result = await publishSurvey(deps, parseJsonBody(event));
      return json(result.status === 'created' ? 201 : 200, { surveyId: result.surveyId, version: result.version, warnings: result.warnings });
    });

export const handler = lambdaEntry(createAdminSurveysHandler, dynamodb(surveyItems));
