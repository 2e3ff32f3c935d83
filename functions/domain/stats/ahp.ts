/**
 * Analytic hierarchy process (层次分析法): weights from a pairwise comparison matrix, with Saaty's
 * consistency check. Entry a_ij says how much more important criterion i is than criterion j.
 */
import { StatisticsInputError } from './data';

/** A judgement as written in a questionnaire: a number, or a fraction "a/b" (also "5" as text). */
export type AhpJudgement = number | string;

export const AHP_MIN_CRITERIA = 2;
export const AHP_MAX_CRITERIA = 15;
/** a_ji must equal 1/a_ij within this absolute tolerance (and a_ii = 1 within it). */
export const AHP_TOLERANCE = 1e-6;
/** CR above this is inconsistent (Saaty's 10% rule). */
export const AHP_CONSISTENCY_LIMIT = 0.1;

/** Saaty's random consistency index RI for n = 1..15 (index n - 1). */
export const SAATY_RANDOM_INDEX: readonly number[] = [
  0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/** A problem with one cell (0-based row and column) or with the matrix as a whole. */
export class AhpMatrixError extends StatisticsInputError {
  constructor(
    message: string,
    readonly cell?: { row: number; col: number },
  ) {
    super(message);
  }
}

export interface AhpCell {
  /** 0-based row: the criterion that is compared. */
  row: number;
  /** 0-based column: the criterion it is compared with. */
  col: number;
}

export interface AhpResult {
  /** Normalised principal eigenvector: positive, summing to 1, in matrix order. */
  weights: number[];
  lambdaMax: number;
  /** Consistency index (lambda_max - n) / (n - 1). */
  ci: number;
  /** Saaty's random index for n. */
  ri: number;
  /** Consistency ratio CI / RI; 0 when n <= 2 (a reciprocal 2 x 2 matrix is always consistent). */
  cr: number;
  /** cr <= 0.10. */
  consistent: boolean;
  /** The upper-triangle judgement (row < col) that deviates most from w_row / w_col, measured as
   *  |ln(a_ij w_j / w_i)| so that over- and under-statement by the same factor count alike. */
  worst: AhpCell & { judgement: number; impliedRatio: number };
}

const FRACTION = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(?:\/\s*(\d+(?:\.\d+)?|\.\d+)\s*)?$/;

function cellName(row: number, col: number): string {
  return `matrix[${row}][${col}]`;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The value of one judgement; null when it is neither a number nor a fraction "a/b". */
export function parseAhpJudgement(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = FRACTION.exec(value);
  if (!match) return null;
  const numerator = Number(match[1]);
  const denominator = match[2] === undefined ? 1 : Number(match[2]);
  const result = numerator / denominator;
  return Number.isFinite(result) ? result : null;
}

/**
 * Checks and converts a comparison matrix: square with 2..15 rows, every entry a positive number
 * or fraction, unit diagonal, reciprocal (the entry <= 1 of each pair equals 1 / the other within
 * 1e-6, so a decimal such as 0.333333 for 1/3 passes). Throws AhpMatrixError naming the cell.
 */
export function parseAhpMatrix(raw: unknown): number[][] {
  if (!Array.isArray(raw)) throw new AhpMatrixError('the comparison matrix must be an array of rows');
  const n = raw.length;
  if (n < AHP_MIN_CRITERIA || n > AHP_MAX_CRITERIA) {
    throw new AhpMatrixError(
      `the comparison matrix has ${n} row(s); AHP compares ${AHP_MIN_CRITERIA} to ${AHP_MAX_CRITERIA} criteria`,
    );
  }
  const matrix = raw.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== n) {
      const size = Array.isArray(row) ? `${row.length} entries` : 'no entries (not an array)';
      throw new AhpMatrixError(`matrix[${i}] has ${size}; the matrix must be square (${n} x ${n})`);
    }
    return row.map((entry: unknown, j) => {
      const value = parseAhpJudgement(entry);
      if (value === null) {
        throw new AhpMatrixError(`${cellName(i, j)} = ${shown(entry)} is not a number or a fraction "a/b"`, {
          row: i,
          col: j,
        });
      }
      if (!(value > 0)) {
        throw new AhpMatrixError(`${cellName(i, j)} = ${shown(entry)} is not positive`, { row: i, col: j });
      }
      return value;
    });
  });
  for (let i = 0; i < n; i++) {
    const diagonal = matrix[i]![i]!;
    if (Math.abs(diagonal - 1) > AHP_TOLERANCE) {
      throw new AhpMatrixError(`${cellName(i, i)} = ${shown(raw[i][i])}: the diagonal must be 1`, { row: i, col: i });
    }
    for (let j = i + 1; j < n; j++) {
      const upper = matrix[i]![j]!;
      const lower = matrix[j]![i]!;
      // Compare the smaller entry with the reciprocal of the larger: that is the entry people write
      // as a decimal (0.333333 for 1/3), so the absolute tolerance applies where it is meaningful.
      const [small, large] = upper <= lower ? [upper, lower] : [lower, upper];
      if (Math.abs(small - 1 / large) > AHP_TOLERANCE) {
        const [row, col] = upper < lower ? [i, j] : [j, i];
        throw new AhpMatrixError(
          `${cellName(row, col)} = ${shown(raw[row][col])} is not the reciprocal of ${cellName(col, row)} = ` +
            `${shown(raw[col][row])} (expected ${roundForMessage(1 / matrix[col]![row]!)})`,
          { row, col },
        );
      }
    }
  }
  return matrix;
}

function roundForMessage(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** Saaty's RI for a matrix of size n (1..15). */
export function randomIndex(n: number): number {
  const ri = SAATY_RANDOM_INDEX[n - 1];
  if (ri === undefined) throw new AhpMatrixError(`no random index for n = ${n} (1..15)`);
  return ri;
}

/** Power iterations allowed; a comparison matrix converges in a few dozen (the other eigenvalues are far smaller). */
const MAX_ITERATIONS = 10_000;

/**
 * The principal (Perron) eigenpair of a positive matrix by power iteration: w <- A w / sum(A w)
 * until no weight moves by more than a few ulps. Perron-Frobenius: a positive matrix has a real,
 * simple, largest eigenvalue with a positive eigenvector, and every other eigenvalue is smaller in
 * modulus, so the iteration converges from the uniform vector. lambda = sum(A w) for sum(w) = 1.
 */
function principalEigenpair(matrix: readonly (readonly number[])[]): { lambda: number; vector: number[] } {
  const n = matrix.length;
  let vector = new Array<number>(n).fill(1 / n);
  let lambda = n;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const product = matrix.map((row) => row.reduce((acc, value, j) => acc + value * vector[j]!, 0));
    lambda = product.reduce((acc, value) => acc + value, 0);
    const next = product.map((value) => value / lambda);
    const change = Math.max(...next.map((value, i) => Math.abs(value - vector[i]!)));
    vector = next;
    if (change <= 1e-16) break;
  }
  return { lambda, vector };
}

/** Weights and consistency of a validated comparison matrix (see parseAhpMatrix). */
export function analyzeAhpMatrix(matrix: readonly (readonly number[])[]): AhpResult {
  const n = matrix.length;
  const { lambda: lambdaMax, vector: weights } = principalEigenpair(matrix);
  const ci = n > 1 ? (lambdaMax - n) / (n - 1) : 0;
  const ri = randomIndex(n);
  // For n <= 2, RI is 0 and a reciprocal matrix is consistent by construction; CI is only rounding.
  const cr = n <= 2 ? 0 : ci / ri;
  return { weights, lambdaMax, ci, ri, cr, consistent: cr <= AHP_CONSISTENCY_LIMIT, worst: worstJudgement(matrix, weights) };
}

function worstJudgement(matrix: readonly (readonly number[])[], weights: readonly number[]): AhpResult['worst'] {
  let worst: AhpResult['worst'] = { row: 0, col: 1, judgement: matrix[0]![1]!, impliedRatio: weights[0]! / weights[1]! };
  let largest = -1;
  for (let i = 0; i < matrix.length; i++) {
    for (let j = i + 1; j < matrix.length; j++) {
      const judgement = matrix[i]![j]!;
      const impliedRatio = weights[i]! / weights[j]!;
      const deviation = Math.abs(Math.log(judgement / impliedRatio));
      // Deviations equal up to rounding (every pair of a 3 x 3 matrix deviates alike) are ties;
      // the first in row order wins, so the answer does not depend on floating-point noise.
      if (deviation > largest + 1e-9) {
        largest = deviation;
        worst = { row: i, col: j, judgement, impliedRatio };
      }
    }
  }
  return worst;
}

/** parseAhpMatrix then analyzeAhpMatrix. */
export function ahpWeights(raw: unknown): AhpResult {
  return analyzeAhpMatrix(parseAhpMatrix(raw));
}

/**
 * The validation message for an inconsistent matrix, or null when CR <= 0.10. `labels` name the
 * criteria (e.g. the child ids); without them the matrix cell is used.
 */
export function ahpInconsistencyMessage(result: AhpResult, labels?: readonly string[]): string | null {
  if (result.consistent) return null;
  const { row, col, judgement, impliedRatio } = result.worst;
  const pair = labels ? `"${labels[row]}" over "${labels[col]}" (${cellName(row, col)})` : cellName(row, col);
  return (
    `the AHP comparisons are inconsistent: CR = ${result.cr.toFixed(3)} > ${AHP_CONSISTENCY_LIMIT.toFixed(2)}; ` +
    `the judgement ${pair} = ${roundForMessage(judgement)} deviates most from the weights, ` +
    `which imply ${roundForMessage(impliedRatio)}`
  );
}
