/**
 * Phone numbers as people write them, read into E.164 with libphonenumber-js. Its own module so
 * that only the functions that read such numbers (contact import, campaign and event creation,
 * inbound SMS) carry the phone metadata; stored contacts already hold E.164.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type { CountryCode } from 'libphonenumber-js';

export const DEFAULT_PHONE_REGION: CountryCode = 'CN';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * A phone number in E.164 (+8613812345678), or why not. National numbers are read in
 * `defaultRegion`; numbers written with + (or 00 + country code read as international by the
 * region's rules) keep their own country. Only numbers libphonenumber-js considers valid pass.
 */
export function normalisePhone(raw: string, defaultRegion: CountryCode = DEFAULT_PHONE_REGION): PhoneResult {
  if (!isSupportedCountry(defaultRegion)) return { ok: false, reason: `unknown region ${defaultRegion}` };
  const text = raw.normalize('NFKC').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if (text.length > 64) return { ok: false, reason: 'too long for a phone number' };
  if (/[A-Za-z]/.test(text)) return { ok: false, reason: 'not a phone number' };
  const parsed = parsePhoneNumberFromString(text, defaultRegion);
  if (!parsed) return { ok: false, reason: 'not a phone number' };
  if (!parsed.isValid()) {
    return { ok: false, reason: text.startsWith('+') ? 'not a valid international number' : `not a valid number for region ${defaultRegion}` };
  }
  return { ok: true, e164: parsed.number };
}
