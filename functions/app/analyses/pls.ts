/** Issue 4's analysis (the PLS path model of the elements and its 0-100 indices). */
import type { AnyAnalysis } from './analysis';

export const plsAnalyses: readonly AnyAnalysis[] = [];
