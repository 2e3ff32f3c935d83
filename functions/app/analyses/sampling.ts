/**
 * The basis of the significance marks of aggregate nodes: the pairwise sums of the tree's
 * questions (functions/domain/stats/sampling.ts) with what reading them needs. Presentation turns
 * it into the marks and leaves it out of the report shown.
 */
import { addSamplingResponse, combineSampling, emptySampling, type SamplingAccumulator, type SamplingBasis } from '../../domain/stats/sampling';
import type { ResponseAnalysis } from './analysis';
import { overrideWeightsOf } from './scores';
import { statisticsPlan, treeWeights, unitsOf } from './statistics-plan';

export interface SamplingReport extends SamplingBasis {
  /** The raw child weights the tree used for this unit (renormalised over present children). */
  childWeights: Record<string, Record<string, number>>;
}

export const samplingAnalysis: ResponseAnalysis<SamplingAccumulator, SamplingReport, 'sampling'> = {
  id: 'sampling',
  withheldWhenSmall: false,
  applies: () => true,
  empty: (q) => emptySampling(statisticsPlan(q).questions.length),
  add: (q, acc, response) => {
    const plan = statisticsPlan(q);
    const answered: [number, number][] = [];
    const nodes = new Set<string>();
    plan.questions.forEach((info, i) => {
      const u = unitsOf(info, response.answers[info.id]);
      if (u === null) return;
      answered.push([i, u]);
      for (const node of plan.ancestors[i]!) nodes.add(node);
    });
    addSamplingResponse(acc, plan.questions.length, answered, nodes);
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
      childWeights: treeWeights(plan, overrideWeightsOf(context.earlier)),
      tree: [...plan.inner.values()].map((node) => ({ id: node.id, kind: node.kind, children: [...node.children] })),
    };
  },
};
