/**
 * GET/POST /s/{token}: the respondent's questionnaire. Browsers get pages (a form post answers
 * with 303 to the thank-you page, or the form again with the problems); API clients posting JSON
 * get JSON.
 */
import middy from '@middy/core';
import type { Deps } from '../app/deps';
import { InvalidAnswersError, answerInvitation, openInvitation, submitResponse, type OpenedInvitation } from '../app/respondent';
import { answersFromForm } from '../domain/answers';
import * as z from '../domain/zod';
import { DomainError, invalid, problemsFromZod, type FailureKind } from '../domain/errors';
import { localize, negotiateLanguage } from '../domain/text';
import { PAGE_LANGUAGES } from '../pages/i18n';
import { messagePage, questionnairePage, type MessagePageKind } from '../pages/respondent';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { caseItems, commitmentItems, invitationItems, orgUnitItems, responseItems, surveyItems, userItems } from '../runtime/store-modules';
import { html, httpResponses, isFormPost, json, parseFormBody, parseJsonBody, type HttpEvent, type HttpResult } from './middleware';

const jsonSubmissionSchema = z.strictObject({
  // Not z.record: it drops a "__proto__" key, which must reach validation and be refused like any unknown key.
  answers: z.custom<Record<string, unknown>>((value) => value !== null && typeof value === 'object' && !Array.isArray(value), { error: 'expected an object of answers by question id' }),
  lang: z.optional(z.string()),
});

const pageOfFailure: Partial<Record<FailureKind, { status: number; kind: MessagePageKind }>> = {
  'not-found': { status: 404, kind: 'notFound' },
  gone: { status: 410, kind: 'expired' },
  conflict: { status: 409, kind: 'answered' },
};

function languageFor(event: HttpEvent, available: readonly string[], formLang?: string): string {
  return negotiateLanguage(available, { query: formLang ?? event.queryStringParameters?.lang, acceptLanguage: event.headers['accept-language'] });
}

/**
 * Opens the invitation and renders with it. A failure the domain reports becomes the page a person
 * should see, in the questionnaire's language once the invitation is open (before, in the pages'
 * own languages); other failures propagate to the error middleware.
 */
async function withInvitation(
  deps: Deps,
  event: HttpEvent,
  token: string,
  formLang: string | undefined,
  render: (opened: OpenedInvitation, lang: string) => Promise<HttpResult>,
): Promise<HttpResult> {
  let lang = languageFor(event, PAGE_LANGUAGES);
  try {
    const opened = await openInvitation(deps, token);
    lang = languageFor(event, opened.questionnaire.languages, formLang);
    return await render(opened, lang);
  } catch (error) {
    const mapped = error instanceof DomainError ? pageOfFailure[error.kind] : undefined;
    if (mapped) return html(mapped.status, messagePage(mapped.kind, lang));
    throw error;
  }
}

const seeOther = (location: string): HttpResult => ({ statusCode: 303, headers: { location, 'cache-control': 'no-store' }, body: '' });

export const createRespondentHandler = (deps: Deps) =>
  middy<HttpEvent, HttpResult>()
    .use(httpResponses(deps.logger))
    .handler(async (event) => {
      const token = event.pathParameters?.token ?? '';
      const method = event.requestContext.http.method;

      if (method === 'GET') {
        return withInvitation(deps, event, token, undefined, async ({ questionnaire, state }, lang) => {
          if (event.routeKey.endsWith('/thanks')) {
            // Thanks only for an answered survey; otherwise the link leads to the questionnaire.
            if (state !== 'answered') return seeOther(`/s/${encodeURIComponent(token)}`);
            return html(200, messagePage('thanks', lang, localize(questionnaire.title, lang, questionnaire.languages[0] ?? lang)));
          }
          if (state === 'expired') return html(410, messagePage('expired', lang));
          if (state === 'answered') return html(200, messagePage('answered', lang));
          return html(200, questionnairePage(questionnaire, lang));
        });
      }

      if (!isFormPost(event)) {
        const parsed = jsonSubmissionSchema.safeParse(parseJsonBody(event));
        if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'expected {"answers": {...}}');
        const { responseId } = await submitResponse(deps, token, { answers: parsed.data.answers, lang: parsed.data.lang ?? '' });
        return json(201, { responseId });
      }

      const fields = parseFormBody(event);
      const formLang = typeof fields.lang === 'string' ? fields.lang : undefined;
      return withInvitation(deps, event, token, formLang, async (opened, lang) => {
        try {
          await answerInvitation(deps, opened, { answers: answersFromForm(opened.questionnaire, fields), lang });
        } catch (error) {
          // Invalid answers get the form again, filled in, with the problems; other failures their page.
          if (error instanceof InvalidAnswersError) return html(400, questionnairePage(opened.questionnaire, lang, { values: fields, problems: error.answerProblems }));
          throw error;
        }
        return seeOther(`/s/${encodeURIComponent(token)}/thanks?lang=${encodeURIComponent(lang)}`);
      });
    });

// Cases open at the submit (./app/case-opening.ts): the rules, the tree, the managers, the calendar settings.
export const handler = lambdaEntry(createRespondentHandler, dynamodb(caseItems, commitmentItems, invitationItems, orgUnitItems, responseItems, surveyItems, userItems));
