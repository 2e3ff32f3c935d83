/**
 * The two ways a PLS estimation can fail. Both carry a one-line message meant for the person who
 * wrote the model or supplied the data, so a caller (the CLI, the scheduled computation) can show it
 * as it is.
 */

/** The model, the options or the data cannot be estimated (unknown column, cycle, constant item...). */
export class PlsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlsInputError';
  }
}

/** The outer-weight iteration did not reach the tolerance within the allowed iterations. A
 *  non-converged solution is never returned as if it were a result. */
export class PlsConvergenceError extends Error {
  constructor(
    readonly iterations: number,
    readonly lastChange: number,
    readonly tolerance: number,
  ) {
    super(
      `the PLS algorithm did not converge within ${iterations} iteration${iterations === 1 ? '' : 's'} ` +
        `(last change in the outer weights ${lastChange.toExponential(3)}, tolerance ${tolerance})`,
    );
    this.name = 'PlsConvergenceError';
  }
}
