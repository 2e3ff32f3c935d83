import type { ReportSection } from './section';

/** The report page's gaps section(s). */
export const gapsSections: readonly ReportSection[] = [];
