/**
 * Phone numbers as people write them, read into E.164 with libphonenumber-js's core and the
 * metadata of the supported regions only (./phone-metadata.ts, generated from the package's own
 * metadata by scripts/phone-metadata.ts): mainland China, Hong Kong, Macau, Taiwan, Singapore,
 * Malaysia, the United States, Canada and the United Kingdom. The whole metadata put 118 KB in
 * every function that reads phone numbers; the core with this metadata about 50 KB. A number of
 * another country is refused, naming its calling code. Its own module so that only the functions
 * that read such numbers (contact import, campaign and event creation, inbound SMS) carry it;
 * stored contacts already hold E.164.
 */
import { parsePhoneNumberWithError, ParseError, type CountryCode } from 'libphonenumber-js/core';
import { ALL_CALLING_CODES, phoneMetadata, SUPPORTED_PHONE_REGIONS } from './phone-metadata';
import type { PhoneResult } from './phone-result';

export type { CountryCode } from 'libphonenumber-js/core';
export { SUPPORTED_PHONE_REGIONS } from './phone-metadata';

export const DEFAULT_PHONE_REGION: CountryCode = 'CN';

export type { PhoneResult } from './phone-result';

const supported: readonly string[] = SUPPORTED_PHONE_REGIONS;
const supportedList = SUPPORTED_PHONE_REGIONS.join(', ');

/** The calling code an international number starts with (calling codes are prefix-free), if any is. */
function callingCodeOf(digits: string): string | undefined {
  const codes = ALL_CALLING_CODES.split(' ');
  for (const length of [1, 2, 3]) if (codes.includes(digits.slice(0, length))) return digits.slice(0, length);
  return undefined;
}

/**
 * A phone number in E.164 (+8613812345678), or why not. National numbers are read in
 * `defaultRegion`; numbers written with + (or 00 + country code read as international by the
 * region's rules) keep their own country. Only numbers libphonenumber-js considers valid pass, and
 * only numbers of the supported regions.
 */
export function normalisePhone(raw: string, defaultRegion: CountryCode = DEFAULT_PHONE_REGION): PhoneResult {
  if (!supported.includes(defaultRegion)) return { ok: false, reason: `region ${defaultRegion} is not supported (supported: ${supportedList})` };
  const text = raw.normalize('NFKC').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if (text.length > 64) return { ok: false, reason: 'too long for a phone number' };
  if (/[A-Za-z]/.test(text)) return { ok: false, reason: 'not a phone number' };
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(text, defaultRegion, phoneMetadata);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    if (error.message !== 'INVALID_COUNTRY') return { ok: false, reason: 'not a phone number' };
    // A calling code the reduced metadata lacks: written with + or the region's international prefix.
    const code = callingCodeOf(text.replace(/^\+/, '').replace(/\D/g, '').replace(/^00/, ''));
    if (!code) return { ok: false, reason: 'not a phone number' };
    return { ok: false, reason: `numbers of +${code} are not supported (supported regions: ${supportedList})` };
  }
  if (!parsed.isValid()) {
    return { ok: false, reason: text.startsWith('+') ? 'not a valid international number' : `not a valid number for region ${defaultRegion}` };
  }
  return { ok: true, e164: parsed.number };
}
