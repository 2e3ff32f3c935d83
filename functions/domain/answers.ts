/**
 * A respondent's answers, validated against the questionnaire. The zod schema is built from the
 * questionnaire itself, so the page, the JSON API and (later) SMS replies share one rule set.
 */
import * as z from './zod';
import type { Question, Questionnaire } from './questionnaire/schema';
import type { Answers } from './scoring';

export type AnswerProblemCode =
  | 'required'
  | 'out_of_range'
  | 'not_a_number'
  | 'invalid_option'
  | 'too_long'
  | 'unknown_question'
  | 'allocation_total'
  | 'invalid';

/** The message of an allocation whose points do not add up (recognised when mapping issues to codes). */
const ALLOCATION_TOTAL = 'the points must add up to';

export interface AnswerProblem {
  /** `answers.<questionId>`, or `answers` for problems with the whole set. */
  path: string;
  questionId?: string;
  code: AnswerProblemCode;
  message: string;
}

function validatorFor(question: Question, questionnaire: Questionnaire): z.ZodMiniType {
  switch (question.type) {
    case 'rating': {
      const scale = questionnaire.scales[question.scale];
      const min = scale?.min ?? 0;
      const max = scale?.max ?? 0;
      return z
        .number({ error: (issue) => (issue.input === undefined ? 'an answer is required' : 'expected a number') })
        .check(
          z.int({ error: `expected a whole number from ${min} to ${max}` }),
          z.gte(min, { error: `expected a whole number from ${min} to ${max}` }),
          z.lte(max, { error: `expected a whole number from ${min} to ${max}` }),
        );
    }
    case 'text':
      return z
        .string({ error: (issue) => (issue.input === undefined ? 'an answer is required' : 'expected text') })
        .check(
          z.trim(),
          z.minLength(1, { error: 'an answer is required' }),
          z.maxLength(question.maxLength, { error: `at most ${question.maxLength} characters` }),
        );
    case 'choice': {
      const values = question.options.map((o) => o.value);
      const option = z.enum(values as [string, ...string[]], { error: `expected one of: ${values.join(', ')}` });
      return question.multiple
        ? z
            .array(option)
            .check(
              z.minLength(1, { error: 'an answer is required' }),
              z.refine((chosen) => new Set(chosen).size === chosen.length, { error: 'an option is chosen twice' }),
            )
        : option;
    }
    case 'allocation': {
      const points = z.int({ error: 'expected whole points' }).check(z.gte(0, { error: 'points cannot be negative' }), z.lte(question.total));
      return z
        .strictObject(Object.fromEntries(question.dimensions.map((d) => [d.id, z._default(points, 0)])), { error: 'expected points per dimension' })
        .check(
          z.refine((allocation) => Object.values(allocation).reduce((sum: number, v) => sum + (v as number), 0) === question.total, {
            error: (issue) => {
              const sum = Object.values(issue.input as Record<string, number>).reduce((total, v) => total + v, 0);
              return `${ALLOCATION_TOTAL} ${question.total} (they add up to ${sum})`;
            },
          }),
        );
    }
  }
}

/**
 * The answers schema of each questionnaire object, built once: a published version is immutable
 * and the store keeps its definition in memory, so every submit of a version reuses its schema
 * (building it took most of a submit's validation time).
 */
const schemas = new WeakMap<Questionnaire, ReturnType<typeof buildAnswersSchema>>();

export function answersSchema(questionnaire: Questionnaire): ReturnType<typeof buildAnswersSchema> {
  let schema = schemas.get(questionnaire);
  if (!schema) {
    schema = buildAnswersSchema(questionnaire);
    schemas.set(questionnaire, schema);
  }
  return schema;
}

function buildAnswersSchema(questionnaire: Questionnaire) {
  const shape = Object.fromEntries(
    questionnaire.questions.map((question) => {
      const validator = validatorFor(question, questionnaire);
      return [question.id, question.required ? validator : z.optional(validator)];
    }),
  );
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown question(s): ${issue.keys.join(', ')}` : 'expected an object of answers') });
}

/** `answered`: whether the respondent gave anything for the question (zod issues do not carry the input). */
function codeOf(issue: z.core.$ZodIssue, question: Question | undefined, answered: boolean): AnswerProblemCode {
  if (issue.code === 'unrecognized_keys') return 'unknown_question';
  if (issue.code === 'custom' && issue.message.startsWith(ALLOCATION_TOTAL)) return 'allocation_total';
  if (issue.code === 'invalid_type') return !answered ? 'required' : question?.type === 'rating' ? 'not_a_number' : 'invalid';
  if (issue.code === 'invalid_value') return 'invalid_option';
  if (issue.code === 'too_small') return question?.type === 'rating' ? 'out_of_range' : 'required';
  if (issue.code === 'too_big') return question?.type === 'rating' ? 'out_of_range' : 'too_long';
  if (issue.code === 'invalid_format' || issue.code === 'not_multiple_of') return question?.type === 'rating' ? 'not_a_number' : 'invalid';
  return 'invalid';
}

export type AnswerValidation = { ok: true; answers: Answers } | { ok: false; problems: AnswerProblem[] };

/** Unanswered optional questions (undefined, empty string, empty list) are dropped before checks. */
export function validateAnswers(questionnaire: Questionnaire, input: unknown): AnswerValidation {
  const cleaned =
    input && typeof input === 'object' && !Array.isArray(input)
      ? Object.fromEntries(
          Object.entries(input as Record<string, unknown>).filter(
            ([, v]) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '') && !(Array.isArray(v) && v.length === 0),
          ),
        )
      : input;
  const byId = new Map(questionnaire.questions.map((q) => [q.id, q]));
  // Unknown keys are found here, by own keys against the question ids, and only known ones go to
  // zod: its object schema looks keys up on a plain object, where "constructor" or "__proto__"
  // would find Object's own.
  const isObject = cleaned !== null && typeof cleaned === 'object' && !Array.isArray(cleaned);
  const unknownKeys = isObject ? Object.keys(cleaned).filter((key) => !byId.has(key)) : [];
  const unknownProblems: AnswerProblem[] = unknownKeys.map((key) => ({ path: `answers.${key}`, questionId: key, code: 'unknown_question', message: 'unknown question' }));
  const known = isObject ? Object.fromEntries(Object.entries(cleaned).filter(([key]) => byId.has(key))) : cleaned;
  const parsed = answersSchema(questionnaire).safeParse(known);
  if (parsed.success) return unknownProblems.length > 0 ? { ok: false, problems: unknownProblems } : { ok: true, answers: parsed.data as Answers };
  const problems = parsed.error.issues.flatMap((issue): AnswerProblem[] => {
    const questionId = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
    const question = questionId ? byId.get(questionId) : undefined;
    const answered = questionId !== undefined && cleaned !== null && typeof cleaned === 'object' && Object.hasOwn(cleaned, questionId);
    return [{ path: questionId ? `answers.${questionId}` : 'answers', ...(questionId ? { questionId } : {}), code: codeOf(issue, question, answered), message: issue.message }];
  });
  return { ok: false, problems: [...problems, ...unknownProblems] };
}

/** Fields the questionnaire page posts beside the answers. */
const FORM_FIELDS_THAT_ARE_NOT_ANSWERS = new Set(['lang']);

/**
 * Form posts carry every value as text: ratings become numbers, multiple choices lists. Values
 * that do not parse are passed through as text so validation reports them, not silently drops them.
 */
export function answersFromForm(questionnaire: Questionnaire, fields: Record<string, string | string[]>): Record<string, unknown> {
  // Own keys only, "__proto__" included (a plain object's would set its prototype instead): the
  // same keys reach validation as from a JSON body, so an unknown one is refused the same way.
  const answers = new Map<string, unknown>();
  const known = new Map(questionnaire.questions.map((q) => [q.id, q]));
  for (const [field, raw] of Object.entries(fields)) {
    if (FORM_FIELDS_THAT_ARE_NOT_ANSWERS.has(field)) continue;
    // Allocation points arrive as "<question>.<dimension>" fields.
    const [name = field, part] = field.includes('.') ? field.split('.', 2) : [field];
    const question = known.get(name);
    if (question?.type === 'allocation' && part) {
      const text = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
      if (text === '') continue;
      const allocation = (answers.get(name) ?? Object.create(null)) as Record<string, unknown>;
      answers.set(name, allocation);
      allocation[part] = /^\d+$/.test(text) ? Number(text) : text;
      continue;
    }
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => v.trim()).filter((v) => v !== '');
    if (!question) {
      // Not a question of this questionnaire: passed on, so validation names it (as for JSON).
      answers.set(field, values.length > 1 ? values : (values[0] ?? ''));
      continue;
    }
    if (values.length === 0) continue;
    if (question.type === 'allocation') continue;
    if (question.type === 'rating') {
      const text = values[0] ?? '';
      answers.set(name, /^-?\d+$/.test(text) ? Number(text) : text);
    } else if (question.type === 'choice' && question.multiple) {
      answers.set(name, values);
    } else {
      answers.set(name, values[0]);
    }
  }
  return Object.fromEntries(answers);
}
