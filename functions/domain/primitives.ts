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
