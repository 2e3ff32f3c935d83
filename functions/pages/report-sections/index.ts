/** The report page's sections after the CSI, elements, trend and units, in page order. */
import { casesSections } from './cases';
import { commitmentsSections } from './commitments';
import { gapsSections } from './gaps';
import { plsSections } from './pls';
import { scorecardSections } from './scorecard';
import type { ReportSection } from './section';
import { statisticsSections } from './statistics';
import { weightingSections } from './weighting';

export const reportSections: readonly ReportSection[] = [...plsSections, ...weightingSections, ...statisticsSections, ...gapsSections, ...commitmentsSections, ...casesSections, ...scorecardSections];
