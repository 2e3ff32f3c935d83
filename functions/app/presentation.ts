/**
 * Read-time rules applied to a stored unit report before anyone sees it: significance
 * marks against the previous period and against the parent unit, and withholding the figures of
 * units below the minimum n (their responses still count in the parent's figures).
 *
 * Significance (two-sided, alpha 0.05; each mark names its test):
 * - questions: Welch's t-test on the report's {n, score, sd}; against the parent, the unit is
 *   compared with the rest of the parent (complementSummary), never with the parent including it;
 * - indicators, elements and the CSI: the same Welch test on the node's score with its linearised
 *   standard error (the variance of a weighted mean of question means, from the pairwise sums the
 *   `sampling` analysis stores; the rest of the parent is the parent's sums minus the unit's,
 *   weighted with the unit's own weights so that the difference reflects the answers only);
 * - top-2-box: two-proportion z-test; NPS: the NPS difference z-test (rest = parent's counts minus
 *   the unit's).
 * No mark is made when either side has fewer than the minimum n (its figures are withheld) or when a
 * node's score is not the weighted mean of its questions (a CSI supplied by a model).
 */
import type { QuestionScore } from '../domain/scoring';
import { StatisticsInputError } from '../domain/stats/data';
import { npsFromCounts } from '../domain/stats/nps';
import { complementSummary, DEFAULT_SIGNIFICANCE_LEVEL, npsDifferenceTest, twoProportionZTest, welchTTest, type SampleSummary, type SignificanceTest } from '../domain/stats/significance';
import { withholdingReason } from '../domain/stats/small-samples';
import { combineSampling, nodeEstimates, type NodeEstimate } from '../domain/stats/sampling';
import { sectionsWithheldWhenSmall } from './analyses/withheld-sections';
import { isWithheld, type NodeMarks, type SignificanceMark, type SignificanceSection, type UnitReport } from './report-model';

export interface PresentationContext {
  /** The same unit's report of the previous period, if computed. */
  previous?: UnitReport | undefined;
  /** The parent unit's report of the same period, if any. */
  parent?: UnitReport | undefined;
  minimumN: number;
}

export function presentReport(report: UnitReport, context: PresentationContext): UnitReport {
  const { minimumN } = context;
  // The sampling basis is internal: it only feeds the marks below.
  const { sampling: _sampling, ...rest } = report;
  const out: UnitReport = { ...rest };
  const small = (n: number) => n > 0 && n < minimumN;

  out.children = report.children.map((child) => (small(child.n) ? { ...child, csi: null, withheld: { reason: withholdingReason(child.n, minimumN)! } } : child));
  if (report.trend) out.trend = report.trend.map((point) => (small(point.n) ? { ...point, csi: null, withheld: true } : point));

  const reason = withholdingReason(report.n, minimumN);
  if (reason !== null) {
    out.withheld = { reason };
    out.csi = null;
    out.elements = report.elements.map((element) => ({
      ...element,
      score: null,
      indicators: element.indicators.map((indicator) => ({
        ...indicator,
        score: null,
        questions: indicator.questions.map((q) => ({ ...q, score: null, mean: null, sd: null, ci95: null })),
      })),
    }));
    for (const section of sectionsWithheldWhenSmall) if (section in out) out[section] = { withheld: { reason } };
    // Compliance comes from service records, not from these responses: it stays; the felt score goes.
    if (out.commitments) out.commitments = out.commitments.map(({ felt: _felt, ...commitment }) => commitment);
    return out;
  }
  out.significance = significance(report, context);
  return out;
}

function mark(test: SignificanceTest): SignificanceMark {
  return {
    test: test.test,
    difference: test.difference,
    standardError: test.standardError,
    statistic: Number.isFinite(test.statistic) ? test.statistic : null,
    df: test.df,
    p: test.p,
    significant: test.significant,
    direction: test.significant ? (test.difference > 0 ? 'up' : 'down') : 'none',
  };
}

/** Runs a test; input it cannot take (too few answers, no spread) gives no mark. */
function attempt(run: () => SignificanceTest): SignificanceMark | undefined {
  try {
    return mark(run());
  } catch (error) {
    if (error instanceof StatisticsInputError) return undefined;
    throw error;
  }
}

function questionsOf(report: UnitReport): Map<string, QuestionScore> {
  return new Map(report.elements.flatMap((e) => e.indicators.flatMap((i) => i.questions.map((q) => [q.id, q] as const))));
}

const summaryOf = (q: QuestionScore | undefined): SampleSummary | undefined =>
  q && q.score !== null && q.sd !== null && q.n >= 2 ? { n: q.n, mean: q.score, sd: q.sd } : undefined;

/** A node's score as a Welch summary: sd chosen so that sd^2 / n is the score's sampling variance. */
const nodeSummary = (e: NodeEstimate | undefined): SampleSummary | undefined =>
  e && e.score !== null && e.variance !== null && e.n >= 2 ? { n: e.n, mean: e.score, sd: Math.sqrt(e.variance * e.n) } : undefined;

function setMark(target: Record<string, NodeMarks>, id: string, kind: keyof NodeMarks, value: SignificanceMark | undefined): void {
  if (!value) return;
  (target[id] ??= {})[kind] = value;
}

const samplingOf = (report: UnitReport | undefined) => {
  const s = report?.sampling;
  return s && !isWithheld(s) && Array.isArray(s.questions) && Array.isArray(s.n) ? s : undefined;
};

const proportionsOf = (report: UnitReport | undefined) => (report?.proportions && !isWithheld(report.proportions) ? report.proportions : undefined);

function significance(report: UnitReport, context: PresentationContext): SignificanceSection {
  const { minimumN } = context;
  const previous = context.previous && context.previous.n >= minimumN ? context.previous : undefined;
  const restN = context.parent ? context.parent.n - report.n : 0;
  const parent = context.parent && restN >= minimumN ? context.parent : undefined;
  const result: SignificanceSection = {
    alpha: DEFAULT_SIGNIFICANCE_LEVEL,
    previous: previous ? { period: previous.period } : null,
    parent: parent ? { orgUnit: parent.orgUnit, rest: restN } : null,
    csi: {},
    elements: {},
    indicators: {},
    questions: {},
    topBox: {},
    nps: {},
  };

  // Questions: Welch on the report's own figures.
  const mine = questionsOf(report);
  const before = previous ? questionsOf(previous) : undefined;
  const above = parent ? questionsOf(parent) : undefined;
  for (const [id, q] of mine) {
    const a = summaryOf(q);
    if (!a) continue;
    const b = summaryOf(before?.get(id));
    if (b) setMark(result.questions, id, 'previous', attempt(() => welchTTest(a, b)));
    const whole = summaryOf(above?.get(id));
    if (whole) setMark(result.questions, id, 'parent', attempt(() => welchTTest(a, complementSummary(whole, a))));
  }

  // Indicators, elements, CSI: Welch on the linearised standard error of the weighted mean.
  const basis = samplingOf(report);
  const indexId = basis?.tree[0]?.id;
  if (basis && indexId !== undefined) {
    const unit = nodeEstimates(basis, basis.childWeights);
    const reported = new Map<string, number | null>([[indexId, report.csi]]);
    for (const e of report.elements) {
      reported.set(e.id, e.score);
      for (const i of e.indicators) reported.set(i.id, i.score);
    }
    const matches = (estimates: Map<string, NodeEstimate>, id: string, figures: Map<string, number | null>) => {
      const score = estimates.get(id)?.score;
      const shown = figures.get(id);
      return score !== null && score !== undefined && shown !== null && shown !== undefined && Math.abs(score - shown) <= 1e-6 * Math.max(1, Math.abs(shown));
    };
    const previousBasis = samplingOf(previous);
    const before = previous && previousBasis && previousBasis.tree[0]?.id === indexId ? nodeEstimates(previousBasis, previousBasis.childWeights) : undefined;
    const beforeShown = new Map<string, number | null>();
    if (previous) {
      beforeShown.set(indexId, previous.csi);
      for (const e of previous.elements) {
        beforeShown.set(e.id, e.score);
        for (const i of e.indicators) beforeShown.set(i.id, i.score);
      }
    }
    const parentBasis = samplingOf(parent);
    const restBasis = parent && parentBasis && parentBasis.questions.join() === basis.questions.join() ? { ...parentBasis, ...combineSampling(parentBasis, basis, -1) } : undefined;
    const rest = restBasis ? nodeEstimates(restBasis, basis.childWeights) : undefined;

    const kindOf = new Map(basis.tree.map((node) => [node.id, node.kind]));
    const bucketOf = (id: string): Record<string, NodeMarks> | 'csi' => (kindOf.get(id) === 'index' ? 'csi' : kindOf.get(id) === 'element' ? result.elements : result.indicators);
    for (const id of reported.keys()) {
      if (!matches(unit, id, reported)) continue;
      const a = nodeSummary(unit.get(id));
      if (!a) continue;
      const marks: NodeMarks = {};
      if (before && matches(before, id, beforeShown)) {
        const b = nodeSummary(before.get(id));
        if (b) marks.previous = attempt(() => welchTTest(a, b));
      }
      const r = nodeSummary(rest?.get(id));
      if (r) marks.parent = attempt(() => welchTTest(a, r));
      const bucket = bucketOf(id);
      for (const kind of ['previous', 'parent'] as const) {
        if (bucket === 'csi') {
          if (marks[kind]) result.csi[kind] = marks[kind];
        } else {
          setMark(bucket, id, kind, marks[kind]);
        }
      }
    }
  }

  // Top-2-box and NPS from the counts.
  const proportions = proportionsOf(report);
  const previousProportions = proportionsOf(previous);
  const parentProportions = proportionsOf(parent);
  for (const [id, q] of Object.entries(proportions?.questions ?? {})) {
    const a = { successes: q.topBox.successes, n: q.topBox.n };
    const b = previousProportions?.questions?.[id]?.topBox;
    if (b) setMark(result.topBox, id, 'previous', attempt(() => twoProportionZTest(a, { successes: b.successes, n: b.n })));
    const whole = parentProportions?.questions?.[id]?.topBox;
    if (whole && whole.n - a.n >= 1) setMark(result.topBox, id, 'parent', attempt(() => twoProportionZTest(a, { successes: whole.successes - a.successes, n: whole.n - a.n })));

    if (!q.nps) continue;
    const nps = q.nps;
    const prior = previousProportions?.questions?.[id]?.nps;
    if (prior) setMark(result.nps, id, 'previous', attempt(() => npsDifferenceTest(nps, prior)));
    const total = parentProportions?.questions?.[id]?.nps;
    if (total && total.n - nps.n >= 1) {
      setMark(
        result.nps,
        id,
        'parent',
        attempt(() =>
          npsDifferenceTest(
            nps,
            npsFromCounts({ promoters: total.promoters - nps.promoters, passives: total.passives - nps.passives, detractors: total.detractors - nps.detractors }),
          ),
        ),
      );
    }
  }
  return result;
}
