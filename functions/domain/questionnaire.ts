/**
 * The questionnaire model: a zod schema that is the single source of truth for the YAML/JSON
 * format (docs/questionnaire-format.md), the cross-checks that make a questionnaire internally
 * consistent, and the lint rules the service-quality standards suggest.
 *
 * Cross-checks are errors (a questionnaire that fails them cannot be scored); lint rules are
 * warnings (the standards recommend, they do not forbid).
 */
import { z } from 'zod';
import { formatPath, problemsFromZod, type Problem } from './errors';
import { resolveChildWeights, weightingSchema } from './stats/weighting';
import { isTimeZone, languageTagSchema } from './primitives';

/** Sibling weights must sum to 1 within this tolerance (the contract says 1e-9). */
export const WEIGHT_SUM_TOLERANCE = 1e-9;
/** The standards recommend 20-30 questions; SERVQUAL 4-5 questions per criterion. */
export const RECOMMENDED_QUESTION_COUNT = { min: 20, max: 30 } as const;
export const SERVQUAL_QUESTIONS_PER_INDICATOR = { min: 4, max: 5 } as const;
import { DEFAULT_TIME_ZONE } from './time-zone';

export { DEFAULT_TIME_ZONE };

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

const questionnaireShape = z.strictObject({
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

type QuestionnaireShape = z.output<typeof questionnaireShape>;

/** Every reference in the questionnaire must resolve; see crossCheck. */
export const questionnaireSchema = questionnaireShape.superRefine((q, ctx) => {
  for (const problem of crossCheck(q)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
});

export type Questionnaire = z.output<typeof questionnaireSchema>;
export type QuestionnaireInput = z.input<typeof questionnaireSchema>;
export type Question = Questionnaire['questions'][number];
export type RatingQuestion = Extract<Question, { type: 'rating' }>;
export type RatingScale = z.output<typeof ratingScaleSchema>;
export type IndexElement = Questionnaire['index']['elements'][number];
export type Indicator = IndexElement['indicators'][number];
export type PlsModel = z.output<typeof plsModelSchema>;
export type GapModel = z.output<typeof gapsSchema>;
export type RespondentWeighting = z.output<typeof respondentWeightingSchema>;
export type AllocationQuestion = Extract<Question, { type: 'allocation' }>;

interface PathProblem {
  path: (string | number)[];
  message: string;
}

function duplicates<T>(items: readonly T[], keyOf: (item: T) => string, report: (index: number, key: string) => void): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) report(index, key);
    seen.add(key);
  });
}

/** Siblings carry weights that sum to 1, or none of them carries one (equal weights). */
function checkSiblingWeights(siblings: readonly { weight?: number | undefined }[], basePath: (string | number)[], problems: PathProblem[]): void {
  const given = siblings.filter((s) => s.weight !== undefined).length;
  if (given === 0) return;
  if (given < siblings.length) {
    const missing = siblings.findIndex((s) => s.weight === undefined);
    problems.push({ path: [...basePath, missing, 'weight'], message: 'weight missing: give every sibling a weight, or none for equal weights' });
    return;
  }
  const sum = siblings.reduce((total, s) => total + (s.weight ?? 0), 0);
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    problems.push({
      path: [...basePath, siblings.length - 1, 'weight'],
      message: `sibling weights sum to ${Number(sum.toPrecision(12))}, expected 1`,
    });
  }
}

/** Visits every localised text with its path, so translations can be checked in one place. */
function forEachText(q: QuestionnaireShape, visit: (text: Record<string, string>, path: (string | number)[]) => void): void {
  visit(q.title, ['title']);
  if (q.description) visit(q.description, ['description']);
  for (const [scaleId, scale] of Object.entries(q.scales)) {
    for (const [value, label] of Object.entries(scale.labels ?? {})) visit(label, ['scales', scaleId, 'labels', value]);
  }
  visit(q.index.title, ['index', 'title']);
  q.index.elements.forEach((element, e) => {
    visit(element.title, ['index', 'elements', e, 'title']);
    element.indicators.forEach((indicator, i) => visit(indicator.title, ['index', 'elements', e, 'indicators', i, 'title']));
  });
  q.questions.forEach((question, i) => {
    visit(question.text, ['questions', i, 'text']);
    if (question.help) visit(question.help, ['questions', i, 'help']);
    if (question.type === 'choice') question.options.forEach((option, o) => visit(option.text, ['questions', i, 'options', o, 'text']));
    if (question.type === 'allocation') {
      question.dimensions.forEach((dimension, d) => {
        if (dimension.text) visit(dimension.text, ['questions', i, 'dimensions', d, 'text']);
      });
    }
  });
  q.gaps?.dimensions.forEach((dimension, d) => {
    if (dimension.title) visit(dimension.title, ['gaps', 'dimensions', d, 'title']);
  });
}

/** Referential integrity: unique ids, resolvable references, one indicator per question, weights, translations. */
function crossCheck(q: QuestionnaireShape): PathProblem[] {
  const problems: PathProblem[] = [];

  duplicates(q.languages, (l) => l, (i, l) => problems.push({ path: ['languages', i], message: `duplicate language "${l}"` }));
  duplicates(q.questions, (question) => question.id, (i, id) => problems.push({ path: ['questions', i, 'id'], message: `duplicate question id "${id}"` }));

  const nodeIds = new Map<string, string>();
  const claimNodeId = (id: string, path: (string | number)[], what: string) => {
    const previous = nodeIds.get(id);
    if (previous) problems.push({ path, message: `duplicate id "${id}" (already used by ${previous})` });
    else nodeIds.set(id, what);
  };
  claimNodeId(q.index.id, ['index', 'id'], 'the index');

  const questionsById = new Map(q.questions.map((question) => [question.id, question]));
  const indicatorOfQuestion = new Map<string, string>();

  checkSiblingWeights(q.index.elements, ['index', 'elements'], problems);
  q.index.elements.forEach((element, e) => {
    const elementPath = ['index', 'elements', e];
    claimNodeId(element.id, [...elementPath, 'id'], `element ${element.id}`);
    checkSiblingWeights(element.indicators, [...elementPath, 'indicators'], problems);
    element.indicators.forEach((indicator, i) => {
      const indicatorPath = [...elementPath, 'indicators', i];
      claimNodeId(indicator.id, [...indicatorPath, 'id'], `indicator ${indicator.id}`);
      indicator.questions.forEach((questionId, k) => {
        const path = [...indicatorPath, 'questions', k];
        const question = questionsById.get(questionId);
        if (!question) {
          problems.push({ path, message: `unknown question "${questionId}"` });
          return;
        }
        if (question.type !== 'rating') {
          problems.push({ path, message: `question "${questionId}" is a ${question.type} question; only rating questions can be scored` });
          return;
        }
        const owner = indicatorOfQuestion.get(questionId);
        if (owner) problems.push({ path, message: `question "${questionId}" is already in indicator "${owner}"; a question belongs to one indicator` });
        else indicatorOfQuestion.set(questionId, indicator.id);
      });
    });
  });

  q.questions.forEach((question, i) => {
    if (question.type === 'rating' && !Object.hasOwn(q.scales, question.scale)) {
      problems.push({ path: ['questions', i, 'scale'], message: `unknown scale "${question.scale}"` });
    }
    if (question.type === 'choice') {
      duplicates(question.options, (o) => o.value, (o, value) => problems.push({ path: ['questions', i, 'options', o, 'value'], message: `duplicate option value "${value}"` }));
    }
  });

  checkWeightings(q, problems);
  if (q.index.model) checkPlsModel(q, q.index.model, problems);
  if (q.gaps) checkGaps(q, q.gaps, questionsById, problems);

  forEachText(q, (text, path) => {
    for (const lang of q.languages) {
      if (!Object.hasOwn(text, lang)) problems.push({ path, message: `missing translation "${lang}"` });
    }
  });
  return problems;
}

/** A `weighting` replaces the children's own weights and must resolve for its children (AHP: consistent). */
function checkWeightings(q: QuestionnaireShape, problems: PathProblem[]): void {
  const check = (
    spec: z.output<typeof weightingSchema> | undefined,
    children: readonly { id: string; weight?: number | undefined }[] | readonly string[],
    path: (string | number)[],
    allowPls: boolean,
  ) => {
    if (!spec) return;
    const ids = children.map((c) => (typeof c === 'string' ? c : c.id));
    if (children.some((c) => typeof c !== 'string' && c.weight !== undefined)) {
      problems.push({ path: [...path, 'weighting'], message: 'the children carry weights too: give weights either on the children or in weighting' });
    }
    if (spec.method === 'pls' && !allowPls) {
      problems.push({ path: [...path, 'weighting', 'method'], message: 'pls weights only the elements of an index with a model' });
      return;
    }
    const resolution = resolveChildWeights(spec, ids);
    if (resolution.status === 'invalid') resolution.errors.forEach((message) => problems.push({ path: [...path, 'weighting'], message }));
  };
  check(q.index.weighting, q.index.elements, ['index'], q.index.model !== undefined);
  q.index.elements.forEach((element, e) => {
    check(element.weighting, element.indicators, ['index', 'elements', e], false);
    element.indicators.forEach((indicator, i) => check(indicator.weighting, indicator.questions, ['index', 'elements', e, 'indicators', i], false));
  });
}

function checkPlsModel(q: QuestionnaireShape, model: PlsModel, problems: PathProblem[]): void {
  const elementIds = new Set(q.index.elements.map((e) => e.id));
  const edges = new Map<string, string[]>();
  model.paths.forEach(([from, to], p) => {
    for (const [end, id] of [[0, from], [1, to]] as const) {
      if (!elementIds.has(id)) problems.push({ path: ['index', 'model', 'paths', p, end], message: `unknown element "${id}"` });
    }
    if (from === to) problems.push({ path: ['index', 'model', 'paths', p], message: `a path from "${from}" to itself` });
    edges.set(from, [...(edges.get(from) ?? []), to]);
  });
  const csi = model.csi ?? 'satisfaction';
  if (!elementIds.has(csi)) {
    problems.push({ path: ['index', 'model', 'csi'], message: `the CSI element "${csi}" is not an element; name it with csi:` });
  }
  // The inner model must be recursive (no cycles), as PLS path modeling requires.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, trail: string[]): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...trail, node];
    state.set(node, 'visiting');
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next, [...trail, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node, []);
    if (cycle) {
      problems.push({ path: ['index', 'model', 'paths'], message: `the paths form a cycle: ${cycle.slice(cycle.indexOf(cycle[cycle.length - 1] as string)).join(' -> ')}` });
      break;
    }
  }
}

function checkGaps(q: QuestionnaireShape, gaps: GapModel, questionsById: Map<string, QuestionnaireShape['questions'][number]>, problems: PathProblem[]): void {
  duplicates(gaps.dimensions, (d) => d.id, (d, id) => problems.push({ path: ['gaps', 'dimensions', d, 'id'], message: `duplicate dimension "${id}"` }));
  checkSiblingWeights(gaps.dimensions, ['gaps', 'dimensions'], problems);
  const seenItems = new Set<string>();
  gaps.dimensions.forEach((dimension, d) =>
    dimension.items.forEach((item, i) => {
      const path = ['gaps', 'dimensions', d, 'items', i];
      if (seenItems.has(item.id)) problems.push({ path: [...path, 'id'], message: `duplicate gap item "${item.id}"` });
      seenItems.add(item.id);
      if (gaps.model === 'servqual' && !item.expectation) {
        problems.push({ path: [...path, 'expectation'], message: 'a SERVQUAL item pairs an expectation with a perception' });
      }
      let scale: string | undefined;
      for (const role of ['expectation', 'perception', 'adequate'] as const) {
        const questionId = item[role];
        if (!questionId) continue;
        const question = questionsById.get(questionId);
        if (!question) {
          problems.push({ path: [...path, role], message: `unknown question "${questionId}"` });
        } else if (question.type !== 'rating') {
          problems.push({ path: [...path, role], message: `question "${questionId}" is a ${question.type} question; gap items are rating questions` });
        } else if (scale !== undefined && question.scale !== scale) {
          problems.push({ path: [...path, role], message: `question "${questionId}" uses scale "${question.scale}", its pair uses "${scale}": both must be on the same scale` });
        } else {
          scale = question.scale;
        }
      }
    }),
  );
  if (gaps.importance) {
    const question = questionsById.get(gaps.importance);
    if (!question || question.type !== 'allocation') {
      problems.push({ path: ['gaps', 'importance'], message: `"${gaps.importance}" is not an allocation question` });
    } else {
      const allocated = question.dimensions.map((d) => d.id).sort();
      const declared = gaps.dimensions.map((d) => d.id).sort();
      if (allocated.join(',') !== declared.join(',')) {
        problems.push({ path: ['gaps', 'importance'], message: `allocation "${question.id}" spreads points over ${allocated.join(', ')}; the gap dimensions are ${declared.join(', ')}` });
      }
    }
  }
}

/** Questions the gap model uses: they are scored there, so they need not sit in the index tree. */
export function gapQuestionIds(q: Questionnaire): Set<string> {
  const ids = new Set<string>();
  for (const dimension of q.gaps?.dimensions ?? []) {
    for (const item of dimension.items) for (const id of [item.expectation, item.perception, item.adequate]) if (id) ids.add(id);
  }
  if (q.gaps?.importance) ids.add(q.gaps.importance);
  return ids;
}

/** Recommendations of the standards: warnings, never errors. */
export function lintQuestionnaire(q: Questionnaire): Problem[] {
  const warnings: Problem[] = [];
  const count = q.questions.length;
  if (count < RECOMMENDED_QUESTION_COUNT.min || count > RECOMMENDED_QUESTION_COUNT.max) {
    warnings.push({
      path: 'questions',
      message: `${count} questions; the standards recommend ${RECOMMENDED_QUESTION_COUNT.min}-${RECOMMENDED_QUESTION_COUNT.max}`,
    });
  }
  const inTree = new Set([...q.index.elements.flatMap((e) => e.indicators.flatMap((i) => i.questions)), ...gapQuestionIds(q)]);
  q.questions.forEach((question, i) => {
    if (question.type === 'rating' && !inTree.has(question.id)) {
      warnings.push({ path: formatPath(['questions', i]), message: `rating question "${question.id}" is not in the index tree and will not be scored` });
    }
  });
  forEachText(q, (text, path) => {
    for (const lang of Object.keys(text)) {
      if (!q.languages.includes(lang)) warnings.push({ path: formatPath(path), message: `text in undeclared language "${lang}" is never shown` });
    }
  });
  if (q.lint === 'servqual') {
    const { min, max } = SERVQUAL_QUESTIONS_PER_INDICATOR;
    q.index.elements.forEach((element, e) =>
      element.indicators.forEach((indicator, i) => {
        const n = indicator.questions.length;
        if (n < min || n > max) {
          warnings.push({
            path: formatPath(['index', 'elements', e, 'indicators', i, 'questions']),
            message: `indicator "${indicator.id}" has ${n} questions; SERVQUAL asks for ${min}-${max} per criterion`,
          });
        }
      }),
    );
  }
  return warnings;
}

export type ValidationResult =
  | { ok: true; questionnaire: Questionnaire; warnings: Problem[] }
  | { ok: false; errors: Problem[] };

/** Parses and checks untrusted input (YAML-parsed or JSON). */
export function validateQuestionnaire(input: unknown): ValidationResult {
  const parsed = questionnaireSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: problemsFromZod(parsed.error.issues) };
  return { ok: true, questionnaire: parsed.data, warnings: lintQuestionnaire(parsed.data) };
}

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

/** A canonical JSON form (sorted keys) of a parsed questionnaire: equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
