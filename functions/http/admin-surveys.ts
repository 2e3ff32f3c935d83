import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { archiveSurvey, getSurveyVersionOf, listSurveys } from '../app/survey-catalogue';
import { getSurveyDraft, publishSurveyDraft, saveSurveyDraft } from '../app/survey-drafts';
import { publishSurvey } from '../app/surveys';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, orgUnitItems, reportItems, surveyItems, userItems } from '../runtime/store-modules';
import { json, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

/**
 * POST /admin/surveys: 201 when published, 200 when the same version was already published
 * identically. The console's routes (docs/api.md, Questionnaires): GET /admin/surveys, a version,
 * the draft (GET, PUT, publish) and archiving.
 */
export const createAdminSurveysHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      const surveyId = event.pathParameters?.surveyId ?? '';
      switch (event.routeKey) {
        case 'GET /admin/surveys':
          return json(200, await listSurveys(deps, event.queryStringParameters ?? {}, callerOf(event).access));
        case 'GET /admin/surveys/{surveyId}/versions/{version}':
          return json(200, await getSurveyVersionOf(deps, surveyId, event.pathParameters?.version ?? ''));
        case 'GET /admin/surveys/{surveyId}/draft':
          return json(200, await getSurveyDraft(deps, surveyId));
        case 'PUT /admin/surveys/{surveyId}/draft':
          return json(200, await saveSurveyDraft(deps, surveyId, parseJsonBody(event), callerOf(event).access));
        case 'POST /admin/surveys/{surveyId}/draft/publish':
          return json(201, await publishSurveyDraft(deps, surveyId, event.body ? parseJsonBody(event) : {}));
        case 'POST /admin/surveys/{surveyId}/archive':
          return json(200, await archiveSurvey(deps, surveyId, parseJsonBody(event)));
        default: {
          const result = await publishSurvey(deps, parseJsonBody(event));
          return json(result.status === 'created' ? 201 : 200, { surveyId: result.surveyId, version: result.version, warnings: result.warnings });
        }
      }
    });

export const handler = lambdaEntry(createAdminSurveysHandler, dynamodb(auditItems, orgUnitItems, reportItems, surveyItems, userItems));
