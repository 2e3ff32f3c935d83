/** Fuzzy comprehensive evaluation: membership vectors of every node, with the same weights as the tree's scores. */
import { copyCounts, mergeCounts, type AnswerCounts } from '../../domain/stats/counts';
import { DEFAULT_FUZZY_GRADES, fuzzyEvaluate, linearGradeMapping, type FuzzyGrade, type FuzzyNodeResult, type FuzzyTreeNode } from '../../domain/stats/fuzzy';
import type { ResponseAnalysis } from './analysis';
import { overrideWeightsOf } from './scores';
import { countAnswers, statisticsPlan, treeWeights, type InnerKind, type Plan } from './statistics-plan';

export interface FuzzyNode extends FuzzyNodeResult {
  kind: InnerKind | 'question';
}

export interface FuzzyReport {
  grades: FuzzyGrade[];
  nodes: FuzzyNode[];
  warnings: string[];
}

export const fuzzyAnalysis: ResponseAnalysis<AnswerCounts, FuzzyReport, 'fuzzy'> = {
  id: 'fuzzy',
  withheldWhenSmall: true,
  applies: () => true,
  empty: () => ({}),
  add: (q, acc, response) => countAnswers(statisticsPlan(q).questions, acc, response.answers),
  merge: mergeCounts,
  serialize: (acc) => acc,
  deserialize: (_q, json) => copyCounts(json),
  result: (acc, context) =>
    fuzzyResult(statisticsPlan(context.questionnaire), acc, overrideWeightsOf(context.earlier), context.questionnaire.fuzzyGrades ?? DEFAULT_FUZZY_GRADES),
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

