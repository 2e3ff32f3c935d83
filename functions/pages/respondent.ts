/**
 * The respondent's pages: the questionnaire form (plain HTML form post, works without script) and
 * the message pages (thanks, already answered, expired, not found).
 *
 * The questions of a gap item (SERVQUAL: expected and experienced, optionally the minimum
 * acceptable level) are shown as ONE statement with a rating row each, at the position of the
 * first of them. Their form fields keep the question ids, so answers, validation and storage do
 * not change.
 */
import type { AnswerProblem } from '../domain/answers';
import type { Question, Questionnaire, RatingScale } from '../domain/questionnaire';
import { SERVQUAL_DIMENSIONS } from '../domain/questionnaire/servqual';
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
/** The one explanation of the two ratings of a pair, which every pair refers to. */
const PAIR_HINT_ID = 'pair-hint';

function isChecked(values: FormState['values'], name: string, value: string): boolean {
  const entered = values?.[name];
  return Array.isArray(entered) ? entered.includes(value) : entered === value;
}

const requiredMark = (lang: string) => html`<span class="req" aria-hidden="true">*</span><span class="sr">(${t(lang, 'required')})</span>`;

/**
 * The radio buttons of a rating question. `auto`: a vertical list of named points when the scale
 * has at most 7 and all are named, else a row of numbers; `row`: always the row of numbers (a
 * pair's ratings sit under one statement and must stay short).
 */
function ratingInput(
  question: Extract<Question, { type: 'rating' }>,
  scale: RatingScale,
  lang: string,
  fallback: string,
  state: FormState,
  describedBy: string | undefined,
  layout: 'auto' | 'row' = 'auto',
): Html {
  const points = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
  const labelOf = (value: number) => localize(scale.labels?.[String(value)], lang, fallback);
  const everyPointLabelled = points.every((p) => labelOf(p) !== '');
  const radio = (value: number, text: Html | string) => html`<label class="opt"><input type="radio" name="${question.id}" value="${String(value)}"${
    isChecked(state.values, question.id, String(value)) ? html` checked` : ''
  }${question.required ? html` required` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}><span>${text}</span></label>`;

  if (layout === 'auto' && everyPointLabelled && points.length <= 7) {
    // Few points, all named: a vertical list reads better on a phone than bare numbers.
    return html`<div class="choices">${[...points].reverse().map((p) => radio(p, `${p} · ${labelOf(p)}`))}</div>`;
  }
  const low = labelOf(scale.min);
  const high = labelOf(scale.max);
  // A point's name is read out with its number; the line under the row is for the eyes only.
  const numbered = (p: number) => {
    const label = labelOf(p);
    return label ? html`${String(p)}<span class="sr"> ${label}</span>` : String(p);
  };
  return html`<div class="scale">${points.map((p) => radio(p, numbered(p)))}</div>${
    low || high ? html`<div class="ends" aria-hidden="true"><span>${scale.min} = ${low}</span><span>${scale.max} = ${high}</span></div>` : ''
  }`;
}

function errorOf(state: FormState, questionId: string, lang: string): { problem: AnswerProblem | undefined; text: Html | '' } {
  const problem = state.problems?.find((p) => p.questionId === questionId);
  return { problem, text: problem ? html`<p class="error" id="${errorId(questionId)}">${t(lang, `error.${problem.code}` as MessageKey)}</p>` : '' };
}

function questionBlock(q: Questionnaire, question: Question, position: number, lang: string, state: FormState): Html {
  const fallback = q.languages[0] ?? lang;
  const { problem, text: error } = errorOf(state, question.id, lang);
  const helpText = localize(question.help, lang, fallback);
  const described = [helpText ? `help-${question.id}` : '', problem ? errorId(question.id) : ''].filter(Boolean).join(' ') || undefined;
  const legend = html`${position}. ${localize(question.text, lang, fallback)} ${question.required ? requiredMark(lang) : ''}`;
  const help = helpText ? html`<p class="help" id="help-${question.id}">${helpText}</p>` : '';

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
      // Without script there is no live total: the page states the total and, after a refused
      // submission, what the entered points added up to.
      const entered = question.dimensions
        .map((dimension) => state.values?.[`${question.id}.${dimension.id}`])
        .filter((value): value is string => typeof value === 'string' && value.trim() !== '');
      const enteredSum = entered.every((value) => /^\d+$/.test(value.trim())) ? entered.reduce((sum, value) => sum + Number(value), 0) : undefined;
      const totalId = `total-${question.id}`;
      const describedWithTotal = [totalId, described].filter(Boolean).join(' ');
      input = html`<p class="help" id="${totalId}">${t(lang, 'allocationHint', { total: question.total })}${
        entered.length > 0 && enteredSum !== undefined ? html` <strong>${t(lang, 'allocationSum', { sum: enteredSum })}</strong>` : ''
      }</p><div class="choices">${question.dimensions.map((dimension) => {
        const name = `${question.id}.${dimension.id}`;
        const value = state.values?.[name];
        return html`<label class="alloc">${dimensionLabel(dimension)}<span><input type="number" inputmode="numeric" min="0" max="${String(question.total)}" step="1" name="${name}" value="${
          typeof value === 'string' ? value : ''
        }" aria-describedby="${describedWithTotal}"> ${t(lang, 'points')}</span></label>`;
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

/** The role of a question in a gap item, in the order a pair shows its rows. */
type PairRole = 'adequate' | 'expected' | 'experienced';

interface PairedItem {
  id: string;
  members: { role: PairRole; questionId: string }[];
  /** The statement shown once: the perception question's text (and help). */
  statementQuestionId: string;
}

/** The gap items with at least two rating questions, by each of their question ids. */
export function pairedItems(q: Questionnaire): Map<string, PairedItem> {
  const byQuestion = new Map<string, PairedItem>();
  const isRating = (id: string | undefined): id is string => id !== undefined && q.questions.some((x) => x.id === id && x.type === 'rating');
  for (const dimension of q.gaps?.dimensions ?? []) {
    for (const item of dimension.items) {
      const roles: [PairRole, string | undefined][] = [
        ['adequate', item.adequate],
        ['expected', item.expectation],
        ['experienced', item.perception],
      ];
      const members = roles.flatMap(([role, questionId]) => (isRating(questionId) ? [{ role, questionId }] : []));
      // A question shared by two items (the model does not forbid it) stays in the first one.
      if (members.length < 2 || members.some((m) => byQuestion.has(m.questionId))) continue;
      const paired: PairedItem = { id: item.id, members, statementQuestionId: item.perception };
      for (const member of members) byQuestion.set(member.questionId, paired);
    }
  }
  return byQuestion;
}

/** One statement (a fieldset) with one labelled radio group (a fieldset in it) per role. */
function pairBlock(q: Questionnaire, item: PairedItem, position: number, lang: string, state: FormState, showHint: boolean): Html {
  const fallback = q.languages[0] ?? lang;
  const questionsById = new Map(q.questions.map((x) => [x.id, x]));
  const statement = questionsById.get(item.statementQuestionId);
  const anyRequired = item.members.some((m) => questionsById.get(m.questionId)?.required);
  const anyProblem = item.members.some((m) => state.problems?.some((p) => p.questionId === m.questionId));
  const helpText = localize(statement?.help, lang, fallback);
  const helpId = `help-${item.statementQuestionId}`;
  const hasAdequate = item.members.some((m) => m.role === 'adequate');
  const hint = showHint
    ? html`<p class="help" id="${PAIR_HINT_ID}">${t(lang, 'pairHint')}${hasAdequate ? html` ${t(lang, 'pairHintAdequate')}` : ''}</p>`
    : '';
  const rows = item.members.map(({ role, questionId }) => {
    const question = questionsById.get(questionId);
    const scale = question?.type === 'rating' ? q.scales[question.scale] : undefined;
    if (question?.type !== 'rating' || !scale) return html``;
    const { problem, text: error } = errorOf(state, questionId, lang);
    const described = [PAIR_HINT_ID, helpText ? helpId : '', problem ? errorId(questionId) : ''].filter(Boolean).join(' ');
    return html`<fieldset class="row" id="${fieldId(questionId)}"${problem ? html` aria-invalid="true"` : ''}><legend>${t(lang, `pair.${role}` as MessageKey)}${
      question.required ? html` ${requiredMark(lang)}` : ''
    }</legend>${error}${ratingInput(question, scale, lang, fallback, state, described, 'row')}</fieldset>`;
  });
  return html`<section class="card pair${anyProblem ? ' summary' : ''}" id="pair-${item.id}"><fieldset><legend>${position}. ${localize(statement?.text, lang, fallback)}${
    anyRequired ? html` ${requiredMark(lang)}` : ''
  }</legend>${hint}${helpText ? html`<p class="help" id="${helpId}">${helpText}</p>` : ''}${rows}</fieldset></section>`;
}

/** The form's cards in questionnaire order, numbered; a gap item's questions make one card. */
function formBlocks(q: Questionnaire, pairs: Map<string, PairedItem>, lang: string, state: FormState): Html[] {
  const blocks: Html[] = [];
  const shown = new Set<string>();
  for (const question of q.questions) {
    const pair = pairs.get(question.id);
    if (!pair) {
      blocks.push(questionBlock(q, question, blocks.length + 1, lang, state));
    } else if (!shown.has(pair.id)) {
      blocks.push(pairBlock(q, pair, blocks.length + 1, lang, state, shown.size === 0));
      shown.add(pair.id);
    }
  }
  return blocks;
}

export function questionnairePage(q: Questionnaire, lang: string, state: FormState = {}): string {
  const fallback = q.languages[0] ?? lang;
  const title = localize(q.title, lang, fallback);
  const description = localize(q.description, lang, fallback);
  const others = q.languages.filter((l) => l !== lang);
  const problems = state.problems ?? [];
  const pairs = pairedItems(q);
  const summary =
    problems.length > 0
      ? html`<div class="card summary" role="alert" tabindex="-1" id="errors"><p class="error">${t(lang, 'errorSummary')}</p><ul>${problems.map((p) => {
          const pair = p.questionId ? pairs.get(p.questionId) : undefined;
          const role = pair?.members.find((m) => m.questionId === p.questionId)?.role;
          const question = q.questions.find((x) => x.id === (pair ? pair.statementQuestionId : p.questionId));
          const text = question ? localize(question.text, lang, fallback) : p.path;
          // A pair's rows share one statement: the link names the row too.
          const label = role ? `${text} (${t(lang, `pair.${role}` as MessageKey)})` : text;
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
${formBlocks(q, pairs, lang, state)}
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
