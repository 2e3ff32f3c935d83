/**
 * Phone numbers read with the reduced metadata (functions/domain/distribution/phone-metadata.ts)
 * agree with libphonenumber-js's whole metadata for the supported regions, and numbers of other
 * countries are refused by name.
 */
import { readFileSync } from 'node:fs';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';
import { describe, expect, it } from 'vitest';
import { readE164 } from '../../functions/domain/distribution/e164';
import { normalisePhone, SUPPORTED_PHONE_REGIONS } from '../../functions/domain/distribution/phone';
import { phoneMetadataFile, phoneMetadataSource } from '../../scripts/phone-metadata';

/** What the whole metadata says (the module's behaviour before the metadata was reduced). */
function wholeMetadata(text: string, region: CountryCode): { e164: string; country: string | undefined } | undefined {
  const parsed = parsePhoneNumberFromString(text.normalize('NFKC').trim(), region);
  return parsed?.isValid() ? { e164: parsed.number, country: parsed.country } : undefined;
}

/** A deterministic stream of digits (no test depends on chance). */
function digitStream(seed: number): () => string {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return String(state % 10);
  };
}

const supported: readonly string[] = SUPPORTED_PHONE_REGIONS;

describe('phone numbers of the supported regions', () => {
  it('is generated from the installed package: the committed metadata is what scripts/phone-metadata.ts writes', () => {
    expect(readFileSync(phoneMetadataFile, 'utf8')).toBe(phoneMetadataSource());
  });

  it('reads every region example the way the whole metadata does, nationally and internationally', () => {
    let compared = 0;
    for (const region of SUPPORTED_PHONE_REGIONS) {
      const example = parsePhoneNumberFromString((examples as Record<string, string>)[region]!, region)!;
      const written = [example.formatNational(), example.formatInternational(), example.number, example.nationalNumber, `00${example.countryCallingCode}${example.nationalNumber}`];
      for (const text of written) {
        for (const defaultRegion of SUPPORTED_PHONE_REGIONS) {
          const expected = wholeMetadata(text, defaultRegion);
          const actual = normalisePhone(text, defaultRegion);
          if (expected && supported.includes(expected.country ?? '')) expect(actual, `${text} in ${defaultRegion}`).toEqual({ ok: true, e164: expected.e164 });
          else expect(actual.ok, `${text} in ${defaultRegion}`).toBe(false);
          compared++;
        }
      }
    }
    expect(compared).toBe(SUPPORTED_PHONE_REGIONS.length * 5 * SUPPORTED_PHONE_REGIONS.length);
  });

  it('agrees with the whole metadata on 8,000 generated numbers (valid ones, near misses and noise)', () => {
    const next = digitStream(20261202);
    const digits = (n: number) => Array.from({ length: n }, next).join('');
    let valid = 0;
    for (let i = 0; i < 8_000; i++) {
      const region = SUPPORTED_PHONE_REGIONS[i % SUPPORTED_PHONE_REGIONS.length]!;
      const example = parsePhoneNumberFromString((examples as Record<string, string>)[region]!, region)!;
      // Keep the example's leading digits (so many are valid) and vary the rest and the length.
      const keep = i % 4;
      const national = `${String(example.nationalNumber).slice(0, keep)}${digits(String(example.nationalNumber).length - keep + ((i >> 2) % 3) - 1)}`;
      const text = [national, `+${example.countryCallingCode} ${national}`, `0${national}`, `00${example.countryCallingCode}-${national}`][(i >> 4) % 4]!;
      const defaultRegion = SUPPORTED_PHONE_REGIONS[(i >> 6) % SUPPORTED_PHONE_REGIONS.length]!;
      const expected = wholeMetadata(text, defaultRegion);
      const actual = normalisePhone(text, defaultRegion);
      if (expected && supported.includes(expected.country ?? '')) {
        expect(actual, `${text} in ${defaultRegion}`).toEqual({ ok: true, e164: expected.e164 });
        valid++;
      } else {
        expect(actual.ok, `${text} in ${defaultRegion}: ${JSON.stringify(expected)}`).toBe(false);
      }
    }
    expect(valid).toBeGreaterThan(800);
  });
});

describe('phone numbers of other countries', () => {
  it('refuses them, naming the calling code and the supported regions', () => {
    const reason = 'numbers of +49 are not supported (supported regions: CN, HK, MO, TW, SG, MY, US, CA, GB)';
    expect(normalisePhone('+49 30 901820')).toEqual({ ok: false, reason });
    expect(normalisePhone('0049 30 901820', 'CN')).toEqual({ ok: false, reason });
    expect(normalisePhone('+81 3-1234-5678')).toEqual({ ok: false, reason: 'numbers of +81 are not supported (supported regions: CN, HK, MO, TW, SG, MY, US, CA, GB)' });
    // The whole metadata reads them as valid: they are refused because of the country only.
    expect(parsePhoneNumberFromString('+49 30 901820')?.isValid()).toBe(true);
  });

  it('refuses an unsupported default region', () => {
    expect(normalisePhone('030 901820', 'DE')).toEqual({ ok: false, reason: 'region DE is not supported (supported: CN, HK, MO, TW, SG, MY, US, CA, GB)' });
  });

  it('still reads a code that is no country as no phone number', () => {
    expect(normalisePhone('+999 1234 5678')).toEqual({ ok: false, reason: 'not a phone number' });
  });
});

describe('the sender of an inbound SMS (E.164 from AWS, no phone metadata)', () => {
  it('takes any E.164 number, of any country, and nothing else', () => {
    expect(readE164('+8613800138099')).toEqual({ ok: true, e164: '+8613800138099' });
    expect(readE164('+4930901820')).toEqual({ ok: true, e164: '+4930901820' });
    for (const raw of ['13800138099', '+86 138 0013 8099', '+0123456789', '+12345', '+1234567890123456', '']) {
      expect(readE164(raw), raw).toEqual({ ok: false, reason: 'not an E.164 number' });
    }
  });
});
