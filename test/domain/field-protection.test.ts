/**
 * Field-level encryption's primitives (functions/shared/field-protection.ts). The known answers
 * were computed outside Node (Python's hmac/hashlib for HKDF-SHA256 per RFC 5869 and HMAC-SHA256,
 * the `cryptography` package for AES-256-GCM) from the key 00 01 .. 1f: a lookup must never change
 * for a given key, or a stored person could not be found again.
 */
import { describe, expect, it } from 'vitest';
import { CLEAR_FIELDS, KEYLESS_FIELDS, keyedFieldProtection, mapPersonalFields, SealedFieldError } from '../../functions/shared/field-protection';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const OTHER_KEY = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const fields = keyedFieldProtection(KEY);

describe('keyed field protection', () => {
  it('looks a value up by the HMAC-SHA256 of its HKDF-derived lookup key (known answers)', () => {
    expect(fields.lookup('+8613800138000')).toBe('h1:pgUQku8rxaSa_TWJszxTSgOcrf8s91DkHgZ1KW1APXU');
    expect(fields.lookup('wang.xm@example.com')).toBe('h1:n5dfaBE8fH_qXhPK2LeS3H7fWfWGOCBzJ9NE8RkCAwI');
    expect(keyedFieldProtection(OTHER_KEY).lookup('+8613800138000')).not.toBe(fields.lookup('+8613800138000'));
  });

  it('opens a value sealed elsewhere with AES-256-GCM under the derived sealing key (known answer)', () => {
    expect(fields.open('enc1:AAECAwQFBgcICQoLAYBE8upqKWZX2B_2kVJIK947NaZNLAOYew')).toBe('王小明');
  });

  it('seals with a fresh nonce each time, and opens what it sealed', () => {
    const once = fields.seal('+8613800138000');
    const twice = fields.seal('+8613800138000');
    expect(once).toMatch(/^enc1:[A-Za-z0-9_-]+$/);
    expect(once).not.toBe(twice);
    expect(once).not.toContain('13800138000');
    expect([fields.open(once), fields.open(twice)]).toEqual(['+8613800138000', '+8613800138000']);
    // Sealing is idempotent: a sealed value is not sealed again.
    expect(fields.seal(once)).toBe(once);
  });

  it('refuses a value changed at rest, truncated, or sealed under another key', () => {
    const sealed = fields.seal('李四');
    const body = Buffer.from(sealed.slice(5), 'base64url');
    body[14] = body[14]! ^ 1;
    expect(() => fields.open(`enc1:${body.toString('base64url')}`)).toThrow(SealedFieldError);
    expect(() => fields.open('enc1:AAEC')).toThrow(/truncated/);
    expect(() => keyedFieldProtection(OTHER_KEY).open(sealed)).toThrow(/another one/);
  });

  it('passes values stored in clear through, and looks keys up in both forms until the table is sealed', () => {
    expect(fields.open('+8613800138000')).toBe('+8613800138000');
    expect(fields.lookups('+8613800138000')).toEqual([fields.lookup('+8613800138000'), '+8613800138000']);
    expect(keyedFieldProtection(KEY, { clearForms: false }).lookups('+8613800138000')).toEqual([fields.lookup('+8613800138000')]);
  });

  it('takes 256-bit keys only', () => {
    expect(() => keyedFieldProtection(new Uint8Array(16))).toThrow(/32 bytes/);
  });

  it('seals the personal fields of a record and leaves the others', () => {
    const sealed = mapPersonalFields({ name: '王小明', phone: '+8613800138000', externalId: 'CRM-1', orgUnitId: 'n1' }, fields.seal);
    expect(sealed).toMatchObject({ externalId: 'CRM-1', orgUnitId: 'n1' });
    expect(mapPersonalFields(sealed, fields.open)).toEqual({ name: '王小明', phone: '+8613800138000', externalId: 'CRM-1', orgUnitId: 'n1' });
  });
});

describe('without a key', () => {
  it('encryption off keeps values in clear and refuses to pass a sealed one off as clear', () => {
    expect(CLEAR_FIELDS.seal('+8613800138000')).toBe('+8613800138000');
    expect(CLEAR_FIELDS.lookups('+8613800138000')).toEqual(['+8613800138000']);
    expect(() => CLEAR_FIELDS.open(fields.seal('+8613800138000'))).toThrow(/MANYI_FIELD_ENCRYPTION=on/);
  });

  it('a function holding no key leaves sealed values sealed and cannot write or look up personal data', () => {
    const sealed = fields.seal('+8613800138000');
    expect(KEYLESS_FIELDS.open(sealed)).toBe(sealed);
    // A record it read and writes back (a case the respondent function updates) keeps its sealed fields.
    expect(KEYLESS_FIELDS.seal(sealed)).toBe(sealed);
    expect(() => KEYLESS_FIELDS.seal('+8613800138000')).toThrow(/kms client/);
    expect(() => KEYLESS_FIELDS.lookup('+8613800138000')).toThrow(/kms client/);
  });
});
