/**
 * What the cross-checks share, the questionnaire's own and those beside the PLS and gap domains:
 * a problem at a path, duplicate detection and the sibling-weight rule.
 */

/** Sibling weights must sum to 1 within this tolerance (the contract says 1e-9). */
export const WEIGHT_SUM_TOLERANCE = 1e-9;

/** A cross-check's finding at a zod-style path; the schema turns it into an issue. */
export interface PathProblem {
  path: (string | number)[];
  message: string;
}

/** Reports every item whose key an earlier item already has. */
export function duplicates<T>(items: readonly T[], keyOf: (item: T) => string, report: (index: number, key: string) => void): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) report(index, key);
    seen.add(key);
  });
}

/** Siblings carry weights that sum to 1, or none of them carries one (equal weights). */
export function checkSiblingWeights(siblings: readonly { weight?: number | undefined }[], basePath: (string | number)[], problems: PathProblem[]): void {
  const given = siblings.filter((s) => s.weight !== undefined).length;
  if (given === 0) return;
  if (given < siblings.length) {
    const missing = siblings.findIndex((s) => s.weight === undefined);
    problems.push({ path: [...basePath, missing, 'weight'], message: 'weight missing: give every sibling a weight, or none for equal weights' });
    return;
  }
  const sum = siblings.reduce((total, s) => total + (s.weight ?? 0), 0);
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    problems.push({
      path: [...basePath, siblings.length - 1, 'weight'],
      message: `sibling weights sum to ${Number(sum.toPrecision(12))}, expected 1`,
    });
  }
}
