/**
 * The ids of the report sections a unit below the minimum n withholds: the analyses whose
 * `withheldWhenSmall` is true (./index.ts). Written out here so that reading a report (the
 * AdminReports function) does not carry every analysis and the engine under them (ml-matrix, PLS);
 * test/app/withheld-sections.test.ts keeps the list equal to what the analyses declare.
 */
import type { AnalysisSections } from '../report-model';

export const sectionsWithheldWhenSmall = ['model', 'drivers', 'ipa', 'fuzzy', 'reliability', 'proportions', 'weighted', 'gaps'] as const satisfies readonly (keyof AnalysisSections)[];
