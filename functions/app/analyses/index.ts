/**
 * The analyses, in the order their results are computed for a unit: later ones may use earlier
 * ones' results (the scores use the PLS weights and data-driven weights).
 */
import type { AnyAnalysis } from './analysis';
import { gapAnalyses } from './gaps';
import { plsAnalyses } from './pls';
import { scoresAnalysis } from './scores';
import { respondentWeightingAnalysis } from './respondent-weighting';
import { afterScores, beforeScores } from './statistics';

export const analyses: readonly AnyAnalysis[] = [...plsAnalyses, ...beforeScores, scoresAnalysis, ...afterScores, respondentWeightingAnalysis, ...gapAnalyses];
