/**
 * PLS path modeling for satisfaction indices (plspm's algorithm, from rows or from mergeable
 * sufficient statistics). Pure computation: no I/O, no AWS. See docs/pls.md.
 */
export { estimatePls } from './estimate';
export type { EstimatePlsInput, PlsData, PlsRow, PlsResult, EffectTriple, LatentSummary } from './estimate';
export { SufficientStatistics, STATISTICS_FORMAT } from './statistics';
export type { SufficientStatisticsJson, Moments } from './statistics';
export { plsIndex, fitIndexes, boundsOf } from './satisfaction-index';
export type { PlsIndexInput, PlsIndexValue, ScaleBounds, ItemBounds } from './satisfaction-index';
export { bootstrapPls, quantileType7 } from './bootstrap';
export type { PlsBootstrap, BootstrapSummary, IndexBootstrapSummary } from './bootstrap';
export { fitPls } from './fit';
export type { PlsFit } from './fit';
export { resolveModel, resolveOptions, pathKey, DEFAULT_OPTIONS } from './model';
export type { PlsModel, PlsOptions, OuterMode, InnerScheme, ResolvedModel, ResolvedOptions } from './model';
export type { Coefficient } from './inner-model';
export type { Unidimensionality } from './quality';
export { PlsInputError, PlsConvergenceError } from './errors';
export { seededRandom } from './random';
