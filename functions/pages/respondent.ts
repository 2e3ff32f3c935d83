/**
 * The respondent's pages: the questionnaire form (plain HTML form post, works without script) and
 * the message pages (thanks, already answered, expired, not found).
 */
import type { AnswerProblem } from '../domain/answers';
import { SERVQUAL_DIMENSIONS, type Question, type Questionnaire, type RatingScale } from '../domain/questionnaire';
import { localize } from '../domain/text';
import { html, type Html } from './html';
import { t, type MessageKey } from './i18n';
import { page } from './layout';

export interface FormState {
  /** What the respondent entered, to refill the form after an error. */
  values?: Record<string, string | string[]>;
  problems?: AnswerProblem[];
}

const fieldId = (questionId: string) => `q-${questionId}`;

/** A language's name in that language ("English", "中文"), for the language switch. */
function languageName(lang: string): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language', languageDisplay: 'standard' }).of(lang.split('-')[0] ?? lang);
    return name ?? lang;
  } catch {
    return lang;
  }
}
const errorId = (questionId: string) => `err-${questionId}`;

function isChecked(values: FormState['values'], name: string, value: string): boolean {
  const entered = values?.[name];
  return Array.isArray(entered) ? entered.includes(value) : entered === value;
}

function ratingInput(question: Extract<Question, { type: 'rating' }>, scale: RatingScale, lang: string, fallback: string, state: FormState, describedBy: string | undefined): Html {
  const points = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
  const labelOf = (value: number) => localize(scale.labels?.[String(value)], lang, fallback);
  const everyPointLabelled = points.every((p) => labelOf(p) !== '');
  const radio = (value: number, text: string) => html`<label class="opt"><input type="radio" name="${question.id}" value="${String(value)}"${
    isChecked(state.values, question.id, String(value)) ? html` checked` : ''
  }${question.required ? html` required` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}><span>${text}</span></label>`;

  if (everyPointLabelled && points.length <= 7) {
    // Few points, all named: a vertical list reads better on a phone than bare numbers.
    return html`<div class="choices">${[...points].reverse().map((p) => radio(p, `${p} · ${labelOf(p)}`))}</div>`;
  }
  const low = labelOf(scale.min);
  const high = labelOf(scale.max);
  return html`<div class="scale">${points.map((p) => radio(p, String(p)))}</div>${
    low || high ? html`<div class="ends" aria-hidden="true"><span>${scale.min} = ${low}</span><span>${scale.max} = ${high}</span></div>` : ''
  }`;
}

function questionBlock(q: Questionnaire, question: Question, position: number, lang: string, state: FormState): Html {
  const fallback = q.languages[0] ?? lang;
  const problem = state.problems?.find((p) => p.questionId === question.id);
  const helpText = localize(question.help, lang, fallback);
  const described = [helpText ? `help-${question.id}` : '', problem ? errorId(question.id) : ''].filter(Boolean).join(' ') || undefined;
  const legend = html`${position}. ${localize(question.text, lang, fallback)} ${
    question.required ? html`<span class="req" aria-hidden="true">*</span><span class="sr">(${t(lang, 'required')})</span>` : ''
  }`;
  const help = helpText ? html`<p class="help" id="help-${question.id}">${helpText}</p>` : '';
  const error = problem ? html`<p class="error" id="${errorId(question.id)}">${t(lang, `error.${problem.code}` as MessageKey)}</p>` : '';

  let input: Html;
  switch (question.type) {
    case 'rating': {
      const scale = q.scales[question.scale];
      input = scale ? ratingInput(question, scale, lang, fallback, state, described) : html``;
      break;
    }
    case 'choice': {
      const type = question.multiple ? 'checkbox' : 'radio';
      input = html`<div class="choices">${question.options.map(
        (option) => html`<label class="opt"><input type="${type}" name="${question.id}" value="${option.value}"${
          isChecked(state.values, question.id, option.value) ? html` checked` : ''
        }${question.required && !question.multiple ? html` required` : ''}${described ? html` aria-describedby="${described}"` : ''}><span>${localize(option.text, lang, fallback)}</span></label>`,
      )}</div>`;
      break;
    }
    case 'allocation': {
      const dimensionLabel = (dimension: { id: string; text?: Record<string, string> }) => {
        if (dimension.text) return localize(dimension.text, lang, fallback);
        const title = q.gaps?.dimensions.find((d) => d.id === dimension.id)?.title;
        if (title) return localize(title, lang, fallback);
        return (SERVQUAL_DIMENSIONS as readonly string[]).includes(dimension.id) ? t(lang, dimension.id as MessageKey) : dimension.id;
      };
      input = html`<div class="choices">${question.dimensions.map((dimension) => {
        const name = `${question.id}.${dimension.id}`;
        const value = state.values?.[name];
        return html`<label class="alloc">${dimensionLabel(dimension)}<span><input type="number" inputmode="numeric" min="0" max="${String(question.total)}" step="1" name="${name}" value="${typeof value === 'string' ? value : ''}"${
          described ? html` aria-describedby="${described}"` : ''
        }> ${t(lang, 'points')}</span></label>`;
      })}</div>`;
      break;
    }
    case 'text': {
      const value = state.values?.[question.id];
      input = html`<textarea id="${fieldId(question.id)}-input" name="${question.id}" maxlength="${String(question.maxLength)}"${
        question.required ? html` required` : ''
      }${described ? html` aria-describedby="${described}"` : ''}${problem ? html` aria-invalid="true" class="invalid"` : ''}>${typeof value === 'string' ? value : ''}</textarea>`;
      break;
    }
  }
  const body =
    question.type === 'text'
      ? html`<label for="${fieldId(question.id)}-input"><strong>${legend}</strong></label>${help}${error}${input}`
      : html`<fieldset${problem ? html` aria-invalid="true"` : ''}><legend>${legend}</legend>${help}${error}${input}</fieldset>`;
  return html`<section class="card${problem ? ' summary' : ''}" id="${fieldId(question.id)}">${body}</section>`;
}

export function questionnairePage(q: Questionnaire, lang: string, state: FormState = {}): string {
  const fallback = q.languages[0] ?? lang;
  const title = localize(q.title, lang, fallback);
  const description = localize(q.description, lang, fallback);
  const others = q.languages.filter((l) => l !== lang);
  const problems = state.problems ?? [];
  const summary =
    problems.length > 0
      ? html`<div class="card summary" role="alert" tabindex="-1" id="errors"><p class="error">${t(lang, 'errorSummary')}</p><ul>${problems.map((p) => {
          const question = q.questions.find((x) => x.id === p.questionId);
          const label = question ? localize(question.text, lang, fallback) : p.path;
          return html`<li><a href="#${fieldId(p.questionId ?? '')}">${label}</a></li>`;
        })}</ul></div>`
      : '';
  return page({
    lang,
    title,
    body: [
      others.length > 0
        ? html`<p class="lang">${others.map((l) => html`<a href="?lang=${encodeURIComponent(l)}" hreflang="${l}" lang="${l}">${languageName(l)}</a> `)}</p>`
        : html``,
      html`<h1>${title}</h1>`,
      // A questionnaire's own introduction speaks about confidentiality; otherwise the page does.
      description ? html`<p>${description}</p>` : html`<p class="muted">${t(lang, 'privacy')}</p>`,
      summary || html``,
      html`<form method="post" action="" novalidate>
<input type="hidden" name="lang" value="${lang}">
${q.questions.map((question, i) => questionBlock(q, question, i + 1, lang, state))}
<button type="submit">${t(lang, 'submit')}</button>
</form>`,
    ],
  });
}

export type MessagePageKind = 'thanks' | 'answered' | 'expired' | 'notFound';

export function messagePage(kind: MessagePageKind, lang: string, surveyTitle?: string): string {
  const title = t(lang, `${kind}Title` as MessageKey);
  return page({
    lang,
    title,
    body: html`<div class="card" role="status">${surveyTitle ? html`<p class="muted">${surveyTitle}</p>` : ''}<h1>${title}</h1><p>${t(lang, `${kind}Body` as MessageKey)}</p></div>`,
  });
}
