/**
 * Issue 5's analyses (fuzzy evaluation, key drivers and IPA, reliability, data-driven weights).
 * `beforeScores` run before the tree's scores (they may supply weights: `weighting: derived`);
 * `afterScores` run after (they may use the scores).
 */
import type { AnyAnalysis } from './analysis';

export const beforeScores: readonly AnyAnalysis[] = [];
export const afterScores: readonly AnyAnalysis[] = [];
