/**
 * Small schemas every part of the domain shares (questionnaires, commitments, contacts, SMS
 * templates), so a language tag or a time zone means the same thing everywhere.
 */
import * as z from './zod';

export const LANGUAGE_TAG_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
export const languageTagSchema = z.string().check(z.regex(LANGUAGE_TAG_PATTERN, { error: 'expected a language tag such as zh-CN or en' }));

/** True for a zone name the runtime knows (IANA, e.g. Asia/Shanghai, America/New_York, UTC). */
export function isTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().check(z.trim(), z.refine(isTimeZone, { error: 'unknown IANA time zone' }));

/**
 * The longest id or token anything takes (questionnaire, campaign, user, unit ids, link tokens):
 * far below DynamoDB's key limits (2,048 bytes for a partition key), so an over-long id is a 400 or
 * 404 at the boundary and never a 500 from the store.
 */
export const MAX_ID_LENGTH = 128;
/** The characters of an id or token in a path: letters, digits and `-._~` (unreserved in URLs). */
export const PATH_ID_PATTERN = /^[A-Za-z0-9._~-]+$/;
export const isPathId = (value: string): boolean => value.length > 0 && value.length <= MAX_ID_LENGTH && PATH_ID_PATTERN.test(value);

/**
 * Keys no stored map may have: DynamoDB's document marshaller asks a map for its `constructor` to
 * tell its type (a map with a key "constructor" is refused, or read as a Set or a Map), and
 * `__proto__` / `prototype` mean something else to JavaScript objects. Refused at the boundary.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['constructor', '__proto__', 'prototype']);
export const isReservedKey = (key: string): boolean => RESERVED_KEYS.has(key);

/**
 * A number the store keeps exactly: finite, and an integer only within ±(2^53 - 1); beyond that
 * JSON has already lost digits (an account number, say), and DynamoDB's document client refuses it.
 */
export const exactNumberSchema = z.number().check(
  z.refine((n) => Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER, { error: 'expected a number within ±9007199254740991 (send a longer one as text)' }),
);
