/**
 * The structural (inner) model: one ordinary least-squares regression with intercept per endogenous
 * latent variable on its predecessors' scores, and the direct, indirect and total effects.
 * Scores have mean 0 and population variance 1, so everything follows from their correlation
 * matrix and n: the intercept is 0 and X'X is diag(n, n R).
 */
import { inverse, Matrix } from 'ml-matrix';
import { studentTTwoSidedP } from '../stats/distributions';
import { PlsInputError } from './errors';
import { choleskyOf, solveWith, subMatrix } from './linear-algebra';
import type { ResolvedModel } from './model';

export interface Coefficient {
  estimate: number;
  se: number;
  t: number;
  p: number;
}

export interface InnerRegression {
  /** The endogenous latent variable (index). */
  dependent: number;
  /** Its predecessors, in block order. */
  predictors: number[];
  intercept: Coefficient;
  slopes: Coefficient[];
  r2: number;
  /** Residual degrees of freedom, n - predictors - 1. */
  df: number;
}

export interface InnerModel {
  regressions: InnerRegression[];
  /** B[from][to]: path coefficient (0 where there is no path). */
  pathCoefficients: Matrix;
  /** R2 per latent variable (0 for exogenous ones, as plspm reports). */
  r2: Float64Array;
}

export interface Effects {
  direct: Matrix;
  indirect: Matrix;
  total: Matrix;
}

const coefficient = (estimate: number, se: number, df: number): Coefficient => {
  const t = estimate / se;
  return { estimate, se, t, p: studentTTwoSidedP(t, df) };
};

export function estimateInnerModel(lvCorrelation: Matrix, n: number, model: ResolvedModel): InnerModel {
  const lvCount = model.latentVariables.length;
  const pathCoefficients = new Matrix(lvCount, lvCount);
  const r2 = new Float64Array(lvCount);
  const regressions = model.endogenous.map((dependent): InnerRegression => {
    const predictors = model.predecessors[dependent]!;
    const df = n - predictors.length - 1;
    if (df < 1) {
      throw new PlsInputError(
        `${n} complete rows are too few to regress ${model.latentVariables[dependent]} on ${predictors.length} predecessors`,
      );
    }
    const predictorCorrelation = subMatrix(lvCorrelation, predictors);
    if (!choleskyOf(predictorCorrelation)) {
      throw new PlsInputError(`the predecessors of ${model.latentVariables[dependent]} are collinear`);
    }
    const crossCorrelation = predictors.map((j) => lvCorrelation.get(j, dependent));
    const slopes = solveWith(choleskyOf(predictorCorrelation)!, crossCorrelation);
    const rSquared = slopes.reduce((total, slope, position) => total + slope * crossCorrelation[position]!, 0);
    // residual sum of squares n (1 - R2) over df; var(b) = sigma2 (n R)^-1; var(intercept) = sigma2 / n
    const sigma2 = (n * (1 - rSquared)) / df;
    const slopeCovariance = inverse(predictorCorrelation).mul(sigma2 / n);
    predictors.forEach((j, position) => pathCoefficients.set(j, dependent, slopes[position]!));
    r2[dependent] = rSquared;
    return {
      dependent,
      predictors,
      intercept: coefficient(0, Math.sqrt(sigma2 / n), df),
      slopes: slopes.map((slope, position) => coefficient(slope, Math.sqrt(slopeCovariance.get(position, position)), df)),
      r2: rSquared,
      df,
    };
  });
  return { regressions, pathCoefficients, r2 };
}

/** Total effects B + B^2 + ... + B^(L-1) (longer chains cannot exist in an acyclic model). */
export function pathEffects(pathCoefficients: Matrix): Effects {
  const lvCount = pathCoefficients.rows;
  const total = pathCoefficients.clone();
  let power = pathCoefficients.clone();
  for (let length = 2; length < lvCount; length++) {
    power = power.mmul(pathCoefficients);
    total.add(power);
  }
  return { direct: pathCoefficients.clone(), indirect: Matrix.sub(total, pathCoefficients), total };
}
