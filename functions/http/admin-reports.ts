import middy from '@middy/core';
import * as z from 'zod';
import type { Deps } from '../app/deps';
import { getReport } from '../app/reports';
import { invalid, problemsFromZod } from '../domain/errors';
import { negotiateLanguage } from '../domain/text';
import { reportPage } from '../pages/report';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { html, httpErrors, json, requireAdmin, type HttpEvent, type HttpResult } from './middleware';

const reportQuerySchema = z.object({
  period: z.string().optional(),
  orgUnit: z.string().min(1).optional(),
  version: z.coerce.number().int().positive().optional(),
  lang: z.string().optional(),
  panel: z.literal('mystery').optional(),
});

const wantsHtml = (event: HttpEvent): boolean => {
  const accept = event.headers.accept ?? '';
  return accept.includes('text/html') && !accept.startsWith('application/json');
};

/** GET /admin/reports/{surveyId}: JSON, or a readable page for `Accept: text/html`. */
export const createAdminReportsHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(httpErrors(deps.logger))
    .use(requireAdmin())
    .handler(async (event) => {
      const parsed = reportQuerySchema.safeParse(event.queryStringParameters ?? {});
      if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues));
      const surveyId = event.pathParameters?.surveyId ?? '';
      const report = await getReport(deps, { surveyId, ...parsed.data });
      if (!wantsHtml(event)) return json(200, report);
      const survey = await deps.store.getSurveyVersion(report.surveyId, report.version);
      const languages = survey?.definition.languages ?? ['zh-CN', 'en'];
      const lang = negotiateLanguage(languages, { query: parsed.data.lang, acceptLanguage: event.headers['accept-language'] });
      return html(200, reportPage(report, survey?.definition, lang));
    });

export const handler = lambdaEntry(createAdminReportsHandler, dynamodb);
