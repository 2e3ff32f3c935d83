import type { ReportSection } from './section';

/** The report page's statistics section(s). */
export const statisticsSections: readonly ReportSection[] = [];
