/** Issue 6's analyses (SERVQUAL gaps per unit and period). */
import type { AnyAnalysis } from './analysis';

export const gapAnalyses: readonly AnyAnalysis[] = [];
