/**
 * The questionnaire format as a zod schema: the single source of truth for the YAML/JSON format
 * (docs/questionnaire-format.md) and the types derived from it. The schema here checks each part
 * on its own; the checks across parts (references, weights, translations) are in cross-checks.ts,
 * and validate.ts applies both.
 */
import * as z from 'zod';
import { weightingSchema } from '../stats/weighting';
import { isTimeZone, languageTagSchema } from '../primitives';
import { DEFAULT_TIME_ZONE } from '../time-zone';

const languageTag = languageTagSchema;
const localizedText = z.record(languageTag, z.string().trim().min(1, { error: 'text must not be empty' }));
const surveyId = z.string().regex(/^[a-z0-9-]+$/, { error: 'expected lower-case letters, digits and "-"' });
/** Names every JavaScript object already has: as ids they would collide with object machinery. */
const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);
const nodeId = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'expected letters, digits, "_" and "-"' })
  .refine((id) => !RESERVED_IDS.has(id), { error: 'this id is reserved' });
const weight = z.number().positive({ error: 'a weight must be greater than 0' }).finite();

export const ratingScaleSchema = z
  .strictObject({
    type: z.literal('rating'),
    min: z.int(),
    max: z.int(),
    labels: z.record(z.string().regex(/^-?\d+$/, { error: 'a label key must be a scale value' }), localizedText).optional(),
  })
  .superRefine((scale, ctx) => {
    if (scale.max <= scale.min) ctx.addIssue({ code: 'custom', path: ['max'], message: `max (${scale.max}) must be greater than min (${scale.min})` });
    if (scale.max - scale.min > 100) ctx.addIssue({ code: 'custom', path: ['max'], message: 'a rating scale has at most 101 points' });
    for (const key of Object.keys(scale.labels ?? {})) {
      const value = Number(key);
      if (value < scale.min || value > scale.max) {
        ctx.addIssue({ code: 'custom', path: ['labels', key], message: `label for ${key} is outside the scale ${scale.min}..${scale.max}` });
      }
    }
  });

const indicatorSchema = z.strictObject({
  id: nodeId,
  title: localizedText,
  weight: weight.optional(),
  /** How this indicator's questions are weighted (default: equal). */
  weighting: weightingSchema.optional(),
  questions: z.array(nodeId).min(1, { error: 'an indicator needs at least one question' }),
});

const elementSchema = z.strictObject({
  id: nodeId,
  title: localizedText,
  weight: weight.optional(),
  /** How this element's indicators are weighted (default: their `weight`s, else equal). */
  weighting: weightingSchema.optional(),
  indicators: z.array(indicatorSchema).min(1, { error: 'an element needs at least one indicator' }),
});

/** A structural model over the elements, estimated by PLS path modeling (docs/pls.md). */
export const plsModelSchema = z.strictObject({
  type: z.literal('pls'),
  paths: z.array(z.tuple([nodeId, nodeId])).min(1, { error: 'a model needs at least one path' }),
  /** The element whose 0-100 index is the CSI (default: satisfaction). */
  csi: nodeId.optional(),
  scheme: z.enum(['centroid', 'factorial', 'path']).default('centroid'),
  /** Units with at least this many respondents get their own estimate; smaller ones use the root's weights. */
  minN: z.int().positive().default(200),
  /** Bootstrap resamples for the index intervals (0 turns the bootstrap off). */
  bootstrap: z.int().min(0).max(2000).default(100),
});

const indexSchema = z.strictObject({
  id: nodeId,
  title: localizedText,
  /** How the elements are weighted (default: their `weight`s, else equal). */
  weighting: weightingSchema.optional(),
  model: plsModelSchema.optional(),
  elements: z.array(elementSchema).min(1, { error: 'the index needs at least one element' }),
});

/** The five SERVQUAL dimensions; gap models may also declare custom ones. */
export const SERVQUAL_DIMENSIONS = ['tangibles', 'reliability', 'responsiveness', 'assurance', 'empathy'] as const;

const gapItemSchema = z.strictObject({
  id: nodeId,
  expectation: nodeId.optional(),
  perception: nodeId,
  adequate: nodeId.optional(),
});

const gapDimensionSchema = z.strictObject({
  id: nodeId,
  title: localizedText.optional(),
  weight: weight.optional(),
  /** Benchmarks: the gap (or score) the company aims for, and the best competitor's. */
  target: z.number().finite().optional(),
  competitor: z.number().finite().optional(),
  items: z.array(gapItemSchema).min(1, { error: 'a dimension needs at least one item' }),
});

/** Paired expectation/perception items (SERVQUAL) or perception only (SERVPERF). */
export const gapsSchema = z.strictObject({
  model: z.enum(['servqual', 'servperf']).default('servqual'),
  tolerance: z.number().min(0).default(0),
  /** Id of an allocation question spreading 100 points over the dimensions. */
  importance: nodeId.optional(),
  dimensions: z.array(gapDimensionSchema).min(1, { error: 'a gap model needs at least one dimension' }),
});

const questionBase = { id: nodeId, text: localizedText, help: localizedText.optional(), required: z.boolean().default(false) };

const ratingQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('rating'),
  scale: nodeId,
  reverse: z.boolean().default(false),
  /** The service commitment this question asks about (its id in surveys/commitments/). */
  commitment: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'expected a commitment id such as gas.repair.handle' }).optional(),
});

const textQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('text'),
  maxLength: z.int().positive().max(10_000).default(2000),
});

const choiceQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('choice'),
  multiple: z.boolean().default(false),
  options: z
    .array(z.strictObject({ value: z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected letters, digits, "_", "." and "-"' }), text: localizedText }))
    .min(2, { error: 'a choice question needs at least two options' }),
});

/** Points spread over dimensions (e.g. the importance of the SERVQUAL dimensions); answers must sum to `total`. */
const allocationQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('allocation'),
  total: z.int().positive().default(100),
  dimensions: z
    // Plain ids or {id, text}; the output is always {id, text?}, which must parse again unchanged.
    .array(z.union([nodeId, z.strictObject({ id: nodeId, text: localizedText.optional() })]))
    .min(2, { error: 'an allocation question needs at least two dimensions' })
    .transform((dims) => dims.map((d) => (typeof d === 'string' ? { id: d } : d)) as { id: string; text?: Record<string, string> }[]),
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
      grade: z.record(z.string().min(1), z.number().nonnegative()).optional(),
      orgUnit: z.record(z.string().min(1), z.number().nonnegative()).optional(),
    }),
  })
  .refine((w) => w.population.grade !== undefined || w.population.orgUnit !== undefined, {
    error: 'give the population per grade, per organisation unit, or both',
    path: ['population'],
  });

/**
 * The grades of the fuzzy comprehensive evaluation, best first (default: 很满意 100, 满意 80,
 * 一般 60, 不满意 40, 很不满意 20); the scale is laid linearly over them.
 */
export const fuzzyGradesSchema = z
  .array(z.strictObject({ label: z.string().trim().min(1).max(40), score: z.number().finite() }))
  .min(2, { error: 'give at least two grades' })
  .max(9, { error: 'at most nine grades' });

/** Every part of a questionnaire; the references between parts are checked by crossCheck. */
export const questionnaireShape = z.strictObject({
  id: surveyId,
  // Sort keys pad versions to six digits.
  version: z.int().positive({ error: 'version must be a positive integer' }).max(999_999),
  title: localizedText,
  description: localizedText.optional(),
  languages: z.array(languageTag).min(1, { error: 'declare at least one language' }),
  timeZone: z.string().refine(isTimeZone, { error: 'unknown IANA time zone' }).default(DEFAULT_TIME_ZONE),
  lint: z.literal('servqual').optional(),
  scales: z.record(nodeId, ratingScaleSchema).default({}),
  index: indexSchema,
  gaps: gapsSchema.optional(),
  respondentWeighting: respondentWeightingSchema.optional(),
  fuzzyGrades: fuzzyGradesSchema.optional(),
  questions: z.array(questionSchema).min(1, { error: 'a questionnaire needs at least one question' }),
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
