/**
 * The indicator tree compiled once per questionnaire for the statistics analyses (fuzzy,
 * proportions, drivers and IPA, reliability, sampling): rating questions, inner nodes, driver
 * models, per-respondent values and the child weights the tree's scores use.
 *
 * Every accumulator of these analyses holds integers only (counts, sums and cross-products of
 * answers measured from the bottom of the scale), so merging is exact whatever the grouping:
 * accumulating all responses and merging the accumulators of any split give identical results, at
 * any n (sums beyond 2^53 are kept as exact decimal digits: domain/stats/moments.ts). The answer of a rating question enters as its "favourable
 * units" u = v - min (reversed: max - v); its 0-100 score is 100 u / (max - min).
 *
 * docs/statistics.md, section "In the platform", describes what the report shows and why.
 */
import { ratingQuestions, type Questionnaire } from '../../domain/questionnaire';
import { countAnswer, type AnswerCounts } from '../../domain/stats/counts';
import type { TreeNodeKind } from '../../domain/stats/sampling';
import { weightsOf } from '../../domain/scoring';
import type { WeightingSpec } from '../../domain/stats/weighting';

export type InnerKind = TreeNodeKind;

export interface InnerNode {
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

export interface QuestionInfo {
  id: string;
  min: number;
  max: number;
  range: number;
  reverse: boolean;
}

export interface DriverModel {
  /** 'key' for the key-driver analysis of the target; the node id for a `derived` weighting. */
  id: string;
  node: string | null;
  predictors: { id: string; column: string }[];
  target: { id: string; column: string } | null;
  problem: string | null;
}

export interface Plan {
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
export const questionColumn = (id: string): string => `q:${id}`;
/** The target's column in a driver model's statistics ("@" cannot occur in a node id). */
export const TARGET_COLUMN = '@target';

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
export function unitsOf(info: QuestionInfo, answer: unknown): number | null {
  if (typeof answer !== 'number' || !Number.isFinite(answer) || answer < info.min || answer > info.max) return null;
  return info.reverse ? info.max - answer : answer - info.min;
}

/**
 * Per-respondent values of every column: questions (`q:id`) and inner nodes. In exact mode a
 * question's value is u and an inner node's is the integer numerator X of its score 100 X / D,
 * the equal-weight mean of its answered children; otherwise the values are 0-100 scores.
 */
export function respondentValues(plan: Plan, answers: Readonly<Record<string, unknown>>, extra: readonly string[] = []): Map<string, number | null> {
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
export function scoreFactor(plan: Plan, column: string): number {
  if (!plan.exact) return 1;
  if (column.startsWith('q:')) return 100 / plan.allRatings.get(column.slice(2))!.range;
  return 100 / plan.inner.get(column)!.denominator;
}

/** Raw (not yet renormalised) child weights of every inner node, by the rules scoreTree weights them with. */
export function treeWeights(plan: Plan, dataDriven: Readonly<Record<string, Record<string, number>>>): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const node of plan.inner.values()) {
    const children = node.children.map((id, j) => ({ id, weight: node.childWeights[j] }));
    const weights = weightsOf(node.id, node.weighting, children, dataDriven);
    result[node.id] = Object.fromEntries(node.children.map((id, j) => [id, weights[j] ?? 0]));
  }
  return result;
}

/** Counts the valid answers of `questions` (fuzzy evaluation, top-2-box, NPS). */
export function countAnswers(questions: Iterable<QuestionInfo>, acc: AnswerCounts, answers: Readonly<Record<string, unknown>>): void {
  for (const info of questions) {
    const value = answers[info.id];
    if (unitsOf(info, value) === null) continue;
    countAnswer(acc, info.id, value as number);
  }
}
