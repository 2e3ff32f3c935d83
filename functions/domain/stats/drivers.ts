/**
 * Key driver analysis: which indicators (or questions) drive a target such as overall
 * satisfaction. Pearson correlations, standardised regression coefficients, Johnson's (2000)
 * relative weights, and the importance-performance analysis (IPA) built on them.
 */
import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';
import { mean, sampleCorrelation, sum } from 'simple-statistics';
import type { IpaQuadrant } from './ipa-quadrants';
import { StatisticsInputError } from './data';

export interface DriverAnalysis {
  /** Complete rows used. */
  n: number;
  /** R2 of the regression of the target on all predictors. */
  r2: number;
  /** Pearson correlation of each predictor with the target. */
  correlations: Record<string, number>;
  /** Standardised regression coefficients. */
  beta: Record<string, number>;
  /** Johnson's relative weights: each predictor's share of R2 (they sum to R2). */
  relativeWeights: Record<string, number>;
  /** Relative weights divided by R2 (they sum to 1): the importance used by `weighting: derived`. */
  rescaled: Record<string, number>;
}

/** Eigenvalues of a correlation matrix below this count as zero (perfect collinearity). */
const COLLINEARITY_TOLERANCE = 1e-10;

/** Pearson's r; the columns must not be constant. */
export function pearsonCorrelation(x: readonly number[], y: readonly number[]): number {
  return sampleCorrelation(x, y);
}

export interface RelativeWeightsFromCorrelations {
  beta: number[];
  r2: number;
  relativeWeights: number[];
}

/**
 * Standardised betas, R2 and Johnson's relative weights from the predictors' correlation matrix
 * Rxx and their correlations with the target rxy. Relative weights: with Rxx = V D V', the
 * symmetric square root L = V D^(1/2) V' gives orthogonal stand-ins Z for the predictors
 * (X = Z L); beta* = L^(-1) rxy regresses the target on Z, and predictor j's weight is
 * sum_k L_jk^2 beta*_k^2. `names` only label the collinearity error.
 */
export function relativeWeightsFromCorrelations(
  rxx: readonly (readonly number[])[],
  rxy: readonly number[],
  names: readonly string[] = rxy.map((_, j) => `predictor ${j + 1}`),
): RelativeWeightsFromCorrelations {
  const k = rxy.length;
  if (rxx.length !== k || rxx.some((row) => row.length !== k)) {
    throw new StatisticsInputError(`the correlation matrix must be ${k} x ${k} for ${k} predictors`);
  }
  const decomposition = new EigenvalueDecomposition(rxx.map((row) => [...row]), { assumeSymmetric: true });
  const eigenvalues = decomposition.realEigenvalues;
  const vectors = decomposition.eigenvectorMatrix;
  const smallest = eigenvalues.reduce((best, value, index) => (value < eigenvalues[best]! ? index : best), 0);
  if (eigenvalues[smallest]! < COLLINEARITY_TOLERANCE) {
    // The eigenvector of the zero eigenvalue holds the linear combination that vanishes.
    const involved = vectors
      .getColumn(smallest)
      .map((loading, j) => (Math.abs(loading) > 1e-6 ? names[j] : null))
      .filter((name): name is string => name !== null);
    throw new StatisticsInputError(`the predictors ${involved.join(', ')} are perfectly collinear`);
  }
  const rxyColumn = Matrix.columnVector([...rxy]);
  const beta = solve(new Matrix(rxx.map((row) => [...row])), rxyColumn).getColumn(0);
  const r2 = sum(beta.map((b, j) => b * rxy[j]!));

  const root = vectors.mmul(Matrix.diag(eigenvalues.map(Math.sqrt))).mmul(vectors.transpose());
  const inverseRoot = vectors.mmul(Matrix.diag(eigenvalues.map((value) => 1 / Math.sqrt(value)))).mmul(vectors.transpose());
  const betaStar = inverseRoot.mmul(rxyColumn).getColumn(0);
  const relativeWeights = Array.from({ length: k }, (_, j) =>
    sum(betaStar.map((b, m) => root.get(j, m) ** 2 * b ** 2)),
  );
  return { beta, r2, relativeWeights };
}

/**
 * Key driver analysis on complete data (use completeCases first): correlations with the target,
 * standardised betas, R2 and relative weights. A constant column, fewer rows than predictors + 2
 * or perfectly collinear predictors are errors naming the columns.
 */
export function keyDriverAnalysis(
  target: readonly number[],
  predictors: Readonly<Record<string, readonly number[]>>,
  targetName = 'target',
): DriverAnalysis {
  const names = Object.keys(predictors);
  if (names.length === 0) throw new StatisticsInputError('driver analysis needs at least one predictor');
  const n = target.length;
  for (const name of names) {
    if (predictors[name]!.length !== n) {
      throw new StatisticsInputError(`column "${name}" has ${predictors[name]!.length} values, "${targetName}" has ${n}`);
    }
  }
  // With n <= k + 1 the regression fits the data exactly (R2 = 1) whatever the predictors are.
  if (n < names.length + 2) {
    throw new StatisticsInputError(`driver analysis of ${names.length} predictor(s) needs at least ${names.length + 2} complete rows, got ${n}`);
  }
  for (const [name, values] of [[targetName, target], ...names.map((name) => [name, predictors[name]!] as const)] as const) {
    if (values.every((value) => value === values[0])) {
      throw new StatisticsInputError(`column "${name}" is constant: it has no correlation with anything`);
    }
  }
  const columns = names.map((name) => predictors[name]!);
  const rxx = columns.map((a, i) => columns.map((b, j) => (i === j ? 1 : pearsonCorrelation(a, b))));
  const rxy = columns.map((column) => pearsonCorrelation(column, target));
  const { beta, r2, relativeWeights } = relativeWeightsFromCorrelations(rxx, rxy, names);
  const byName = (values: readonly number[]) => Object.fromEntries(names.map((name, j) => [name, values[j]!]));
  return {
    n,
    r2,
    correlations: byName(rxy),
    beta: byName(beta),
    relativeWeights: byName(relativeWeights),
    // R2 > 0 here: the target is not constant and at least one predictor correlates with it,
    // unless every correlation is exactly 0, when no predictor explains anything.
    rescaled: byName(relativeWeights.map((weight) => (r2 > 0 ? weight / r2 : 0))),
  };
}

/** value >= reference, where a difference of rounding only (e.g. equal weights 1/3 against their
 *  computed mean) counts as equal. */
function atLeast(value: number, reference: number): boolean {
  return value >= reference - 1e-12 * Math.max(1, Math.abs(reference));
}

export { IPA_QUADRANTS, type IpaQuadrant } from './ipa-quadrants';

export interface IpaItem {
  id: string;
  /** Typically the rescaled relative weight. */
  importance: number;
  /** The indicator's score. */
  performance: number;
}

export interface IpaResult {
  importanceMean: number;
  performanceMean: number;
  items: (IpaItem & { quadrant: IpaQuadrant })[];
}

/**
 * Importance-performance analysis: an item at or above a mean counts as high on that axis.
 * High importance & low performance: concentrate here; high & high: keep up the good work;
 * low & low: low priority; low importance & high performance: possible overkill.
 */
export function importancePerformance(items: readonly IpaItem[]): IpaResult {
  if (items.length === 0) throw new StatisticsInputError('importance-performance analysis needs at least one item');
  const importanceMean = mean(items.map((item) => item.importance));
  const performanceMean = mean(items.map((item) => item.performance));
  return {
    importanceMean,
    performanceMean,
    items: items.map((item) => {
      const important = atLeast(item.importance, importanceMean);
      const performing = atLeast(item.performance, performanceMean);
      const quadrant: IpaQuadrant = important
        ? performing
          ? 'keep up the good work'
          : 'concentrate here'
        : performing
          ? 'possible overkill'
          : 'low priority';
      return { ...item, quadrant };
    }),
  };
}
