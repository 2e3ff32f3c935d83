/**
 * The small-sample rule: a unit's figures are withheld below a minimum number of responses, for
 * statistical honesty (an interval that wide says little) and so that a staff member's answers
 * cannot be picked out. The parent's figures still include those responses.
 */
import * as z from '../zod';

export const DEFAULT_MINIMUM_N = 10;

/** The configurable minimum, e.g. `minimumN: 10` in a report's settings. */
export const minimumNSchema = z._default(z.int().check(z.gte(1)), DEFAULT_MINIMUM_N);

export type SmallSampleDecision<T> =
  | { withheld: false; value: T }
  | { withheld: true; reason: string };

/**
 * The reason a figure based on n responses is withheld, or null when it may be shown. The
 * reason does not state n: an exact count of 1 or 2 would itself point at people.
 */
export function withholdingReason(n: number, minimumN = DEFAULT_MINIMUM_N): string | null {
  if (n >= minimumN) return null;
  return `withheld: fewer than ${minimumN} responses (too few for a reliable figure, and to protect respondents' and staff members' anonymity)`;
}

/** Shows the value when n reaches the minimum; computes it lazily so withheld figures are never computed. */
export function applyMinimumN<T>(n: number, value: () => T, minimumN = DEFAULT_MINIMUM_N): SmallSampleDecision<T> {
  const reason = withholdingReason(n, minimumN);
  return reason === null ? { withheld: false, value: value() } : { withheld: true, reason };
}
