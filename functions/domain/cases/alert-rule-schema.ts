/**
 * The shape of a questionnaire's `alerts:` (docs/questionnaire-format.md, "Alerts (cases)"): rules
 * that open a case when a stored response matches. This module is the schema, with the checks that
 * need no questionnaire (conditions that can never hold, escalations after a target the sla does
 * not declare), so a rule stored on its own is as sound as one in a questionnaire. It does not
 * depend on the questionnaire schema, which imports it for its `alerts` key, so no import cycle
 * arises; the checks against the questionnaire and the evaluation are in ./alert-rules.ts, which
 * re-exports everything here.
 *
 *   alerts:
 *     - id: low-score
 *       when: { any: [ { question: q_overall, atMost: 2 }, { element: satisfaction, below: 40 } ] }
 *       priority: high
 *       sla: { firstContact: P1D, resolve: P5D, calendar: working-days }
 *       escalate: [ { after: firstContact, notify: owner-manager }, { after: resolve, to: parent-unit } ]
 *       followUp: { survey: case-follow-up, channel: same, delay: PT2H }
 */
import * as z from '../zod';
import { MAX_ID_LENGTH } from '../primitives';
import type { PathProblem } from '../questionnaire/path-problems';
import { elapsedDurationSchema, slaSchema, workingDurationSchema, type Sla } from './sla-schema';

/** At most this many any/all levels, the top `when` counting as the first. */
export const MAX_CONDITION_DEPTH = 4;
/** Children of one any/all. */
export const MAX_CONDITION_CHILDREN = 50;
export const MAX_KEYWORDS = 100;
export const MAX_KEYWORD_LENGTH = 50;
export const MAX_ESCALATION_STEPS = 10;
/** Rules in one questionnaire (the questionnaire schema applies it). */
export const MAX_ALERT_RULES = 50;

export const ALERT_PRIORITIES = ['high', 'normal', 'low'] as const;
export type AlertPriority = (typeof ALERT_PRIORITIES)[number];
export const SLA_TARGET_NAMES = ['firstContact', 'resolve'] as const;
export type SlaTargetName = (typeof SLA_TARGET_NAMES)[number];
export const FOLLOW_UP_CHANNELS = ['same', 'sms', 'link'] as const;

/** What a condition names: a question or an element id (whether it exists is checked against the questionnaire). */
const reference = z.string().check(
  z.minLength(1, { error: 'expected an id' }),
  z.maxLength(MAX_ID_LENGTH, { error: `at most ${MAX_ID_LENGTH} characters` }),
);
const bound = z.number({ error: 'expected a number' });

/** `{question, atMost?, atLeast?}`: a rating answer on its own scale, within the bounds given. */
const ratingCondition = z
  .strictObject({ question: reference, atMost: z.optional(bound), atLeast: z.optional(bound) })
  .check(
    z.refine((c) => c.atMost !== undefined || c.atLeast !== undefined, { error: 'give atMost, atLeast or both' }),
    z.superRefine((c, ctx) => boundProblems(c).forEach((p) => ctx.addIssue({ code: 'custom', path: p.path, message: p.message }))),
  );

/** `{element, below | atMost}`: the element's 0-100 score for the one response. */
const elementCondition = z
  .strictObject({ element: reference, below: z.optional(bound), atMost: z.optional(bound) })
  .check(
    z.refine((c) => (c.below === undefined) !== (c.atMost === undefined), { error: 'give exactly one of below and atMost' }),
    z.superRefine((c, ctx) => boundProblems(c).forEach((p) => ctx.addIssue({ code: 'custom', path: p.path, message: p.message }))),
  );

/** `{choice: {question, in}}`: the chosen option (any chosen one, for a multiple choice) is in the list. */
const choiceCondition = z.strictObject({
  choice: z.strictObject({
    question: reference,
    in: z.array(z.string()).check(z.minLength(1, { error: 'list at least one option value' }), z.maxLength(100, { error: 'at most 100 option values' })),
  }),
});

/** `{nps: questionId, detractor: true}` (answer 0-6) or `{nps: questionId, promoter: true}` (9-10). */
const npsCondition = z
  .strictObject({ nps: reference, detractor: z.optional(z.literal(true)), promoter: z.optional(z.literal(true)) })
  .check(z.refine((c) => (c.detractor === true) !== (c.promoter === true), { error: 'give exactly one of detractor: true and promoter: true' }));

/** `{comment: {question, keywords}}`: the text answer contains a keyword (case-insensitive substring). */
const commentCondition = z.strictObject({
  comment: z.strictObject({
    question: reference,
    keywords: z
      .array(
        z.string().check(
          z.trim(),
          z.minLength(1, { error: 'a keyword must not be empty' }),
          z.maxLength(MAX_KEYWORD_LENGTH, { error: `a keyword has at most ${MAX_KEYWORD_LENGTH} characters` }),
        ),
      )
      .check(z.minLength(1, { error: 'give at least one keyword' }), z.maxLength(MAX_KEYWORDS, { error: `at most ${MAX_KEYWORDS} keywords` })),
  }),
});

export type RatingCondition = z.output<typeof ratingCondition>;
export type ElementCondition = z.output<typeof elementCondition>;
export type ChoiceCondition = z.output<typeof choiceCondition>;
export type NpsCondition = z.output<typeof npsCondition>;
export type CommentCondition = z.output<typeof commentCondition>;
export type AlertCondition =
  | RatingCondition
  | ElementCondition
  | ChoiceCondition
  | NpsCondition
  | CommentCondition
  | { any: AlertCondition[] }
  | { all: AlertCondition[] };

/**
 * What makes a leaf's bounds wrong whatever the questionnaire: a rating range the wrong way round,
 * an element bound outside the 0-100 score. Paths are under the leaf. (Bounds against the question's
 * own scale are checkAlertRules'.)
 */
function boundProblems(condition: { atMost?: number | undefined; atLeast?: number | undefined } | ElementCondition): PathProblem[] {
  const problems: PathProblem[] = [];
  if ('element' in condition) {
    const { below, atMost } = condition;
    if (below !== undefined && below <= 0) problems.push({ path: ['below'], message: `below ${below} can never hold: an element's score is 0-100` });
    else if (below !== undefined && below > 100) problems.push({ path: ['below'], message: `below ${below} is beyond the 0-100 score (every answered response would match)` });
    if (atMost !== undefined && (atMost < 0 || atMost > 100)) problems.push({ path: ['atMost'], message: `at most ${atMost} is outside an element's 0-100 score` });
    return problems;
  }
  const { atMost, atLeast } = condition;
  if (atMost !== undefined && atLeast !== undefined && atLeast > atMost) {
    problems.push({ path: ['atLeast'], message: `at least ${atLeast} and at most ${atMost} can never both hold` });
  }
  return problems;
}

/** Escalation steps after a target the rule's sla does not declare (paths under the rule). */
function escalationProblems(rule: { sla?: Sla | undefined; escalate?: readonly { after: SlaTargetName }[] | undefined }): PathProblem[] {
  return (rule.escalate ?? []).flatMap((step, j) =>
    rule.sla?.[step.after] === undefined ? [{ path: ['escalate', j, 'after'], message: `the sla declares no ${step.after} target to escalate after` }] : [],
  );
}

/** The key that tells a condition's kind, in the order they are looked for. */
const CONDITION_KEYS = ['question', 'element', 'choice', 'nps', 'comment', 'any', 'all'] as const;
const NOT_A_CONDITION = `expected a condition: an object with one of ${CONDITION_KEYS.join(', ')}`;

const conditionsAt: z.ZodMiniType<AlertCondition, AlertCondition>[] = [];

/**
 * The condition schema for a condition `depth` any/all levels down (the top `when` is depth 1). It
 * picks the kind by its key and parses with that kind's schema alone, so an error names the field
 * at fault ("when.any[2].atMost: ...") rather than zod's bare "Invalid input" of a union.
 */
function conditionAt(depth: number): z.ZodMiniType<AlertCondition, AlertCondition> {
  const cached = conditionsAt[depth];
  if (cached) return cached;
  const children = () =>
    z.array(conditionAt(depth + 1)).check(
      z.minLength(1, { error: 'give at least one condition' }),
      z.maxLength(MAX_CONDITION_CHILDREN, { error: `at most ${MAX_CONDITION_CHILDREN} conditions` }),
    );
  const combinators = depth <= MAX_CONDITION_DEPTH ? { any: z.strictObject({ any: children() }), all: z.strictObject({ all: children() }) } : undefined;
  const kinds: Record<(typeof CONDITION_KEYS)[number], z.ZodMiniType | undefined> = {
    question: ratingCondition,
    element: elementCondition,
    choice: choiceCondition,
    nps: npsCondition,
    comment: commentCondition,
    any: combinators?.any,
    all: combinators?.all,
  };
  const schema = z.pipe(
    z.unknown(),
    z.transform((input, ctx) => {
      const key =
        typeof input === 'object' && input !== null && !Array.isArray(input) ? CONDITION_KEYS.find((k) => Object.hasOwn(input, k)) : undefined;
      if (key === undefined) {
        ctx.issues.push({ code: 'custom', message: NOT_A_CONDITION, input });
        return z.NEVER;
      }
      const kind = kinds[key];
      if (!kind) {
        ctx.issues.push({ code: 'custom', path: [key], message: `any/all nest at most ${MAX_CONDITION_DEPTH} levels deep`, input });
        return z.NEVER;
      }
      const parsed = kind.safeParse(input);
      if (parsed.success) return parsed.data as AlertCondition;
      for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', path: [...issue.path], message: issue.message, input });
      return z.NEVER;
    }),
  ) as unknown as z.ZodMiniType<AlertCondition, AlertCondition>;
  conditionsAt[depth] = schema;
  return schema;
}

export const alertConditionSchema = conditionAt(1);

/** When a target of the sla is missed (`delay` later, if given): tell someone, hand the case up, or both. */
export const escalationStepSchema = z
  .strictObject({
    after: z.enum(SLA_TARGET_NAMES, { error: 'expected firstContact or resolve' }),
    delay: z.optional(workingDurationSchema),
    notify: z.optional(z.enum(['owner', 'owner-manager'], { error: 'expected owner or owner-manager' })),
    to: z.optional(z.literal('parent-unit', { error: 'expected parent-unit' })),
  })
  .check(z.refine((step) => step.notify !== undefined || step.to !== undefined, { error: 'give notify, to, or both' }));

/** The survey sent once the case is resolved, asking the customer how it was handled. */
export const followUpSchema = z.strictObject({
  survey: z.string().check(
    z.regex(/^[a-z0-9-]+$/, { error: 'expected a survey id: lower-case letters, digits and "-"' }),
    z.maxLength(MAX_ID_LENGTH, { error: `at most ${MAX_ID_LENGTH} characters` }),
  ),
  channel: z._default(z.enum(FOLLOW_UP_CHANNELS, { error: 'expected same, sms or link' }), 'same'),
  delay: z._default(elapsedDurationSchema, 'PT2H'),
});

export const alertRuleSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'expected an alert id: lower-case letters, digits and "-" (at most 64, not starting with "-")' })),
  when: alertConditionSchema,
  priority: z._default(z.enum(ALERT_PRIORITIES, { error: 'expected high, normal or low' }), 'normal'),
  sla: z.optional(slaSchema),
  /** Who owns the case: the manager of the response's organisation unit (the only owner there is yet). */
  owner: z._default(z.literal('manager', { error: 'expected manager' }), 'manager'),
  escalate: z._default(
    z.array(escalationStepSchema).check(z.maxLength(MAX_ESCALATION_STEPS, { error: `at most ${MAX_ESCALATION_STEPS} escalation steps` })),
    [],
  ),
  followUp: z.optional(followUpSchema),
}).check(z.superRefine((rule, ctx) => escalationProblems(rule).forEach((p) => ctx.addIssue({ code: 'custom', path: p.path, message: p.message }))));

export type AlertRule = z.output<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;
export type EscalationStep = z.output<typeof escalationStepSchema>;
export type FollowUp = z.output<typeof followUpSchema>;
