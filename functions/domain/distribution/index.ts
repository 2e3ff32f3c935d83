/**
 * The pure rules of distribution (issue 3): contacts, SMS text, inbound replies, contact rules,
 * schedules, sampling and segments. No I/O and no clock: every function takes its instants.
 * docs/distribution-rules.md describes the rules with examples.
 */
export * from './contacts';
export * from './inbound';
export * from './rules';
export * from './sampling';
export * from './schedules';
export * from './segments';
export * from './sms-text';
export { DEFAULT_TIME_ZONE, canonicalTimeZone, isTimeZone, parseDuration, timeZoneSchema, toInstant, zoned, type InstantInput } from './time';
