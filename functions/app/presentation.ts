/**
 * Read-time rules applied to a stored unit report before anyone sees it: the CSI's 95% interval,
 * significance marks against the previous period, the same period a year earlier and the parent
 * unit, and withholding the figures of
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
 * - a CSI that is a PLS model's index: against earlier months, the z-test on the two months'
 *   bootstrap standard errors (no mark against the parent: the rest of a parent has no bootstrap).
 * No mark is made when either side has fewer than the minimum n (its figures are withheld), or,
 * for the weighted-mean tests, when a node's score is not the weighted mean of its questions.
 */
import type { QuestionScore } from '../domain/scoring';
import { StatisticsInputError } from '../domain/stats/data';
import { npsFromCounts } from '../domain/stats/nps';
import { bootstrapZTest, complementSummary, DEFAULT_SIGNIFICANCE_LEVEL, npsDifferenceTest, twoProportionZTest, welchTTest, type SampleSummary, type SignificanceTest } from '../domain/stats/significance';
import { withholdingReason } from '../domain/stats/small-samples';
import { combineSampling, nodeEstimates, type NodeEstimate } from '../domain/stats/sampling';
import { sectionsWithheldWhenSmall } from './analyses/withheld-sections';
import { csiInterval, estimateMatches, modelCsiBootstrap, samplingOf } from './report-intervals';
import { isWithheld, type NodeMarks, type SignificanceMark, type SignificanceSection, type UnitReport } from './report-model';

export interface PresentationContext {
  /** The same unit's report of the previous period, if computed. */
  previous?: UnitReport | undefined;
  /** The same unit's report of the same period a year earlier, if computed. */
  yearEarlier?: UnitReport | undefined;
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
  if (report.trend) {
    out.trend = report.trend.map((point) => {
      if (!small(point.n)) return point;
      const { ci95: _interval, elements: _elements, ...kept } = point;
      return { ...kept, csi: null, withheld: true };
    });
  }

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
  out.csiCi95 = csiInterval(report);
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

const proportionsOf = (report: UnitReport | undefined) => (report?.proportions && !isWithheld(report.proportions) ? report.proportions : undefined);

/** The shown scores of the CSI, elements and indicators by node id. */
function shownScores(report: UnitReport, indexId: string): Map<string, number | null> {
  const shown = new Map<string, number | null>([[indexId, report.csi]]);
  for (const e of report.elements) {
    shown.set(e.id, e.score);
    for (const i of e.indicators) shown.set(i.id, i.score);
  }
  return shown;
}

/** The comparisons over time: the previous month and the same month a year earlier. */
const EARLIER = ['previous', 'yearEarlier'] as const;

function significance(report: UnitReport, context: PresentationContext): SignificanceSection {
  const { minimumN } = context;
  const enough = (other: UnitReport | undefined) => (other && other.n >= minimumN ? other : undefined);
  const earlier = { previous: enough(context.previous), yearEarlier: enough(context.yearEarlier) };
  const restN = context.parent ? context.parent.n - report.n : 0;
  const parent = context.parent && restN >= minimumN ? context.parent : undefined;
  const result: SignificanceSection = {
    alpha: DEFAULT_SIGNIFICANCE_LEVEL,
    previous: earlier.previous ? { period: earlier.previous.period } : null,
    yearEarlier: earlier.yearEarlier ? { period: earlier.yearEarlier.period } : null,
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
  const above = parent ? questionsOf(parent) : undefined;
  const earlierQuestions = EARLIER.map((kind) => [kind, earlier[kind] ? questionsOf(earlier[kind]) : undefined] as const);
  for (const [id, q] of mine) {
    const a = summaryOf(q);
    if (!a) continue;
    for (const [kind, questions] of earlierQuestions) {
      const b = summaryOf(questions?.get(id));
      if (b) setMark(result.questions, id, kind, attempt(() => welchTTest(a, b)));
    }
    const whole = summaryOf(above?.get(id));
    if (whole) setMark(result.questions, id, 'parent', attempt(() => welchTTest(a, complementSummary(whole, a))));
  }

  // Indicators, elements, CSI: Welch on the linearised standard error of the weighted mean.
  const basis = samplingOf(report);
  const indexId = basis?.tree[0]?.id;
  if (basis && indexId !== undefined) {
    const unit = nodeEstimates(basis, basis.childWeights);
    const reported = shownScores(report, indexId);
    const earlierEstimates = EARLIER.map((kind) => {
      const other = earlier[kind];
      const otherBasis = samplingOf(other);
      const estimates = other && otherBasis && otherBasis.tree[0]?.id === indexId ? nodeEstimates(otherBasis, otherBasis.childWeights) : undefined;
      return { kind, estimates, shown: other ? shownScores(other, indexId) : new Map<string, number | null>() };
    });
    const parentBasis = samplingOf(parent);
    const restBasis = parent && parentBasis && parentBasis.questions.join() === basis.questions.join() ? { ...parentBasis, ...combineSampling(parentBasis, basis, -1) } : undefined;
    const rest = restBasis ? nodeEstimates(restBasis, basis.childWeights) : undefined;

    const kindOf = new Map(basis.tree.map((node) => [node.id, node.kind]));
    const bucketOf = (id: string): Record<string, NodeMarks> | 'csi' => (kindOf.get(id) === 'index' ? 'csi' : kindOf.get(id) === 'element' ? result.elements : result.indicators);
    for (const id of reported.keys()) {
      if (!estimateMatches(unit.get(id), reported.get(id))) continue;
      const a = nodeSummary(unit.get(id));
      if (!a) continue;
      const marks: NodeMarks = {};
      for (const { kind, estimates, shown } of earlierEstimates) {
        if (!estimates || !estimateMatches(estimates.get(id), shown.get(id))) continue;
        const b = nodeSummary(estimates.get(id));
        if (b) marks[kind] = attempt(() => welchTTest(a, b));
      }
      const r = nodeSummary(rest?.get(id));
      if (r) marks.parent = attempt(() => welchTTest(a, r));
      const bucket = bucketOf(id);
      for (const kind of [...EARLIER, 'parent'] as const) {
        if (bucket === 'csi') {
          if (marks[kind]) result.csi[kind] = marks[kind];
        } else {
          setMark(bucket, id, kind, marks[kind]);
        }
      }
    }
  }

  // A CSI that is a PLS index: the bootstrap z-test on the months' bootstrap standard errors.
  const model = modelCsiBootstrap(report);
  if (model) {
    for (const kind of EARLIER) {
      const other = earlier[kind] ? modelCsiBootstrap(earlier[kind]) : undefined;
      if (other) result.csi[kind] = attempt(() => bootstrapZTest(model, other));
    }
  }

  // Top-2-box and NPS from the counts.
  const proportions = proportionsOf(report);
  const earlierProportions = EARLIER.map((kind) => [kind, proportionsOf(earlier[kind])] as const);
  const parentProportions = proportionsOf(parent);
  for (const [id, q] of Object.entries(proportions?.questions ?? {})) {
    const a = { successes: q.topBox.successes, n: q.topBox.n };
    for (const [kind, other] of earlierProportions) {
      const b = other?.questions?.[id]?.topBox;
      if (b) setMark(result.topBox, id, kind, attempt(() => twoProportionZTest(a, { successes: b.successes, n: b.n })));
    }
    const whole = parentProportions?.questions?.[id]?.topBox;
    if (whole && whole.n - a.n >= 1) setMark(result.topBox, id, 'parent', attempt(() => twoProportionZTest(a, { successes: whole.successes - a.successes, n: whole.n - a.n })));

    if (!q.nps) continue;
    const nps = q.nps;
    for (const [kind, other] of earlierProportions) {
      const prior = other?.questions?.[id]?.nps;
      if (prior) setMark(result.nps, id, kind, attempt(() => npsDifferenceTest(nps, prior)));
    }
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
