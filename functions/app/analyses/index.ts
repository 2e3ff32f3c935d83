/**
 * The analyses, in the order their results are computed for a unit: later ones may use earlier
 * ones' results (the scores use the PLS weights and data-driven weights). The unit report's
 * sections are typed from this list (functions/app/report-model.ts).
 */
import type { AnyAnalysis } from './analysis';
import { driversAnalysis, ipaAnalysis } from './drivers';
import { fuzzyAnalysis } from './fuzzy';
import { gapsAnalysis } from './gaps';
import { plsAnalysis } from './pls';
import { proportionsAnalysis } from './proportions';
import { reliabilityAnalysis } from './reliability';
import { respondentWeightingAnalysis } from './respondent-weighting';
import { samplingAnalysis } from './sampling';
import { scoresAnalysis } from './scores';

/** The statistics analyses that run before the tree's scores: they may supply weights (`weighting: derived`). */
const statisticsBeforeScores = [driversAnalysis] as const;
/** The statistics analyses that run after the tree's scores: they may use them. */
const statisticsAfterScores = [ipaAnalysis, fuzzyAnalysis, reliabilityAnalysis, proportionsAnalysis, samplingAnalysis] as const;

export const analyses = [plsAnalysis, ...statisticsBeforeScores, scoresAnalysis, ...statisticsAfterScores, respondentWeightingAnalysis, gapsAnalysis] as const satisfies readonly AnyAnalysis[];

/** The same statistics analyses as one list type each, to run them in order on their own (their merge-law test). */
export const beforeScores: readonly AnyAnalysis[] = statisticsBeforeScores;
export const afterScores: readonly AnyAnalysis[] = statisticsAfterScores;

export type Analysis = (typeof analyses)[number];

/** The analyses whose results are report sections (the scores are the report's top level). */
export type SectionAnalysis = Exclude<Analysis, typeof scoresAnalysis>;
const isSection = (analysis: Analysis): analysis is SectionAnalysis => analysis !== scoresAnalysis;

/** The ids of the sections a unit below the minimum n withholds. */
export const sectionsWithheldWhenSmall = analyses
  .filter(isSection)
  .filter((analysis) => analysis.withheldWhenSmall)
  .map((analysis) => analysis.id);
