/**
 * The CSI's 95% interval and the small trend point kept beside each report. Where the CSI is the
 * weighted mean of its questions, the interval is the t interval with its linearised standard
 * error (the same variance the significance marks use, functions/domain/stats/sampling.ts): score
 * +/- t(0.975, n-1) * sqrt(var). Where it is a PLS model's index, it is the model's bootstrap
 * percentile interval (functions/domain/pls/bootstrap.ts).
 */
import type { ReportTrendPoint } from '../domain/records';
import { tConfidenceInterval } from '../domain/stats/distributions';
import { nodeEstimates, type NodeEstimate } from '../domain/stats/sampling';
import { isWithheld, type UnitReport } from './report-model';

export const samplingOf = (report: Pick<UnitReport, 'sampling'> | undefined) => {
  const s = report?.sampling;
  return s && !isWithheld(s) && Array.isArray(s.questions) && Array.isArray(s.n) ? s : undefined;
};

/** Whether an estimate is the figure the report shows (a model's CSI is not the weighted mean). */
export function estimateMatches(estimate: NodeEstimate | undefined, shown: number | null | undefined): boolean {
  const score = estimate?.score;
  return score !== null && score !== undefined && shown !== null && shown !== undefined && Math.abs(score - shown) <= 1e-6 * Math.max(1, Math.abs(shown));
}

/**
 * The PLS model's bootstrap of the CSI where the CSI is the model's index (its percentile
 * interval and standard error), or undefined.
 */
export function modelCsiBootstrap(report: Pick<UnitReport, 'model' | 'csi'>): { estimate: number; standardError: number; lower: number; upper: number } | undefined {
  const model = report.model;
  if (!model || isWithheld(model) || report.csi === null || !model.bootstrap) return undefined;
  // The CSI is the model's index of one element (index.model.csi): the one whose index it equals.
  for (const [element, value] of Object.entries(model.index)) {
    const b = model.bootstrap.index[element];
    if (value === null || !b || b.se === null || b.lower === null || b.upper === null) continue;
    if (Math.abs(value - report.csi) <= 1e-9 * Math.max(1, Math.abs(value))) return { estimate: value, standardError: b.se, lower: b.lower, upper: b.upper };
  }
  return undefined;
}

/**
 * The CSI's 95% interval: the t interval from the report's sampling basis where the CSI is the
 * weighted mean of its questions, else the model's bootstrap percentile interval where it is a PLS
 * index; null without either (or too few answers).
 */
export function csiInterval(report: Pick<UnitReport, 'sampling' | 'csi' | 'model'>): [number, number] | null {
  const model = modelCsiBootstrap(report);
  if (model) return [model.lower, model.upper];
  const basis = samplingOf(report);
  const indexId = basis?.tree[0]?.id;
  if (!basis || indexId === undefined) return null;
  const estimate = nodeEstimates(basis, basis.childWeights).get(indexId);
  if (!estimate || !estimateMatches(estimate, report.csi) || estimate.variance === null || estimate.n < 2) return null;
  return tConfidenceInterval(estimate.score!, Math.sqrt(estimate.variance * estimate.n), estimate.n);
}

/** What the trend of later months keeps of a report: n, CSI with its interval, and the elements' scores. */
export function trendPointOf(report: Pick<UnitReport, 'n' | 'csi' | 'elements' | 'sampling' | 'model'>): ReportTrendPoint {
  const ci95 = csiInterval(report);
  return {
    n: report.n,
    csi: report.csi,
    ...(ci95 ? { ci95 } : {}),
    elements: Object.fromEntries(report.elements.map((element) => [element.id, element.score])),
  };
}
