/**
 * The questionnaire format as a zod schema: the single source of truth for the YAML/JSON format
 * (docs/questionnaire-format.md) and the types derived from it. The schema here checks each part
 * on its own; the checks across parts (references, weights, translations) are in cross-checks.ts,
 * and validate.ts applies both.
 */
import * as z from '../zod';
import { weightingSchema } from '../stats/weighting';
import { isTimeZone, languageTagSchema, MAX_ID_LENGTH } from '../primitives';
import { DEFAULT_TIME_ZONE } from '../time-zone';
import { alertRuleSchema, MAX_ALERT_RULES } from '../cases/alert-rule-schema';
import { SERVQUAL_DIMENSIONS } from './servqual';

const languageTag = languageTagSchema;
const localizedText = z.record(languageTag, z.string().check(z.trim(), z.minLength(1, { error: 'text must not be empty' })));
const surveyId = z.string().check(z.regex(/^[a-z0-9-]+$/, { error: 'expected lower-case letters, digits and "-"' }), z.maxLength(MAX_ID_LENGTH, { error: `at most ${MAX_ID_LENGTH} characters` }));
/** Names every JavaScript object already has: as ids they would collide with object machinery. */
const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);
const nodeId = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9_-]+$/, { error: 'expected letters, digits, "_" and "-"' }),
    z.refine((id) => !RESERVED_IDS.has(id), { error: 'this id is reserved' }),
  );
const weight = z.number().check(z.positive({ error: 'a weight must be greater than 0' }));
/** A grade or unit a population share is given for: any name but the reserved ones (stored as a map key). */
const populationKey = z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH), z.refine((key) => !RESERVED_IDS.has(key), { error: 'this name is reserved' }));

export const ratingScaleSchema = z
  .strictObject({
    type: z.literal('rating'),
    min: z.int(),
    max: z.int(),
    labels: z.optional(z.record(z.string().check(z.regex(/^-?\d+$/, { error: 'a label key must be a scale value' })), localizedText)),
  })
  .check(z.superRefine((scale, ctx) => {
    if (scale.max <= scale.min) ctx.addIssue({ code: 'custom', path: ['max'], message: `max (${scale.max}) must be greater than min (${scale.min})` });
    if (scale.max - scale.min > 100) ctx.addIssue({ code: 'custom', path: ['max'], message: 'a rating scale has at most 101 points' });
    for (const key of Object.keys(scale.labels ?? {})) {
      const value = Number(key);
      if (value < scale.min || value > scale.max) {
        ctx.addIssue({ code: 'custom', path: ['labels', key], message: `label for ${key} is outside the scale ${scale.min}..${scale.max}` });
      }
    }
  }));

const indicatorSchema = z.strictObject({
  id: nodeId,
  title: localizedText,
  weight: z.optional(weight),
  /** How this indicator's questions are weighted (default: equal). */
  weighting: z.optional(weightingSchema),
  questions: z.array(nodeId).check(z.minLength(1, { error: 'an indicator needs at least one question' })),
});

const elementSchema = z.strictObject({
  id: nodeId,
  title: localizedText,
  weight: z.optional(weight),
  /** How this element's indicators are weighted (default: their `weight`s, else equal). */
  weighting: z.optional(weightingSchema),
  indicators: z.array(indicatorSchema).check(z.minLength(1, { error: 'an element needs at least one indicator' })),
});

/** A structural model over the elements, estimated by PLS path modeling (docs/pls.md). */
export const plsModelSchema = z.strictObject({
  type: z.literal('pls'),
  paths: z.array(z.tuple([nodeId, nodeId])).check(z.minLength(1, { error: 'a model needs at least one path' })),
  /** The element whose 0-100 index is the CSI (default: satisfaction). */
  csi: z.optional(nodeId),
  scheme: z._default(z.enum(['centroid', 'factorial', 'path']), 'centroid'),
  /** Units with at least this many respondents get their own estimate; smaller ones use the root's weights. */
  minN: z._default(z.int().check(z.positive()), 200),
  /** Bootstrap resamples for the index intervals (0 turns the bootstrap off). */
  bootstrap: z._default(z.int().check(z.gte(0), z.lte(2000)), 100),
});

const indexSchema = z.strictObject({
  id: nodeId,
  title: localizedText,
  /** How the elements are weighted (default: their `weight`s, else equal). */
  weighting: z.optional(weightingSchema),
  model: z.optional(plsModelSchema),
  elements: z.array(elementSchema).check(z.minLength(1, { error: 'the index needs at least one element' })),
});

/** The five SERVQUAL dimensions; gap models may also declare custom ones. */
export { SERVQUAL_DIMENSIONS } from './servqual';

const gapItemSchema = z.strictObject({
  id: nodeId,
  expectation: z.optional(nodeId),
  perception: nodeId,
  adequate: z.optional(nodeId),
});

const gapDimensionSchema = z.strictObject({
  id: nodeId,
  title: z.optional(localizedText),
  weight: z.optional(weight),
  /** Benchmarks: the gap (or score) the company aims for, and the best competitor's. */
  target: z.optional(z.number()),
  competitor: z.optional(z.number()),
  items: z.array(gapItemSchema).check(z.minLength(1, { error: 'a dimension needs at least one item' })),
});

/** Paired expectation/perception items (SERVQUAL) or perception only (SERVPERF). */
export const gapsSchema = z.strictObject({
  model: z._default(z.enum(['servqual', 'servperf']), 'servqual'),
  tolerance: z._default(z.number().check(z.gte(0)), 0),
  /** Id of an allocation question spreading 100 points over the dimensions. */
  importance: z.optional(nodeId),
  dimensions: z.array(gapDimensionSchema).check(z.minLength(1, { error: 'a gap model needs at least one dimension' })),
});

const questionBase = { id: nodeId, text: localizedText, help: z.optional(localizedText), required: z._default(z.boolean(), false) };

const ratingQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('rating'),
  scale: nodeId,
  reverse: z._default(z.boolean(), false),
  /** The service commitment this question asks about (its id in surveys/commitments/). */
  commitment: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'expected a commitment id such as gas.repair.handle' }))),
});

const textQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('text'),
  maxLength: z._default(z.int().check(z.positive(), z.lte(10_000)), 2000),
});

const choiceQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('choice'),
  multiple: z._default(z.boolean(), false),
  options: z
    .array(z.strictObject({ value: z.string().check(z.regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected letters, digits, "_", "." and "-"' })), text: localizedText }))
    .check(z.minLength(2, { error: 'a choice question needs at least two options' })),
});

/** Points spread over dimensions (e.g. the importance of the SERVQUAL dimensions); answers must sum to `total`. */
const allocationQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('allocation'),
  total: z._default(z.int().check(z.positive()), 100),
  // Plain ids or {id, text}; the output is always {id, text?}, which must parse again unchanged.
  dimensions: z.pipe(
    z
      .array(z.union([nodeId, z.strictObject({ id: nodeId, text: z.optional(localizedText) })]))
      .check(z.minLength(2, { error: 'an allocation question needs at least two dimensions' })),
    z.transform((dims) => dims.map((d) => (typeof d === 'string' ? { id: d } : d)) as { id: string; text?: Record<string, string> }[]),
  ),
});

export const questionSchema = z.discriminatedUnion('type', [ratingQuestionSchema, textQuestionSchema, choiceQuestionSchema, allocationQuestionSchema]);

/**
 * Respondent weighting by raking to known population margins: the population (counts or shares)
 * per customer grade and/or per organisation unit (a unit's own customers; a parent adds its
 * descendants'). Reports then give weighted figures beside the unweighted ones.
 */
export const respondentWeightingSchema = z
  .strictObject({
    method: z.literal('raking'),
    population: z.strictObject({
      grade: z.optional(z.record(populationKey, z.number().check(z.nonnegative()))),
      orgUnit: z.optional(z.record(populationKey, z.number().check(z.nonnegative()))),
    }),
  })
  .check(
    z.refine((w) => w.population.grade !== undefined || w.population.orgUnit !== undefined, {
      error: 'give the population per grade, per organisation unit, or both',
      path: ['population'],
    }),
  );

/**
 * The grades of the fuzzy comprehensive evaluation, best first (default: 很满意 100, 满意 80,
 * 一般 60, 不满意 40, 很不满意 20); the scale is laid linearly over them.
 */
export const fuzzyGradesSchema = z
  .array(z.strictObject({ label: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)), score: z.number() }))
  .check(z.minLength(2, { error: 'give at least two grades' }), z.maxLength(9, { error: 'at most nine grades' }));

/** Every part of a questionnaire; the references between parts are checked by crossCheck. */
export const questionnaireShape = z.strictObject({
  id: surveyId,
  // Sort keys pad versions to six digits.
  version: z.int().check(z.positive({ error: 'version must be a positive integer' }), z.lte(999_999)),
  title: localizedText,
  description: z.optional(localizedText),
  languages: z.array(languageTag).check(z.minLength(1, { error: 'declare at least one language' })),
  timeZone: z._default(z.string().check(z.refine(isTimeZone, { error: 'unknown IANA time zone' })), DEFAULT_TIME_ZONE),
  lint: z.optional(z.literal('servqual')),
  scales: z._default(z.record(nodeId, ratingScaleSchema), {}),
  index: indexSchema,
  gaps: z.optional(gapsSchema),
  respondentWeighting: z.optional(respondentWeightingSchema),
  fuzzyGrades: z.optional(fuzzyGradesSchema),
  /** Rules that open a case when a stored response matches (checked against the questions by checkAlertRules). */
  alerts: z.optional(z.array(alertRuleSchema).check(z.maxLength(MAX_ALERT_RULES, { error: `at most ${MAX_ALERT_RULES} alert rules` }))),
  questions: z.array(questionSchema).check(z.minLength(1, { error: 'a questionnaire needs at least one question' })),
});


export type Questionnaire = z.output<typeof questionnaireShape>;
export type QuestionnaireInput = z.input<typeof questionnaireShape>;
export type Question = Questionnaire['questions'][number];
export type RatingQuestion = Extract<Question, { type: 'rating' }>;
export type RatingScale = z.output<typeof ratingScaleSchema>;
export type IndexElement = Questionnaire['index']['elements'][number];
export type Indicator = IndexElement['indicators'][number];
export type PlsModel = z.output<typeof plsModelSchema>;
export type GapModel = z.output<typeof gapsSchema>;
export type RespondentWeighting = z.output<typeof respondentWeightingSchema>;
export type AllocationQuestion = Extract<Question, { type: 'allocation' }>;

/** Rating questions with their scales, keyed by id: what scoring needs. */
export function ratingQuestions(q: Questionnaire): Map<string, { question: RatingQuestion; scale: RatingScale }> {
  const result = new Map<string, { question: RatingQuestion; scale: RatingScale }>();
  for (const question of q.questions) {
    if (question.type !== 'rating') continue;
    const scale = q.scales[question.scale];
    if (scale) result.set(question.id, { question, scale });
  }
  return result;
}
