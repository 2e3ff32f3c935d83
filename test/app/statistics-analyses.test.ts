/**
 * The statistics analyses as the computation uses them: accumulators are exactly mergeable (all
 * responses at once, or any split merged in any order after a JSON round trip, give identical
 * results) and their results agree with the domain functions applied to the raw answers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '../../functions/domain/pls/random';
import { parse } from 'yaml';
import type { AnyAnalysis, ResponseAnalysis } from '../../functions/app/analyses/analysis';
import { scoresAnalysis } from '../../functions/app/analyses/scores';
import { afterScores, beforeScores } from '../../functions/app/analyses';
import type { DriversReport } from '../../functions/app/analyses/drivers';
import type { FuzzyReport } from '../../functions/app/analyses/fuzzy';
import type { ReliabilityReport } from '../../functions/app/analyses/reliability';
import type { SamplingReport } from '../../functions/app/analyses/sampling';
import { statisticsPlan } from '../../functions/app/analyses/statistics-plan';
import { nodeEstimates } from '../../functions/domain/stats/sampling';
import { OrgTree } from '../../functions/domain/org';
import { validateQuestionnaire, type Questionnaire } from '../../functions/domain/questionnaire';
import type { TreeScores } from '../../functions/domain/scoring';
import { completeCases } from '../../functions/domain/stats/data';
import { keyDriverAnalysis } from '../../functions/domain/stats/drivers';
import { reliability } from '../../functions/domain/stats/reliability';
import type { ResponseRecord } from '../../functions/domain/records';
import { fixture } from '../helpers/platform';

const load = (input: unknown): Questionnaire => {
  const result = validateQuestionnaire(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.questionnaire;
};
const statisticsCsi = load(fixture('statistics-csi.yaml'));
const bank = load(parse(readFileSync(new URL('../../surveys/bank-branch-csi.yaml', import.meta.url), 'utf8')));


/** Correlated answers to every rating question, about 15% of optional ones skipped. */
function responses(q: Questionnaire, count: number, seed: number): ResponseRecord[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) => {
    const level = random();
    const answers: Record<string, number> = {};
    for (const question of q.questions) {
      if (question.type !== 'rating') continue;
      const scale = q.scales[question.scale]!;
      if (!question.required && random() < 0.15) continue;
      const x = Math.min(1, Math.max(0, (question.reverse ? 1 - level : level) + (random() - 0.5) * 0.6));
      answers[question.id] = Math.round(scale.min + x * (scale.max - scale.min));
    }
    return { responseId: `r${i}`, invitationId: `i${i}`, campaignId: 'c', surveyId: q.id, version: q.version, orgUnitId: 'u', period: '2026-11', submittedAt: '2026-11-10T00:00:00Z', lang: 'en', answers };
  });
}

const tree = new OrgTree([{ id: 'u', name: 'U' }]);
const mine: AnyAnalysis[] = [...beforeScores, ...afterScores];

/** Accumulates each part on its own, round-trips it through JSON, merges the parts in order. */
function accumulateParts<A>(q: Questionnaire, analysis: ResponseAnalysis<A, unknown>, parts: ResponseRecord[][]): A {
  const accs = parts.map((part) => {
    const acc = analysis.empty(q);
    for (const response of part) analysis.add(q, acc, response);
    return analysis.deserialize(q, JSON.parse(JSON.stringify(analysis.serialize(acc))));
  });
  return accs.reduce((a, b) => analysis.merge(a, b), analysis.empty(q));
}

/**
 * Every analysis's result for the given split. The scores (not a statistics analysis; its moments
 * merge by Chan's formula, exact up to rounding) come from all responses at once, so that what is
 * compared is this module's accumulators only.
 */
function resultsFor(q: Questionnaire, parts: ResponseRecord[][], all: ResponseRecord[]): Record<string, unknown> {
  const earlier: Record<string, unknown> = {};
  const context = { questionnaire: q, period: '2026-11', unitId: 'u', tree, rootResult: undefined, earlier };
  for (const analysis of beforeScores) earlier[analysis.id] = analysis.result(accumulateParts(q, analysis, parts), context);
  earlier.scores = scoresAnalysis.result(accumulateParts(q, scoresAnalysis, [all]), context);
  for (const analysis of afterScores) earlier[analysis.id] = analysis.result(accumulateParts(q, analysis, parts), context);
  return earlier;
}

describe.each([
  ['statistics-csi', statisticsCsi, 80],
  ['bank-branch-csi', bank, 120],
])('the analyses on %s', (_name, q, count) => {
  const all = responses(q, count, 42);
  const reference = resultsFor(q, [all], all);

  it('accumulates in exact integers', () => {
    expect(statisticsPlan(q).exact).toBe(true);
  });

  it('gives identical results for all responses at once and for any split merged in any order', () => {
    const half = Math.floor(count / 2);
    const halves = resultsFor(q, [all.slice(0, half), all.slice(half)], all);
    const reversed = resultsFor(q, [all.slice(half), all.slice(0, half)], all);
    const thirds = resultsFor(q, [all.slice(40), all.slice(0, 13), [], all.slice(13, 40)], all);
    for (const analysis of mine) {
      expect(halves[analysis.id], analysis.id).toEqual(reference[analysis.id]);
      expect(reversed[analysis.id], analysis.id).toEqual(reference[analysis.id]);
      expect(thirds[analysis.id], analysis.id).toEqual(reference[analysis.id]);
    }
  });

  it('keeps results JSON-serialisable', () => {
    for (const analysis of mine) expect(JSON.parse(JSON.stringify(reference[analysis.id])), analysis.id).toEqual(reference[analysis.id]);
  });

  it('gives Cronbach\'s alpha and item-total correlations as the domain function does on the scores', () => {
    const plan = statisticsPlan(q);
    const report = reference.reliability as ReliabilityReport;
    for (const [element, ids] of plan.elementQuestions) {
      if (ids.length < 2) continue;
      const columns = Object.fromEntries(
        ids.map((id) => {
          const info = plan.allRatings.get(id)!;
          return [id, all.map((r) => {
            const v = r.answers[id];
            return typeof v === 'number' ? (100 * (info.reverse ? info.max - v : v - info.min)) / info.range : null;
          })];
        }),
      );
      const cases = completeCases(columns);
      const expected = reliability(cases.columns);
      const actual = report[element]!;
      expect(actual.n).toBe(cases.n);
      expect(actual.alpha!).toBeCloseTo(expected.alpha!, 10);
      expect(actual.standardizedAlpha!).toBeCloseTo(expected.standardizedAlpha!, 10);
      for (const id of ids) {
        expect(actual.items![id]!.correctedItemTotalCorrelation!).toBeCloseTo(expected.items[id]!.correctedItemTotalCorrelation!, 10);
        expect(actual.items![id]!.itemTotalCorrelation!).toBeCloseTo(expected.items[id]!.itemTotalCorrelation!, 10);
        if (ids.length > 2) expect(actual.items![id]!.alphaIfDeleted!).toBeCloseTo(expected.items[id]!.alphaIfDeleted!, 10);
      }
    }
  });

  it('gives the key drivers as keyDriverAnalysis does on per-respondent indicator scores', () => {
    const drivers = reference.drivers as DriversReport;
    expect(drivers.key.status, drivers.key.reason).toBe('ok');
    const score = (r: ResponseRecord, id: string) => {
      const info = statisticsPlan(q).allRatings.get(id)!;
      const v = r.answers[id];
      return typeof v === 'number' ? (100 * (info.reverse ? info.max - v : v - info.min)) / info.range : null;
    };
    const indicatorScore = (r: ResponseRecord, indicatorId: string) => {
      const indicator = q.index.elements.flatMap((e) => e.indicators).find((i) => i.id === indicatorId)!;
      const scores = indicator.questions.map((id) => score(r, id)).filter((s): s is number => s !== null);
      return scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
    };
    const target = q.index.elements.find((e) => e.id === drivers.key.target)!;
    const targetScore = (r: ResponseRecord) => {
      const scores = target.indicators.map((i) => indicatorScore(r, i.id)).filter((s): s is number => s !== null);
      return scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
    };
    const columns = Object.fromEntries(drivers.key.predictors.map((id) => [id, all.map((r) => indicatorScore(r, id))]));
    const cases = completeCases({ ...columns, '@y': all.map(targetScore) });
    const { '@y': y, ...x } = cases.columns;
    const expected = keyDriverAnalysis(y!, x);
    expect(drivers.key.n).toBe(expected.n);
    expect(drivers.key.r2!).toBeCloseTo(expected.r2, 10);
    for (const id of drivers.key.predictors) {
      expect(drivers.key.rescaled![id]!).toBeCloseTo(expected.rescaled[id]!, 10);
      expect(drivers.key.beta![id]!).toBeCloseTo(expected.beta[id]!, 10);
      expect(drivers.key.correlations![id]!).toBeCloseTo(expected.correlations[id]!, 10);
    }
  });

  it('reproduces the tree\'s scores from the sampling basis, and a question\'s variance is sd^2 / n', () => {
    const sampling = reference.sampling as SamplingReport;
    const scores = reference.scores as TreeScores;
    const estimates = nodeEstimates(sampling, sampling.childWeights);
    // Without a model-supplied CSI the CSI is the weighted mean of the questions.
    if (!scores.notes.some((n) => /model|pls/i.test(n)) && !q.index.model) expect(estimates.get(q.index.id)!.score!).toBeCloseTo(scores.csi!, 9);
    for (const element of scores.elements) {
      expect(estimates.get(element.id)!.score!).toBeCloseTo(element.score!, 9);
      expect(estimates.get(element.id)!.n).toBe(element.n);
      for (const indicator of element.indicators) {
        expect(estimates.get(indicator.id)!.score!).toBeCloseTo(indicator.score!, 9);
        if (indicator.questions.length === 1) {
          const [question] = indicator.questions;
          expect(estimates.get(indicator.id)!.variance!).toBeCloseTo(question!.sd! ** 2 / question!.n, 9);
        }
      }
    }
  });

  it('evaluates the fuzzy tree with the tree\'s weights (a parent is the weighted sum of its children)', () => {
    const fuzzy = reference.fuzzy as FuzzyReport;
    const scores = reference.scores as TreeScores;
    for (const node of fuzzy.nodes) {
      if (node.membership) expect(node.membership.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    // An element: the weighted sum of its indicators' vectors, with the weights the tree used.
    const sampling = reference.sampling as SamplingReport;
    const element = scores.elements[0]!;
    const weights = sampling.childWeights[element.id]!;
    const total = element.indicators.reduce((s, i) => s + weights[i.id]!, 0);
    const vectorOf = (id: string, kind: string) => fuzzy.nodes.find((n) => n.id === id && n.kind === kind)!.membership!;
    const expected = vectorOf(element.indicators[0]!.id, 'indicator').map((_, g) =>
      element.indicators.reduce((s, i) => s + (weights[i.id]! / total) * vectorOf(i.id, 'indicator')[g]!, 0),
    );
    vectorOf(element.id, 'element').forEach((share, g) => expect(share).toBeCloseTo(expected[g]!, 12));
  });
});

describe('derived weights', () => {
  it('hands the rescaled relative weights of perceived quality to the scores', () => {
    const all = responses(statisticsCsi, 60, 7);
    const results = resultsFor(statisticsCsi, [all], all);
    const drivers = results.drivers as DriversReport;
    const quality = drivers.derived.quality!;
    expect(quality).toMatchObject({ status: 'ok', source: 'unit', target: 'satisfaction', predictors: ['staff', 'speed', 'facilities'] });
    expect(drivers.weightOverride).toEqual({ weights: { quality: quality.rescaled } });
    const scores = results.scores as TreeScores;
    const element = scores.elements[0]!;
    expect(element.score!).toBeCloseTo(element.indicators.reduce((s, i) => s + quality.weights![i.id]! * i.score!, 0), 10);
  });

  it('withholds drivers below predictors + 10 complete responses and falls back to the root\'s weights', () => {
    const all = responses(statisticsCsi, 60, 7);
    const rootDrivers = resultsFor(statisticsCsi, [all], all).drivers as DriversReport;
    const few = all.slice(0, 12);
    const drivers = beforeScores[0]!;
    const acc = accumulateParts(statisticsCsi, drivers, [few]);
    const result = drivers.result(acc, { questionnaire: statisticsCsi, period: '2026-11', unitId: 'u', tree, rootResult: rootDrivers, earlier: {} }) as DriversReport;
    expect(result.key).toMatchObject({ status: 'withheld', reason: expect.stringMatching(/fewer than 14 responses/) });
    expect(result.derived.quality).toMatchObject({ status: 'withheld', source: 'root', weights: rootDrivers.derived.quality!.weights });
    expect(result.weightOverride?.weights.quality).toEqual(rootDrivers.derived.quality!.weights);
    expect(result.weightOverride?.note).toMatch(/"quality" come from the whole organisation/);
  });
});
