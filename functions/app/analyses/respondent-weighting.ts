/**
 * Respondent weighting by raking: when a questionnaire declares population margins
 * (`respondentWeighting: {method: raking, population: {grade?, orgUnit?}}`), every unit's report
 * gains weighted figures beside the unweighted ones.
 *
 * The accumulator keeps, per cell (the unit a response belongs to x the respondent's grade), the
 * count and each question's sums of scores and raw answers; cells merge by addition, so a parent
 * holds every cell of its subtree. At a unit the cells are raked (functions/domain/stats/raking.ts,
 * one pseudo-respondent per cell with its count as base weight, which is IPF on the respondents,
 * since the weights are equal within a cell) to the grade margins and, where unit populations are
 * declared, to the margins of the unit's children; the tree is then scored from the weighted
 * question means. n is reported three ways: unweighted, weighted (the population the weights stand
 * for) and effective (Kish).
 */
import { emptyAccumulator, ratingScore, scoreTree, type ScoreAccumulator } from '../../domain/scoring';
import { ratingQuestions, type Questionnaire, type RespondentWeighting } from '../../domain/questionnaire';
import { rake, type RakingDimension } from '../../domain/stats/raking';
import type { OrgTree } from '../../domain/org';
import type { AnalysisContext, ResponseAnalysis } from './analysis';
import type { WeightOverride } from './scores';

const NO_GRADE = '(none)';

interface Cell {
  unit: string;
  grade: string;
  n: number;
  /** Per question: answers, sum of 0-100 scores, sum of raw answers. */
  questions: Record<string, { n: number; score: number; value: number }>;
  /** Per node (indicator, element, index): respondents who answered something below it. */
  contributors: Record<string, number>;
}

export type WeightingAccumulator = Record<string, Cell>;

export interface WeightedFigures {
  method: 'raking';
  dimensions: string[];
  n: { unweighted: number; weighted: number; effective: number };
  csi: number | null;
  elements: { id: string; score: number | null; indicators: { id: string; score: number | null }[] }[];
  iterations: number;
  converged: boolean;
  maxShareError: number;
  warnings: string[];
}

const cellKey = (unit: string, grade: string) => `${unit}|${grade}`;

/** The unit's own population plus its descendants'. */
function subtreePopulation(tree: OrgTree, unitId: string, population: Record<string, number>): number {
  return (population[unitId] ?? 0) + tree.children(unitId).reduce((sum, child) => sum + subtreePopulation(tree, child, population), 0);
}

/** Which part of `unitId`'s subtree a cell's unit falls in: `unitId` itself or one of its children. */
function branchOf(tree: OrgTree, unitId: string, cellUnit: string): string {
  const path = tree.path(cellUnit);
  const at = path.indexOf(unitId);
  return at >= 0 && at < path.length - 1 ? (path[at + 1] as string) : unitId;
}

function weigh(questionnaire: Questionnaire, spec: RespondentWeighting, acc: WeightingAccumulator, context: AnalysisContext): WeightedFigures | { error: string } {
  const cells = Object.values(acc).filter((cell) => cell.n > 0);
  const unweighted = cells.reduce((sum, cell) => sum + cell.n, 0);
  if (unweighted === 0) return { error: 'no responses' };
  const dimensions: RakingDimension[] = [];
  if (spec.population.grade) {
    dimensions.push({ name: 'grade', categories: cells.map((cell) => cell.grade), targets: spec.population.grade });
  }
  const unitPopulation = spec.population.orgUnit;
  if (unitPopulation) {
    const branches = cells.map((cell) => branchOf(context.tree, context.unitId, cell.unit));
    if (new Set(branches).size > 1) {
      const targets = Object.fromEntries(
        [...new Set(branches)].map((branch) => [branch, branch === context.unitId ? (unitPopulation[branch] ?? 0) : subtreePopulation(context.tree, branch, unitPopulation)]),
      );
      dimensions.push({ name: 'orgUnit', categories: branches, targets });
    }
  }
  if (dimensions.length === 0) return { error: 'nothing to weight by in this unit' };
  let raked;
  try {
    raked = rake(dimensions, { baseWeights: cells.map((cell) => cell.n) });
  } catch (error) {
    return { error: (error as Error).message };
  }
  // rake gives each cell's total weight; a respondent's weight is the cell's total over its count.
  const perRespondent = cells.map((cell, i) => (raked.weights[i] as number) / cell.n);
  const populationTotal = spec.population.grade
    ? Object.values(spec.population.grade).reduce((a, b) => a + b, 0)
    : subtreePopulation(context.tree, context.unitId, unitPopulation ?? {});
  const totalWeight = cells.reduce((sum, cell, i) => sum + cell.n * (perRespondent[i] as number), 0);
  const scale = populationTotal > 0 ? populationTotal / totalWeight : unweighted / totalWeight;
  const weights = perRespondent.map((w) => w * scale);
  const sumW = cells.reduce((sum, cell, i) => sum + cell.n * (weights[i] as number), 0);
  const sumW2 = cells.reduce((sum, cell, i) => sum + cell.n * (weights[i] as number) ** 2, 0);

  // The weighted question means, as an accumulator the tree can score (spread is not estimated here).
  const synthetic: ScoreAccumulator = emptyAccumulator();
  synthetic.responses = unweighted;
  for (const questionId of ratingQuestions(questionnaire).keys()) {
    let weight = 0;
    let score = 0;
    let value = 0;
    let n = 0;
    cells.forEach((cell, i) => {
      const q = cell.questions[questionId];
      if (!q || q.n === 0) return;
      const w = weights[i] as number;
      weight += w * q.n;
      score += w * q.score;
      value += w * q.value;
      n += q.n;
    });
    if (weight > 0) synthetic.questions[questionId] = { score: { n, mean: score / weight, m2: 0 }, value: { n, mean: value / weight, m2: 0 } };
  }
  for (const cell of cells) for (const [node, count] of Object.entries(cell.contributors)) synthetic.contributors[node] = (synthetic.contributors[node] ?? 0) + count;
  const overrides = Object.values(context.earlier)
    .map((r) => (r as { weightOverride?: WeightOverride } | undefined)?.weightOverride)
    .filter((o): o is WeightOverride => o !== undefined);
  const tree = scoreTree(questionnaire, synthetic, Object.assign({}, ...overrides.map((o) => o.weights)));
  return {
    method: 'raking',
    dimensions: dimensions.map((d) => d.name),
    n: { unweighted, weighted: sumW, effective: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0 },
    csi: tree.csi,
    elements: tree.elements.map((e) => ({ id: e.id, score: e.score, indicators: e.indicators.map((i) => ({ id: i.id, score: i.score })) })),
    iterations: raked.iterations,
    converged: raked.converged,
    maxShareError: raked.maxShareError,
    warnings: raked.warnings,
  };
}

/** Per questionnaire: each scored question's scale and the nodes it contributes to. */
const plans = new WeakMap<Questionnaire, { ratings: ReturnType<typeof ratingQuestions>; ancestors: Map<string, string[]> }>();
function planOf(q: Questionnaire) {
  let plan = plans.get(q);
  if (!plan) {
    const ancestors = new Map<string, string[]>();
    for (const element of q.index.elements) for (const indicator of element.indicators) for (const id of indicator.questions) ancestors.set(id, [indicator.id, element.id, q.index.id]);
    plan = { ratings: ratingQuestions(q), ancestors };
    plans.set(q, plan);
  }
  return plan;
}

export const respondentWeightingAnalysis: ResponseAnalysis<WeightingAccumulator, WeightedFigures | { error: string }, 'weighted'> = {
  id: 'weighted',
  withheldWhenSmall: true,
  applies: (q) => q.respondentWeighting !== undefined,
  empty: () => ({}),
  add: (q, acc, response) => {
    const grade = response.grade ?? NO_GRADE;
    const key = cellKey(response.orgUnitId, grade);
    const cell = (acc[key] ??= { unit: response.orgUnitId, grade, n: 0, questions: {}, contributors: {} });
    cell.n += 1;
    const { ratings, ancestors } = planOf(q);
    const touched = new Set<string>();
    for (const [questionId, nodes] of ancestors) {
      const answer = response.answers[questionId];
      const rating = ratings.get(questionId);
      if (typeof answer !== 'number' || !rating) continue;
      const sums = (cell.questions[questionId] ??= { n: 0, score: 0, value: 0 });
      sums.n += 1;
      sums.score += ratingScore(answer, rating.scale, rating.question.reverse);
      sums.value += answer;
      nodes.forEach((node) => touched.add(node));
    }
    for (const node of touched) cell.contributors[node] = (cell.contributors[node] ?? 0) + 1;
  },
  merge: (a, b) => {
    const merged: WeightingAccumulator = {};
    for (const source of [a, b]) {
      for (const [key, cell] of Object.entries(source)) {
        const into = (merged[key] ??= { unit: cell.unit, grade: cell.grade, n: 0, questions: {}, contributors: {} });
        into.n += cell.n;
        for (const [id, q] of Object.entries(cell.questions)) {
          const sums = (into.questions[id] ??= { n: 0, score: 0, value: 0 });
          sums.n += q.n;
          sums.score += q.score;
          sums.value += q.value;
        }
        for (const [node, count] of Object.entries(cell.contributors)) into.contributors[node] = (into.contributors[node] ?? 0) + count;
      }
    }
    return merged;
  },
  serialize: (acc) => acc,
  deserialize: (_q, json) => json as WeightingAccumulator,
  result: (acc, context) => weigh(context.questionnaire, context.questionnaire.respondentWeighting as RespondentWeighting, acc, context),
};
