/**
 * The few matrix operations the engine needs, on top of ml-matrix, with the failure mode each one
 * should report in PLS terms.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** The square sub-matrix of `matrix` on the given rows and columns. */
export function subMatrix(matrix: Matrix, rows: readonly number[], columns: readonly number[] = rows): Matrix {
  return matrix.selection(rows as number[], columns as number[]);
}

/**
 * Cholesky factor of a symmetric positive-definite matrix, or undefined when it is singular (or
 * numerically so), which for a covariance matrix means linearly dependent variables.
 */
export function choleskyOf(matrix: Matrix): CholeskyDecomposition | undefined {
  // ml-matrix demands exact symmetry; sums taken in different orders can differ in the last bit.
  const symmetric = new Matrix(matrix.rows, matrix.columns);
  for (let i = 0; i < matrix.rows; i++) {
    for (let j = 0; j < matrix.columns; j++) symmetric.set(i, j, (matrix.get(i, j) + matrix.get(j, i)) / 2);
  }
  const cholesky = new CholeskyDecomposition(symmetric);
  if (!cholesky.isPositiveDefinite()) return undefined;
  // ml-matrix accepts tiny positive pivots; a pivot that small relative to the diagonal is a
  // dependency that rounding happened to leave positive.
  const factor = cholesky.lowerTriangularMatrix;
  for (let i = 0; i < matrix.rows; i++) {
    const pivot = factor.get(i, i);
    if (!(pivot * pivot > 1e-12 * Math.abs(matrix.get(i, i)))) return undefined;
  }
  return cholesky;
}

export function solveWith(cholesky: CholeskyDecomposition, rightHandSide: readonly number[]): number[] {
  return cholesky.solve(Matrix.columnVector(rightHandSide as number[])).getColumn(0);
}

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: number[];
  /** Eigenvectors as columns, in the order of `values`. */
  vectors: Matrix;
}

export function symmetricEigen(matrix: Matrix): SymmetricEigen {
  const decomposition = new EigenvalueDecomposition(matrix, { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]!);
  return {
    values: order.map((i) => values[i]!),
    vectors: decomposition.eigenvectorMatrix.selection(
      Array.from({ length: matrix.rows }, (_, i) => i),
      order,
    ),
  };
}

/** Correlation matrix of a covariance matrix. */
export function correlationOf(covariance: Matrix): Matrix {
  const p = covariance.rows;
  const sd = Array.from({ length: p }, (_, i) => Math.sqrt(covariance.get(i, i)));
  const correlation = new Matrix(p, p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) correlation.set(i, j, i === j ? 1 : covariance.get(i, j) / (sd[i]! * sd[j]!));
  }
  return correlation;
}
