/**
 * The questionnaire model: the format's schema and types (schema.ts), the cross-checks that make
 * a questionnaire internally consistent (cross-checks.ts, with the PLS and gap checks beside their
 * domains), the lint rules the service-quality standards suggest (lint.ts), and validation of
 * untrusted input that applies all of them (validate.ts).
 */
export * from './schema';
export { WEIGHT_SUM_TOLERANCE } from './path-problems';
export { RECOMMENDED_QUESTION_COUNT, SERVQUAL_QUESTIONS_PER_INDICATOR, lintQuestionnaire } from './lint';
export { questionnaireSchema, validateQuestionnaire, type ValidationResult } from './validate';
export { gapQuestionIds } from '../gaps/questionnaire-checks';
export { DEFAULT_TIME_ZONE } from '../time-zone';
