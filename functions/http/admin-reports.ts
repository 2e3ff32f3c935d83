import middy from '@middy/core';
import * as z from '../domain/zod';
import { MAX_ID_LENGTH } from '../domain/primitives';
import type { Deps } from '../app/deps';
import { getReport } from '../app/reports';
import { reportPageData, type ReportPageData } from '../app/report-page';
import { DomainError, invalid, problemsFromZod } from '../domain/errors';
import { negotiateLanguage } from '../domain/text';
import { noReportPage, REPORT_VIEWS, reportPage } from '../pages/report';
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
  /** The page's view (HTML only): the summary by default, or one analysis. */
  view: z.optional(z.enum(REPORT_VIEWS, { error: `expected one of ${REPORT_VIEWS.join(', ')}` })),
  /** The league of every unit at this depth of the tree (HTML only; the root is 0). */
  level: z.optional(z.coerce.number().check(z.int(), z.positive(), z.lte(20))),
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
      const { view, level, lang: langQuery, ...query } = parsed.data;
      if (!wantsHtml(event)) return json(200, await getReport(deps, { surveyId, ...query }, callerOf(event).access));
      let data: ReportPageData;
      try {
        data = await reportPageData(deps, { surveyId, ...query, level }, callerOf(event).access);
      } catch (error) {
        // A reader who asked for a page gets a page that says nothing is there (the 404 stands).
        if (!(error instanceof DomainError && error.kind === 'not-found')) throw error;
        const lang = negotiateLanguage(['zh-CN', 'en'], { query: langQuery, acceptLanguage: event.headers['accept-language'] });
        return html(404, noReportPage(lang, error.message, error.message.startsWith('unknown questionnaire')));
      }
      const languages = data.questionnaire?.languages ?? ['zh-CN', 'en'];
      const lang = negotiateLanguage(languages, { query: langQuery, acceptLanguage: event.headers['accept-language'] });
      return html(200, reportPage(data, lang, view));
    });

export const handler = lambdaEntry(createAdminReportsHandler, dynamodb(auditItems, caseItems, commitmentItems, metricItems, orgUnitItems, reportItems, surveyItems, userItems));
