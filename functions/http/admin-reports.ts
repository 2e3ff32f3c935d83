import middy from '@middy/core';
import * as z from '../domain/zod';
import { MAX_ID_LENGTH } from '../domain/primitives';
import type { Deps } from '../app/deps';
import { getReport } from '../app/reports';
import { DomainError, invalid, problemsFromZod } from '../domain/errors';
import { negotiateLanguage } from '../domain/text';
import { noReportPage, reportPage } from '../pages/report';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { auditItems, caseItems, commitmentItems, metricItems, orgUnitItems, reportItems, surveyItems, userItems } from '../runtime/store-modules';
import { html, json, type HttpEvent, type HttpResult } from './middleware';
import { adminRoute } from './admin-route';
import { callerOf } from './caller';

const reportQuerySchema = z.object({
  period: z.optional(z.string()),
  orgUnit: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH))),
  version: z.optional(z.coerce.number().check(z.int(), z.positive())),
  lang: z.optional(z.string()),
  panel: z.optional(z.literal('mystery')),
});

const wantsHtml = (event: HttpEvent): boolean => {
  const accept = event.headers.accept ?? '';
  return accept.includes('text/html') && !accept.startsWith('application/json');
};

/** GET /admin/reports/{surveyId}: JSON, or a readable page for `Accept: text/html` (exports: ./report-exports.ts). */
export const createAdminReportsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(adminRoute(deps))
    .handler(async (event) => {
      const surveyId = event.pathParameters?.surveyId ?? '';
      const parsed = reportQuerySchema.safeParse(event.queryStringParameters ?? {});
      if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues));
      if (!wantsHtml(event)) return json(200, await getReport(deps, { surveyId, ...parsed.data }, callerOf(event).access));
      let report: Awaited<ReturnType<typeof getReport>>;
      try {
        report = await getReport(deps, { surveyId, ...parsed.data }, callerOf(event).access);
      } catch (error) {
        // A reader who asked for a page gets a page that says nothing is there (the 404 stands).
        if (!(error instanceof DomainError && error.kind === 'not-found')) throw error;
        const lang = negotiateLanguage(['zh-CN', 'en'], { query: parsed.data.lang, acceptLanguage: event.headers['accept-language'] });
        return html(404, noReportPage(lang, error.message, error.message.startsWith('unknown questionnaire')));
      }
      const [survey, units] = await Promise.all([deps.store.getSurveyVersion(report.surveyId, report.version), report.path.length > 1 ? deps.store.listOrgUnits() : Promise.resolve([])]);
      const languages = survey?.definition.languages ?? ['zh-CN', 'en'];
      const lang = negotiateLanguage(languages, { query: parsed.data.lang, acceptLanguage: event.headers['accept-language'] });
      return html(200, reportPage(report, survey?.definition, lang, new Map(units.map((unit) => [unit.id, unit.name]))));
    });

export const handler = lambdaEntry(createAdminReportsHandler, dynamodb(auditItems, caseItems, commitmentItems, metricItems, orgUnitItems, reportItems, surveyItems, userItems));
