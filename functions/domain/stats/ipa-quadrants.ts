/**
 * Quadrants of the importance-performance grid, split at the means (Martilla and James), in reading
 * order. Their own module, so the report page names them without carrying the driver analysis
 * (./drivers.ts) and ml-matrix.
 */
export const IPA_QUADRANTS = ['concentrate here', 'keep up the good work', 'low priority', 'possible overkill'] as const;
export type IpaQuadrant = (typeof IPA_QUADRANTS)[number];
