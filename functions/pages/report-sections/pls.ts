import type { ReportSection } from './section';

/** The report page's pls section(s). */
export const plsSections: readonly ReportSection[] = [];
