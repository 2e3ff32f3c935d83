/**
 * Issue 5's analyses (fuzzy evaluation, key drivers and IPA, reliability, data-driven weights,
 * top-2-box and NPS, and the sampling basis of the significance marks).
 * `beforeScores` run before the tree's scores (they may supply weights: `weighting: derived`);
 * `afterScores` run after (they may use the scores).
 *
 * Every accumulator holds integers only (counts, sums and cross-products of answers measured from
 * the bottom of the scale), so merging is exact whatever the grouping: accumulating all responses
 * and merging the accumulators of any split give identical results (as long as the sums stay below
 * 2^53). The answer of a rating question enters as its "favourable units" u = v - min (reversed:
 * max - v); its 0-100 score is 100 u / (max - min).
 *
 * docs/statistics.md, section "In the platform", describes what the report shows and why.
 */
import { ratingQuestions, type Questionnaire } from '../../domain/questionnaire';
import type { TreeScores } from '../../domain/scoring';
import { StatisticsInputError } from '../../domain/stats/data';
import { importancePerformance, relativeWeightsFromCorrelations, type IpaQuadrant } from '../../domain/stats/drivers';
import { DEFAULT_FUZZY_GRADES, fuzzyEvaluate, linearGradeMapping, type FuzzyGrade, type FuzzyTreeNode } from '../../domain/stats/fuzzy';
import { wilsonInterval, type ProportionInterval } from '../../domain/stats/intervals';
import { npsFromCounts, type NpsResult } from '../../domain/stats/nps';
import { resolveChildWeights, type WeightingSpec } from '../../domain/stats/weighting';
import type { AnalysisContext, AnyAnalysis, ResponseAnalysis } from './analysis';
import type { WeightOverride } from './scores';

// ---------------------------------------------------------------------------------------------
// The indicator tree, compiled once per questionnaire
// ---------------------------------------------------------------------------------------------

type InnerKind = 'index' | 'element' | 'indicator';

interface InnerNode {
  id: string;
  kind: InnerKind;
  parent: string | null;
  /** Child ids: elements of the index, indicators of an element, questions of an indicator. */
  children: string[];
  weighting: WeightingSpec | undefined;
  /** The children's own `weight`s (elements, indicators), undefined where not given. */
  childWeights: (number | undefined)[];
  /** Denominator of the node's per-respondent score numerator (see `respondentValues`). */
  denominator: number;
  /** lcm(1..number of children) and lcm of the children's denominators. */
  countLcm: number;
  childLcm: number;
}

interface QuestionInfo {
  id: string;
  min: number;
  max: number;
  range: number;
  reverse: boolean;
}

interface DriverModel {
  /** 'key' for the key-driver analysis of the target; the node id for a `derived` weighting. */
  id: string;
  node: string | null;
  predictors: { id: string; column: string }[];
  target: { id: string; column: string } | null;
  problem: string | null;
}

interface Plan {
  questionnaire: Questionnaire;
  /** Rating questions of the tree, in tree order. */
  questions: QuestionInfo[];
  questionIndex: Map<string, number>;
  /** Every rating question (tree or not) by id. */
  allRatings: Map<string, QuestionInfo>;
  /** Inner nodes in tree order (the index first, then each element followed by its indicators). */
  inner: Map<string, InnerNode>;
  /** Inner nodes, children before parents. */
  bottomUp: InnerNode[];
  /** Per-respondent node values are exact integer numerators (false only for huge denominators). */
  exact: boolean;
  defaultTarget: string | null;
  models: DriverModel[];
  /** Elements with their tree questions (reliability). */
  elementQuestions: Map<string, string[]>;
  /** Per tree question (by position): its indicator, element and the index. */
  ancestors: string[][];
}

/** Denominators above this make sums of squares lose exactness too soon; values are then plain scores. */
const MAX_EXACT_DENOMINATOR = 1e6;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const lcm = (a: number, b: number): number => (a / gcd(a, b)) * b;
const lcmUpTo = (n: number): number => {
  let result = 1;
  for (let k = 2; k <= n; k++) result = lcm(result, k);
  return result;
};

/** Column key of a question in the per-respondent values (inner nodes use their own id). */
const questionColumn = (id: string): string => `q:${id}`;
/** The target's column in a driver model's statistics ("@" cannot occur in a node id). */
const TARGET_COLUMN = '@target';

const plans = new WeakMap<Questionnaire, Plan>();

export function statisticsPlan(questionnaire: Questionnaire): Plan {
  let plan = plans.get(questionnaire);
  if (!plan) plans.set(questionnaire, (plan = compilePlan(questionnaire)));
  return plan;
}

function compilePlan(q: Questionnaire): Plan {
  const ratings = ratingQuestions(q);
  const allRatings = new Map<string, QuestionInfo>();
  for (const [id, { question, scale }] of ratings) {
    allRatings.set(id, { id, min: scale.min, max: scale.max, range: scale.max - scale.min, reverse: question.reverse });
  }
  const questions: QuestionInfo[] = [];
  const inner = new Map<string, InnerNode>();
  const elementQuestions = new Map<string, string[]>();
  const node = (id: string, kind: InnerKind, parent: string | null, children: string[], weighting: WeightingSpec | undefined, childWeights: (number | undefined)[]): InnerNode => ({
    id,
    kind,
    parent,
    children,
    weighting,
    childWeights,
    denominator: 1,
    countLcm: lcmUpTo(children.length),
    childLcm: 1,
  });
  const { index } = q;
  inner.set(index.id, node(index.id, 'index', null, index.elements.map((e) => e.id), index.weighting, index.elements.map((e) => e.weight)));
  for (const element of index.elements) {
    inner.set(element.id, node(element.id, 'element', index.id, element.indicators.map((i) => i.id), element.weighting, element.indicators.map((i) => i.weight)));
    const ids: string[] = [];
    for (const indicator of element.indicators) {
      const present = indicator.questions.filter((id) => allRatings.has(id));
      inner.set(indicator.id, node(indicator.id, 'indicator', element.id, present, indicator.weighting, present.map(() => undefined)));
      for (const id of present) {
        questions.push(allRatings.get(id)!);
        ids.push(id);
      }
    }
    elementQuestions.set(element.id, ids);
  }
  const questionIndex = new Map(questions.map((question, i) => [question.id, i]));
  const bottomUp = [...inner.values()].reverse();

  // Denominators: a question's score is 100 u / range; a parent's (equal-weight mean over its
  // answered children) is 100 X / D with D = lcm(children's D) * lcm(1..#children) and X an integer.
  let exact = true;
  for (const n of bottomUp) {
    const childDenominators = n.kind === 'indicator' ? n.children.map((id) => allRatings.get(id)!.range) : n.children.map((id) => inner.get(id)!.denominator);
    n.childLcm = childDenominators.reduce(lcm, 1);
    n.denominator = n.childLcm * n.countLcm;
    if (!(n.denominator <= MAX_EXACT_DENOMINATOR)) exact = false;
  }

  const defaultTarget = (() => {
    const id = index.model?.csi ?? 'satisfaction';
    return inner.get(id)?.kind === 'element' ? id : null;
  })();
  const ancestors = questions.map((info) => {
    const chain: string[] = [];
    let node: string | null | undefined = [...inner.values()].find((n) => n.kind === 'indicator' && n.children.includes(info.id))?.id;
    while (node) {
      chain.push(node);
      node = inner.get(node)?.parent;
    }
    return chain;
  });
  const plan: Plan = { questionnaire: q, questions, questionIndex, allRatings, inner, bottomUp, exact, defaultTarget, models: [], elementQuestions, ancestors };
  plan.models = driverModels(plan);
  return plan;
}

/** Is `id` (an inner node, or a question with `question` set) `ancestor` itself or below it? */
function isWithin(plan: Plan, id: string, ancestor: string, question = false): boolean {
  let current: string | null = id;
  if (question) {
    const position = plan.questionIndex.get(id);
    if (position === undefined) return false; // a question outside the tree
    current = plan.ancestors[position]![0] ?? null;
  }
  while (current !== null) {
    if (current === ancestor) return true;
    current = plan.inner.get(current)?.parent ?? null;
  }
  return false;
}

/** Resolves a target id: an element or indicator, else a rating question. */
function resolveTarget(plan: Plan, id: string): { id: string; column: string; question: boolean } | string {
  const node = plan.inner.get(id);
  if (node) {
    if (node.kind === 'index') return `the index "${id}" cannot be a driver target: name an element, indicator or question`;
    return { id, column: id, question: false };
  }
  if (plan.allRatings.has(id)) return { id, column: questionColumn(id), question: true };
  return `the target "${id}" is not an element, indicator or rating question`;
}

function driverModels(plan: Plan): DriverModel[] {
  const models: DriverModel[] = [];
  const indicators = [...plan.inner.values()].filter((n) => n.kind === 'indicator');
  // The key-driver analysis: every indicator outside the target element drives the target.
  if (plan.defaultTarget) {
    const target = plan.defaultTarget;
    const predictors = indicators.filter((n) => n.parent !== target && n.children.length > 0).map((n) => ({ id: n.id, column: n.id }));
    models.push({ id: 'key', node: null, predictors, target: { id: target, column: target }, problem: predictors.length === 0 ? 'no indicator outside the target element' : null });
  } else {
    const wanted = plan.questionnaire.index.model?.csi ?? 'satisfaction';
    models.push({ id: 'key', node: null, predictors: [], target: null, problem: `no element "${wanted}" to explain: the key-driver analysis needs the overall satisfaction element` });
  }
  // One model per node weighted `derived`: its children drive the target.
  for (const node of plan.inner.values()) {
    if (node.weighting?.method !== 'derived') continue;
    const targetId = node.weighting.target ?? plan.defaultTarget;
    const predictors = node.children.map((id) => ({ id, column: node.kind === 'indicator' ? questionColumn(id) : id }));
    const model: DriverModel = { id: node.id, node: node.id, predictors, target: null, problem: null };
    if (!targetId) {
      model.problem = 'no target: name one with weighting.target (there is no "satisfaction" element)';
    } else {
      const target = resolveTarget(plan, targetId);
      if (typeof target === 'string') model.problem = target;
      else if (isWithin(plan, target.id, node.id, target.question)) model.problem = `the target "${target.id}" is part of "${node.id}": its children cannot explain it`;
      else if (!target.question && isWithin(plan, node.id, target.id)) model.problem = `the target "${target.id}" contains "${node.id}": its children cannot explain it`;
      else model.target = { id: target.id, column: target.column };
    }
    models.push(model);
  }
  return models;
}

/** Favourable units of an answer (0 = the worst end of the scale), or null when not a valid answer. */
function unitsOf(info: QuestionInfo, answer: unknown): number | null {
  if (typeof answer !== 'number' || !Number.isFinite(answer) || answer < info.min || answer > info.max) return null;
  return info.reverse ? info.max - answer : answer - info.min;
}

/**
 * Per-respondent values of every column: questions (`q:id`) and inner nodes. In exact mode a
 * question's value is u and an inner node's is the integer numerator X of its score 100 X / D,
 * the equal-weight mean of its answered children; otherwise the values are 0-100 scores.
 */
function respondentValues(plan: Plan, answers: Readonly<Record<string, unknown>>, extra: readonly string[] = []): Map<string, number | null> {
  const values = new Map<string, number | null>();
  for (const info of plan.questions) {
    const u = unitsOf(info, answers[info.id]);
    values.set(questionColumn(info.id), u === null ? null : plan.exact ? u : (100 * u) / info.range);
  }
  for (const id of extra) {
    const info = plan.allRatings.get(id);
    if (!info || values.has(questionColumn(id))) continue;
    const u = unitsOf(info, answers[id]);
    values.set(questionColumn(id), u === null ? null : plan.exact ? u : (100 * u) / info.range);
  }
  for (const node of plan.bottomUp) {
    let total = 0;
    let answered = 0;
    for (const child of node.children) {
      const value = values.get(node.kind === 'indicator' ? questionColumn(child) : child);
      if (value === null || value === undefined) continue;
      const childDenominator = node.kind === 'indicator' ? plan.allRatings.get(child)!.range : plan.inner.get(child)!.denominator;
      total += plan.exact ? value * (node.childLcm / childDenominator) : value;
      answered++;
    }
    values.set(node.id, answered === 0 ? null : plan.exact ? (node.countLcm / answered) * total : total / answered);
  }
  return values;
}

/** Factor turning a column's value into its 0-100 score. */
function scoreFactor(plan: Plan, column: string): number {
  if (!plan.exact) return 1;
  if (column.startsWith('q:')) return 100 / plan.allRatings.get(column.slice(2))!.range;
  return 100 / plan.inner.get(column)!.denominator;
}

// ---------------------------------------------------------------------------------------------
// Weights the tree uses (the same rules as functions/domain/scoring.ts)
// ---------------------------------------------------------------------------------------------

/** The data-driven weights the scores used: every earlier analysis's override, later ones winning per node. */
export function treeOverrideWeights(earlier: Readonly<Record<string, unknown>>): Record<string, Record<string, number>> {
  const overrides = Object.values(earlier)
    .map((r) => (r as { weightOverride?: WeightOverride } | undefined)?.weightOverride)
    .filter((o): o is WeightOverride => o !== undefined);
  return Object.assign({}, ...overrides.map((o) => o.weights)) as Record<string, Record<string, number>>;
}

/** Raw (not yet renormalised) child weights of every inner node, as scoreTree weights them. */
function treeWeights(plan: Plan, dataDriven: Readonly<Record<string, Record<string, number>>>): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const node of plan.inner.values()) {
    const k = node.children.length;
    let weights: number[];
    const supplied = dataDriven[node.id];
    if (supplied) {
      weights = node.children.map((id) => supplied[id] ?? 0);
    } else if (node.weighting) {
      const resolution = resolveChildWeights(node.weighting, node.children);
      weights = resolution.status === 'resolved' ? node.children.map((id) => resolution.weights[id] ?? 0) : node.children.map(() => 1 / k);
    } else {
      weights = node.childWeights.map((w) => w ?? 1 / k);
    }
    result[node.id] = Object.fromEntries(node.children.map((id, j) => [id, weights[j] ?? 0]));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Item moments: counts, sums and cross-products of complete rows (plain JSON, canonical)
// ---------------------------------------------------------------------------------------------

/**
 * Sums and cross-products of complete rows taken about 0, so that with integer values every entry
 * is an exact integer and merging is element-wise addition: the state does not depend on the
 * order or grouping of the responses (unlike sums about the first row). Rows with a missing value
 * are only counted (listwise deletion).
 */
export interface ItemMoments {
  items: string[];
  n: number;
  incomplete: number;
  sums: number[];
  /** Packed upper triangle, with the diagonal, of sum x_i x_j. */
  cross: number[];
}

export function emptyItemMoments(items: readonly string[]): ItemMoments {
  const p = items.length;
  return { items: [...items], n: 0, incomplete: 0, sums: new Array<number>(p).fill(0), cross: new Array<number>((p * (p + 1)) / 2).fill(0) };
}

export function addItemRow(m: ItemMoments, row: readonly (number | null | undefined)[]): void {
  if (row.some((v) => v === null || v === undefined || !Number.isFinite(v))) {
    m.incomplete++;
    return;
  }
  const p = m.items.length;
  m.n++;
  let k = 0;
  for (let i = 0; i < p; i++) {
    const x = row[i]!;
    m.sums[i]! += x;
    for (let j = i; j < p; j++) m.cross[k++]! += x * row[j]!;
  }
}

export function mergeItemMoments(a: ItemMoments, b: ItemMoments): ItemMoments {
  if (a.items.join('\u0000') !== b.items.join('\u0000')) throw new Error('item moments with different items cannot be merged');
  return {
    items: [...a.items],
    n: a.n + b.n,
    incomplete: a.incomplete + b.incomplete,
    sums: a.sums.map((v, i) => v + b.sums[i]!),
    cross: a.cross.map((v, i) => v + b.cross[i]!),
  };
}

const copyItemMoments = (m: ItemMoments): ItemMoments => ({ items: [...m.items], n: m.n, incomplete: m.incomplete, sums: [...m.sums], cross: [...m.cross] });

/** Means and population covariance (divisor n) of the complete rows; n must be > 0. */
function itemCovariance(m: ItemMoments): { means: number[]; cov: number[][] } {
  const p = m.items.length;
  const means = m.sums.map((s) => s / m.n);
  const cov = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (__, j) => (m.cross[packed(i, j, p)]! - (m.sums[i]! * m.sums[j]!) / m.n) / m.n));
  return { means, cov };
}

type MomentsRecord = Record<string, ItemMoments>;
const mergeMomentsRecord = (a: MomentsRecord, b: MomentsRecord): MomentsRecord => {
  const result: MomentsRecord = {};
  for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const mine = a[id];
    const theirs = b[id];
    result[id] = mine && theirs ? mergeItemMoments(mine, theirs) : copyItemMoments((mine ?? theirs)!);
  }
  return result;
};
const copyMomentsRecord = (json: unknown): MomentsRecord => Object.fromEntries(Object.entries((json ?? {}) as MomentsRecord).map(([id, m]) => [id, copyItemMoments(m)]));

// ---------------------------------------------------------------------------------------------
// Answer counts (fuzzy evaluation, top-2-box, NPS)
// ---------------------------------------------------------------------------------------------

/** Per question, the number of answers of each scale value. */
export type AnswerCounts = Record<string, Record<string, number>>;

function countAnswers(ids: Iterable<QuestionInfo>, acc: AnswerCounts, answers: Readonly<Record<string, unknown>>): void {
  for (const info of ids) {
    const value = answers[info.id];
    if (unitsOf(info, value) === null) continue;
    const counts = (acc[info.id] ??= {});
    counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  }
}

function mergeCounts(a: AnswerCounts, b: AnswerCounts): AnswerCounts {
  const result: AnswerCounts = {};
  for (const source of [a, b]) {
    for (const [id, counts] of Object.entries(source)) {
      const target = (result[id] ??= {});
      for (const [value, count] of Object.entries(counts)) target[value] = (target[value] ?? 0) + count;
    }
  }
  return result;
}

const copyCounts = (json: unknown): AnswerCounts => mergeCounts({}, (json ?? {}) as AnswerCounts);

// ---------------------------------------------------------------------------------------------
// fuzzy: membership vectors of every node (afterScores: same weights as the tree)
// ---------------------------------------------------------------------------------------------

export interface FuzzyNode {
  id: string;
  kind: InnerKind | 'question';
  parentId: string | null;
  membership: number[] | null;
  score: number | null;
  gradeIndex: number | null;
  grade: string | null;
}

export interface FuzzyReport {
  grades: FuzzyGrade[];
  nodes: FuzzyNode[];
  warnings: string[];
}

export const fuzzyAnalysis: ResponseAnalysis<AnswerCounts, FuzzyReport> = {
  id: 'fuzzy',
  applies: () => true,
  empty: () => ({}),
  add: (q, acc, response) => countAnswers(statisticsPlan(q).questions, acc, response.answers),
  merge: mergeCounts,
  serialize: (acc) => acc,
  deserialize: (_q, json) => copyCounts(json),
  result: (acc, context) =>
    fuzzyResult(statisticsPlan(context.questionnaire), acc, treeOverrideWeights(context.earlier), context.questionnaire.fuzzyGrades ?? DEFAULT_FUZZY_GRADES),
};

function fuzzyResult(plan: Plan, counts: AnswerCounts, dataDriven: Readonly<Record<string, Record<string, number>>>, grades: readonly FuzzyGrade[] = DEFAULT_FUZZY_GRADES): FuzzyReport {
  const weights = treeWeights(plan, dataDriven);
  const kinds: FuzzyNode['kind'][] = [];
  const leaf = (id: string): FuzzyTreeNode => {
    kinds.push('question');
    const info = plan.allRatings.get(id)!;
    const gradeOf = linearGradeMapping({ min: info.min, max: info.max }, grades.length);
    const shares = new Array<number>(grades.length).fill(0);
    let total = 0;
    for (const [value, count] of Object.entries(counts[id] ?? {})) {
      const answer = Number(value);
      // A reversed question's best answer is the bottom of the scale.
      shares[gradeOf(info.reverse ? info.min + info.max - answer : answer)]! += count;
      total += count;
    }
    return { id, membership: total === 0 ? null : shares.map((c) => c / total) };
  };
  const build = (id: string): FuzzyTreeNode => {
    const node = plan.inner.get(id)!;
    kinds.push(node.kind);
    return {
      id,
      children: node.children.map((child) => ({ weight: weights[id]?.[child] ?? 0, node: node.kind === 'indicator' ? leaf(child) : build(child) })),
    };
  };
  const evaluation = fuzzyEvaluate(build(plan.questionnaire.index.id), grades);
  return {
    grades: grades.map((g) => ({ ...g })),
    nodes: evaluation.nodes.map((n, i) => ({ ...n, kind: kinds[i] ?? 'question' })),
    warnings: evaluation.warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// proportions: top-2-box with Wilson intervals for every rating question, NPS for 0-10 ones
// ---------------------------------------------------------------------------------------------

export interface QuestionProportions {
  n: number;
  /** Answers in the two most favourable scale points (for a reversed question, the two lowest). */
  topBox: ProportionInterval;
  /** For a 0..10 question that is not reversed: promoters 9-10, passives 7-8, detractors 0-6. */
  nps: NpsResult | null;
}

export interface ProportionsReport {
  questions: Record<string, QuestionProportions>;
  /** The 0..10 questions that carry an NPS. */
  npsQuestions: string[];
}

const TOP_BOXES = 2;

export const proportionsAnalysis: ResponseAnalysis<AnswerCounts, ProportionsReport> = {
  id: 'proportions',
  applies: () => true,
  empty: () => ({}),
  add: (q, acc, response) => countAnswers(statisticsPlan(q).allRatings.values(), acc, response.answers),
  merge: mergeCounts,
  serialize: (acc) => acc,
  deserialize: (_q, json) => copyCounts(json),
  result: (acc, context) => proportionsResult(statisticsPlan(context.questionnaire), acc),
};

export const isNpsQuestion = (info: { min: number; max: number; reverse: boolean }): boolean => info.min === 0 && info.max === 10 && !info.reverse;

function proportionsResult(plan: Plan, counts: AnswerCounts): ProportionsReport {
  const questions: Record<string, QuestionProportions> = {};
  const npsQuestions: string[] = [];
  for (const info of plan.allRatings.values()) {
    const entries = Object.entries(counts[info.id] ?? {});
    const n = entries.reduce((sum, [, c]) => sum + c, 0);
    if (n === 0) continue;
    const successes = entries.reduce((sum, [value, c]) => sum + ((unitsOf(info, Number(value)) ?? 0) > info.range - TOP_BOXES ? c : 0), 0);
    let nps: NpsResult | null = null;
    if (isNpsQuestion(info)) {
      const tally = { promoters: 0, passives: 0, detractors: 0 };
      for (const [value, c] of entries) {
        const v = Number(value);
        if (v >= 9) tally.promoters += c;
        else if (v >= 7) tally.passives += c;
        else tally.detractors += c;
      }
      nps = npsFromCounts(tally);
      npsQuestions.push(info.id);
    }
    questions[info.id] = { n, topBox: wilsonInterval(successes, n), nps };
  }
  return { questions, npsQuestions };
}

// ---------------------------------------------------------------------------------------------
// drivers (beforeScores): key drivers of the target and `weighting: derived`
// ---------------------------------------------------------------------------------------------

export type DriverStatus = 'ok' | 'withheld' | 'invalid';

export interface DriverResult {
  status: DriverStatus;
  reason?: string;
  target: string | null;
  predictors: string[];
  /** Complete responses used (every predictor and the target answered). */
  n: number;
  r2?: number;
  correlations?: Record<string, number>;
  beta?: Record<string, number>;
  relativeWeights?: Record<string, number>;
  /** Relative weights / R2 (sum 1): the importance, and the weights of `weighting: derived`. */
  rescaled?: Record<string, number>;
  /** Mean 0-100 score of each predictor and of the target over the complete responses. */
  means?: Record<string, number>;
}

export interface DerivedWeights extends DriverResult {
  /** The weights handed to the scores, and where they come from (this unit, or its root when too few here). */
  weights?: Record<string, number>;
  source?: 'unit' | 'root';
}

export interface DriversReport {
  target: string | null;
  key: DriverResult;
  derived: Record<string, DerivedWeights>;
  weightOverride?: WeightOverride;
}

export type DriversAccumulator = MomentsRecord;

/** Fewer complete responses than predictors + this withholds the analysis. */
export const DRIVERS_EXTRA_N = 10;

export const driversAnalysis: ResponseAnalysis<DriversAccumulator, DriversReport> = {
  id: 'drivers',
  applies: () => true,
  empty: (q) => {
    const acc: DriversAccumulator = {};
    for (const model of statisticsPlan(q).models) {
      if (!model.problem && model.target) acc[model.id] = emptyItemMoments([...model.predictors.map((p) => p.column), TARGET_COLUMN]);
    }
    return acc;
  },
  add: (q, acc, response) => {
    const plan = statisticsPlan(q);
    const targets = plan.models.flatMap((m) => (m.target?.column.startsWith('q:') ? [m.target.id] : []));
    const values = respondentValues(plan, response.answers, targets);
    for (const model of plan.models) {
      const stats = acc[model.id];
      if (!stats || !model.target) continue;
      addItemRow(stats, [...model.predictors.map((p) => values.get(p.column) ?? null), values.get(model.target.column) ?? null]);
    }
  },
  merge: mergeMomentsRecord,
  serialize: (acc) => acc,
  deserialize: (_q, json) => copyMomentsRecord(json),
  result: (acc, context) => driversResult(statisticsPlan(context.questionnaire), acc, context),
};

function driverResult(plan: Plan, model: DriverModel, stats: ItemMoments | undefined): DriverResult {
  const predictors = model.predictors.map((p) => p.id);
  const base = { target: model.target?.id ?? null, predictors, n: stats?.n ?? 0 };
  if (model.problem || !model.target || !stats) return { status: 'invalid', reason: model.problem ?? 'no target', ...base };
  const needed = predictors.length + DRIVERS_EXTRA_N;
  if (stats.n < needed) {
    return { status: 'withheld', reason: `withheld: fewer than ${needed} responses answer every predictor and the target (${predictors.length} predictors + ${DRIVERS_EXTRA_N})`, ...base };
  }
  const columns = stats.items;
  const moments = itemCovariance(stats);
  const k = predictors.length;
  const variance = columns.map((_, i) => moments.cov[i]![i]!);
  const constant = columns.findIndex((_, i) => !(variance[i]! > 0));
  if (constant >= 0) {
    const name = constant === k ? model.target.id : predictors[constant];
    return { status: 'invalid', reason: `"${name}" does not vary over the complete responses: it has no correlation with anything`, ...base };
  }
  const corr = (i: number, j: number) => (i === j ? 1 : moments.cov[i]![j]! / Math.sqrt(variance[i]! * variance[j]!));
  const rxx = predictors.map((_, i) => predictors.map((__, j) => corr(i, j)));
  const rxy = predictors.map((_, i) => corr(i, k));
  let fit;
  try {
    fit = relativeWeightsFromCorrelations(rxx, rxy, predictors);
  } catch (error) {
    if (error instanceof StatisticsInputError) return { status: 'invalid', reason: error.message, ...base };
    throw error;
  }
  if (!(fit.r2 > 0)) return { status: 'invalid', reason: 'no predictor explains any of the target (R2 = 0)', ...base };
  const byName = (values: readonly number[]) => Object.fromEntries(predictors.map((name, j) => [name, values[j]!]));
  const means = Object.fromEntries([
    ...model.predictors.map((p, j) => [p.id, moments.means[j]! * scoreFactor(plan, p.column)] as const),
    [model.target.id, moments.means[k]! * scoreFactor(plan, model.target.column)] as const,
  ]);
  return {
    status: 'ok',
    ...base,
    r2: fit.r2,
    correlations: byName(rxy),
    beta: byName(fit.beta),
    relativeWeights: byName(fit.relativeWeights),
    rescaled: byName(fit.relativeWeights.map((w) => w / fit.r2)),
    means,
  };
}

function driversResult(plan: Plan, acc: DriversAccumulator, context: AnalysisContext): DriversReport {
  const root = context.rootResult as DriversReport | undefined;
  const key = driverResult(plan, plan.models.find((m) => m.id === 'key')!, acc.key);
  const derived: Record<string, DerivedWeights> = {};
  const weights: Record<string, Record<string, number>> = {};
  for (const model of plan.models) {
    if (model.node === null) continue;
    const result: DerivedWeights = driverResult(plan, model, acc[model.id]);
    if (result.status === 'ok' && result.rescaled) {
      result.weights = result.rescaled;
      result.source = 'unit';
    } else {
      // Too few responses here: the whole organisation's derived weights (as PLS does for small units).
      const fromRoot = root?.derived[model.id];
      if (fromRoot?.status === 'ok' && fromRoot.weights) {
        result.weights = fromRoot.weights;
        result.source = 'root';
      }
    }
    if (result.weights) weights[model.id] = result.weights;
    derived[model.id] = result;
  }
  const report: DriversReport = { target: plan.defaultTarget, key, derived };
  const fromRoot = Object.entries(derived).filter(([, d]) => d.source === 'root').map(([id]) => `"${id}"`);
  if (Object.keys(weights).length > 0) {
    report.weightOverride = { weights };
    if (fromRoot.length > 0) report.weightOverride.note = `derived weights of ${fromRoot.join(', ')} come from the whole organisation: too few responses here`;
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// ipa (afterScores): importance = rescaled relative weight, performance = the reported score
// ---------------------------------------------------------------------------------------------

export interface IpaReport {
  status: DriverStatus;
  reason?: string;
  target: string | null;
  importanceMean?: number;
  performanceMean?: number;
  items?: { id: string; importance: number; performance: number; quadrant: IpaQuadrant }[];
}

type Nothing = Record<string, never>;

export const ipaAnalysis: ResponseAnalysis<Nothing, IpaReport> = {
  id: 'ipa',
  applies: () => true,
  empty: () => ({}),
  add: () => undefined,
  merge: () => ({}),
  serialize: () => ({}),
  deserialize: () => ({}),
  result: (_acc, context) => {
    const drivers = context.earlier.drivers as DriversReport | undefined;
    const scores = context.earlier.scores as TreeScores | undefined;
    const key = drivers?.key;
    if (!key || key.status !== 'ok' || !key.rescaled || !scores) {
      return { status: key?.status ?? 'invalid', reason: key?.reason ?? 'no key-driver analysis', target: key?.target ?? null };
    }
    const indicatorScore = new Map(scores.elements.flatMap((e) => e.indicators.map((i) => [i.id, i.score] as const)));
    const items = key.predictors.flatMap((id) => {
      const performance = indicatorScore.get(id);
      return performance === null || performance === undefined ? [] : [{ id, importance: key.rescaled![id]!, performance }];
    });
    if (items.length === 0) return { status: 'invalid', reason: 'no indicator has a score', target: key.target };
    return { status: 'ok', target: key.target, ...importancePerformance(items) };
  },
};

// ---------------------------------------------------------------------------------------------
// reliability (afterScores): Cronbach's alpha per element over its questions' 0-100 scores
// ---------------------------------------------------------------------------------------------

export interface ElementReliability {
  status: 'ok' | 'withheld' | 'invalid';
  reason?: string;
  n: number;
  k: number;
  alpha?: number | null;
  standardizedAlpha?: number | null;
  items?: Record<string, { itemTotalCorrelation: number | null; correctedItemTotalCorrelation: number | null; alphaIfDeleted: number | null }>;
}

export type ReliabilityReport = Record<string, ElementReliability>;

/** Fewer complete responses than this gives no reliability figures. */
export const RELIABILITY_MINIMUM_N = 3;

export const reliabilityAnalysis: ResponseAnalysis<MomentsRecord, ReliabilityReport> = {
  id: 'reliability',
  applies: () => true,
  empty: (q) => {
    const acc: MomentsRecord = {};
    for (const [element, ids] of statisticsPlan(q).elementQuestions) if (ids.length >= 2) acc[element] = emptyItemMoments(ids);
    return acc;
  },
  add: (q, acc, response) => {
    const plan = statisticsPlan(q);
    for (const stats of Object.values(acc)) addItemRow(stats, stats.items.map((id) => unitsOf(plan.allRatings.get(id)!, response.answers[id])));
  },
  merge: mergeMomentsRecord,
  serialize: (acc) => acc,
  deserialize: (_q, json) => copyMomentsRecord(json),
  result: (acc, context) => {
    const plan = statisticsPlan(context.questionnaire);
    const report: ReliabilityReport = {};
    for (const [element, ids] of plan.elementQuestions) {
      const stats = acc[element];
      if (ids.length < 2 || !stats) {
        report[element] = { status: 'invalid', reason: 'reliability needs at least 2 questions', n: 0, k: ids.length };
      } else if (stats.n < RELIABILITY_MINIMUM_N) {
        report[element] = { status: 'withheld', reason: `fewer than ${RELIABILITY_MINIMUM_N} responses answer every question of the element`, n: stats.n, k: ids.length };
      } else {
        const { cov: units } = itemCovariance(stats);
        const f = ids.map((id) => 100 / plan.allRatings.get(id)!.range);
        const cov = ids.map((_, i) => ids.map((__, j) => f[i]! * f[j]! * units[i]![j]!));
        report[element] = { status: 'ok', n: stats.n, ...reliabilityFromCovariance(ids, cov) };
      }
    }
    return report;
  },
};

/** Reliability figures from the items' covariance matrix (any divisor: it cancels). */
export function reliabilityFromCovariance(ids: readonly string[], cov: readonly (readonly number[])[]): Omit<ElementReliability, 'status' | 'n'> {
  const k = ids.length;
  const sumOver = (rows: number[], cols: number[]) => rows.reduce((s, i) => s + cols.reduce((t, j) => t + cov[i]![j]!, 0), 0);
  const all = ids.map((_, i) => i);
  const alphaOf = (items: number[]): number | null => {
    const m = items.length;
    const total = sumOver(items, items);
    if (!(total > 0)) return null;
    const itemVariance = items.reduce((s, i) => s + cov[i]![i]!, 0);
    return (m / (m - 1)) * (1 - itemVariance / total);
  };
  const variance = all.map((i) => cov[i]![i]!);
  let standardizedAlpha: number | null = null;
  if (variance.every((v) => v > 0)) {
    let total = 0;
    let pairs = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) {
      total += cov[i]![j]! / Math.sqrt(variance[i]! * variance[j]!);
      pairs++;
    }
    const r = total / pairs;
    standardizedAlpha = (k * r) / (1 + (k - 1) * r);
  }
  const correlation = (c: number, va: number, vb: number) => (va > 0 && vb > 0 ? c / Math.sqrt(va * vb) : null);
  const totalVariance = sumOver(all, all);
  const items = Object.fromEntries(
    ids.map((id, i) => {
      const others = all.filter((j) => j !== i);
      const withTotal = all.reduce((s, j) => s + cov[i]![j]!, 0);
      const withRest = withTotal - variance[i]!;
      return [
        id,
        {
          itemTotalCorrelation: correlation(withTotal, variance[i]!, totalVariance),
          correctedItemTotalCorrelation: correlation(withRest, variance[i]!, sumOver(others, others)),
          alphaIfDeleted: others.length >= 2 ? alphaOf(others) : null,
        },
      ];
    }),
  );
  return { k, alpha: alphaOf(all), standardizedAlpha, items };
}

// ---------------------------------------------------------------------------------------------
// sampling (afterScores): the basis of the significance marks of aggregate nodes
// ---------------------------------------------------------------------------------------------

/**
 * Pairwise integer sums over the tree's questions (u = favourable units): for every pair (q, r),
 * over the responses that answered both, the count, the sum of u_q, and the sum of u_q u_r. Any
 * weighted mean of question means, and its sampling variance, follows from these; a parent's sums
 * minus a unit's are exactly the rest of the parent's.
 */
export interface SamplingAccumulator {
  /** Responses that answered at least one question below each node (inner nodes by id). */
  contributors: Record<string, number>;
  /** Packed upper triangle (with the diagonal) of pair counts. */
  n: number[];
  /** Full p x p: a[q p + r] = sum of u_q over the responses answering q and r. */
  a: number[];
  /** Packed upper triangle of sums of u_q u_r. */
  s: number[];
}

export interface SamplingReport extends SamplingAccumulator {
  questions: string[];
  /** Scale range (max - min) of each question: score = 100 u / range. */
  ranges: number[];
  /** The raw child weights the tree used for this unit (renormalised over present children). */
  childWeights: Record<string, Record<string, number>>;
  /** The tree's inner nodes in tree order (the index first), so the basis can be read without the questionnaire. */
  tree: { id: string; kind: InnerKind; children: string[] }[];
}

const packed = (i: number, j: number, p: number): number => (i <= j ? i * p - (i * (i - 1)) / 2 + (j - i) : packed(j, i, p));

export const samplingAnalysis: ResponseAnalysis<SamplingAccumulator, SamplingReport> = {
  id: 'sampling',
  applies: () => true,
  empty: (q) => {
    const p = statisticsPlan(q).questions.length;
    return { contributors: {}, n: new Array<number>((p * (p + 1)) / 2).fill(0), a: new Array<number>(p * p).fill(0), s: new Array<number>((p * (p + 1)) / 2).fill(0) };
  },
  add: (q, acc, response) => {
    const plan = statisticsPlan(q);
    const p = plan.questions.length;
    const answered: [number, number][] = [];
    plan.questions.forEach((info, i) => {
      const u = unitsOf(info, response.answers[info.id]);
      if (u !== null) answered.push([i, u]);
    });
    const touched = new Set<string>();
    for (const [x, [i, ui]] of answered.entries()) {
      for (let y = x; y < answered.length; y++) {
        const [j, uj] = answered[y]!;
        const k = packed(i, j, p);
        acc.n[k]! += 1;
        acc.s[k]! += ui * uj;
        acc.a[i * p + j]! += ui;
        if (i !== j) acc.a[j * p + i]! += uj;
      }
      for (const node of plan.ancestors[i]!) touched.add(node);
    }
    for (const node of touched) acc.contributors[node] = (acc.contributors[node] ?? 0) + 1;
  },
  merge: (a, b) => combineSampling(a, b, 1),
  serialize: (acc) => acc,
  deserialize: (_q, json) => combineSampling(json as SamplingAccumulator, json as SamplingAccumulator, 0),
  result: (acc, context) => {
    const plan = statisticsPlan(context.questionnaire);
    return {
      questions: plan.questions.map((q) => q.id),
      ranges: plan.questions.map((q) => q.range),
      ...combineSampling(acc, acc, 0),
      childWeights: treeWeights(plan, treeOverrideWeights(context.earlier)),
      tree: [...plan.inner.values()].map((node) => ({ id: node.id, kind: node.kind, children: [...node.children] })),
    };
  },
};

/** a + sign b, element by element (sign 0 copies a; -1 gives the rest of a parent without a unit). */
export function combineSampling(a: SamplingAccumulator, b: SamplingAccumulator, sign: 1 | 0 | -1): SamplingAccumulator {
  const add = (x: readonly number[], y: readonly number[]) => x.map((v, i) => v + sign * (y[i] ?? 0));
  const contributors: Record<string, number> = { ...a.contributors };
  if (sign !== 0) for (const [id, n] of Object.entries(b.contributors)) contributors[id] = (contributors[id] ?? 0) + sign * n;
  return { contributors, n: add(a.n, b.n), a: add(a.a, b.a), s: add(a.s, b.s) };
}

export interface NodeEstimate {
  /** Weighted mean of the question means (the tree's score). */
  score: number | null;
  /** Sampling variance of the score (linearised: weights fixed, pairwise-complete covariances). */
  variance: number | null;
  /** Responses that answered at least one question below the node. */
  n: number;
}

/**
 * Score and sampling variance of every inner node of a sampling basis, weighted with
 * `childWeights` (renormalised over the children that have answers, as the tree does). With
 * question means m_q, Cov(m_q, m_r) = s_qr n_qr / (n_q n_r) (s_qr the covariance over the n_qr
 * responses answering both), so Var(sum W_q m_q) = sum_q sum_r W_q W_r Cov(m_q, m_r).
 */
export function nodeEstimates(basis: SamplingAccumulator & Pick<SamplingReport, 'questions' | 'ranges' | 'tree'>, childWeights: Readonly<Record<string, Record<string, number>>>): Map<string, NodeEstimate> {
  const p = basis.questions.length;
  const result = new Map<string, NodeEstimate>();
  const questionIndex = new Map(basis.questions.map((id, i) => [id, i]));
  const factor = basis.ranges.map((r) => 100 / r);
  const nq = (i: number) => basis.n[packed(i, i, p)]!;
  const mean = basis.questions.map((_, i) => (nq(i) > 0 ? (factor[i]! * basis.a[i * p + i]!) / nq(i) : null));
  const covMeans = (i: number, j: number): number | null => {
    const n = basis.n[packed(i, j, p)]!;
    if (i === j && n < 2) return null;
    if (n < 2) return 0;
    const cov = (factor[i]! * factor[j]! * (basis.s[packed(i, j, p)]! - (basis.a[i * p + j]! * basis.a[j * p + i]!) / n)) / (n - 1);
    return (cov * n) / (nq(i) * nq(j));
  };
  // Effective question weights per node, children before parents.
  const effective = new Map<string, Map<number, number> | null>();
  for (const node of [...basis.tree].reverse()) {
    const parts = node.children.map((child) => {
      const w = childWeights[node.id]?.[child] ?? 0;
      if (node.kind === 'indicator') {
        const i = questionIndex.get(child);
        return { w, vector: i === undefined || mean[i] === null ? null : new Map([[i, 1]]) };
      }
      return { w, vector: effective.get(child) ?? null };
    });
    const present = parts.filter((part) => part.vector !== null);
    const total = present.reduce((s, part) => s + part.w, 0);
    if (present.length === 0 || !(total > 0)) {
      effective.set(node.id, null);
      continue;
    }
    const vector = new Map<number, number>();
    for (const part of present) for (const [i, w] of part.vector!) vector.set(i, (vector.get(i) ?? 0) + (part.w / total) * w);
    effective.set(node.id, vector);
  }
  for (const node of basis.tree) {
    const vector = effective.get(node.id);
    const n = basis.contributors[node.id] ?? 0;
    if (!vector) {
      result.set(node.id, { score: null, variance: null, n });
      continue;
    }
    const entries = [...vector].filter(([, w]) => w !== 0);
    const score = entries.reduce((s, [i, w]) => s + w * mean[i]!, 0);
    let variance: number | null = 0;
    for (const [i, wi] of entries) {
      for (const [j, wj] of entries) {
        const c = covMeans(i, j);
        if (c === null) {
          variance = null;
          break;
        }
        variance += wi * wj * c;
      }
      if (variance === null) break;
    }
    result.set(node.id, { score, variance: variance === null ? null : Math.max(0, variance), n });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

export const beforeScores: readonly AnyAnalysis[] = [driversAnalysis];
export const afterScores: readonly AnyAnalysis[] = [ipaAnalysis, fuzzyAnalysis, reliabilityAnalysis, proportionsAnalysis, samplingAnalysis];
