/** Service commitments in the platform: declaring them, computing compliance, and the report's figures. */
export { declareCommitments, listCommitments, type DeclarationStatus, type DeclareResult } from './declare';
export { calendarSettingsOf, computeCommitments, warnOfCalendarEnd } from './compute';
export { commitmentsWithoutFigures, withCommitments } from './enrich';
