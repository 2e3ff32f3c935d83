import type { ReportSection } from './section';

/** The report page's commitments section(s). */
export const commitmentsSections: readonly ReportSection[] = [];
