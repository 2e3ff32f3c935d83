/**
 * Field-level encryption of personal data at rest (phone numbers, names, e-mail addresses), so a
 * dump of the table reveals none of them. Envelope encryption: one 256-bit data key per table
 * (on AWS generated and wrapped by KMS, its wrapped form kept in the table; locally a key file in
 * the data directory, functions/local/field-key-file.ts), from which two keys are derived:
 *
 * - a sealing key: each value is stored as `enc1:` + base64url(12-byte nonce | AES-256-GCM
 *   ciphertext | 16-byte tag); GCM both hides and authenticates it, a random nonce per value
 *   means equal numbers give different ciphertexts;
 * - a lookup key: where a number or address is part of a key (the person index, identity claims,
 *   opt-outs, SMS reply targets) the key holds `h1:` + base64url(HMAC-SHA256(value)), so the same
 *   person is found again without the value being stored. A keyed hash, not a plain one: the
 *   numbers of a country are few enough (about 10^11) to hash them all.
 *
 * Only node:crypto: nothing is added to a bundle. docs/privacy.md says what is sealed, what is not
 * and how keys are kept. Turned on by MANYI_FIELD_ENCRYPTION=on (the AWS stack sets it); data
 * written before stays readable (open passes clear values through, lookups try both forms).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const SEALED_PREFIX = 'enc1:';
const LOOKUP_PREFIX = 'h1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const FIELD_KEY_BYTES = 32;

export interface FieldProtection {
  /** Whether values are written sealed and their keys hashed (encryption on). */
  readonly sealing: boolean;
  /** A value as it is to be stored. */
  seal(value: string): string;
  /** A stored value as it was given (a value stored before encryption was turned on passes as it is). */
  open(stored: string): string;
  /** What a key holds in place of the value. */
  lookup(value: string): string;
  /** Every form a key for the value may have been written in, the current one first. */
  lookups(value: string): string[];
}

/** A wrapped data key as the table keeps it (functions/store/field-key.ts). */
export interface WrappedKeyStore {
  read(): Promise<string | undefined>;
  /** Stores the wrapped key unless one is there already: false when another process was first. */
  create(wrapped: string): Promise<boolean>;
}

/** Where the data key comes from: KMS on AWS (functions/channels/kms-field-key.ts), a file locally. */
export interface FieldKeySource {
  dataKey(wrappedKeys: WrappedKeyStore): Promise<Uint8Array>;
}

export const isSealed = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

export class SealedFieldError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'SealedFieldError';
  }
}

/** Encryption off: values and keys as given. A sealed value cannot be read without the key. */
export const CLEAR_FIELDS: FieldProtection = {
  sealing: false,
  seal: (value) => value,
  open(stored) {
    if (isSealed(stored)) throw new SealedFieldError('a field stored encrypted was read with field encryption off: set MANYI_FIELD_ENCRYPTION=on (and keep its key) to read it');
    return stored;
  },
  lookup: (value) => value,
  lookups: (value) => [value],
};

/**
 * Encryption on, in a function that holds no key (e.g. the respondent page, which never needs a
 * contact): sealed values stay sealed, and writing or looking up personal data fails loudly.
 */
export const KEYLESS_FIELDS: FieldProtection = {
  sealing: true,
  // A record read here and written back carries its sealed fields as they were; clear ones cannot be sealed.
  seal(value) {
    if (isSealed(value)) return value;
    throw new SealedFieldError('this function holds no field key: its manifest entry must declare the kms client to write personal data');
  },
  open: (stored) => stored,
  lookup() {
    throw new SealedFieldError('this function holds no field key: its manifest entry must declare the kms client to look up personal data');
  },
  lookups() {
    throw new SealedFieldError('this function holds no field key: its manifest entry must declare the kms client to look up personal data');
  },
};

const derive = (dataKey: Uint8Array, purpose: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `manyi ${purpose} v1`, FIELD_KEY_BYTES));

/**
 * Sealing and lookups under one data key. `clearForms`: keys may still hold values in clear
 * (written before encryption was on, and not yet moved by the sealing pass), so lookups try both.
 */
export function keyedFieldProtection(dataKey: Uint8Array, options: { clearForms: boolean } = { clearForms: true }): FieldProtection {
  if (dataKey.length !== FIELD_KEY_BYTES) throw new Error(`a field key has ${FIELD_KEY_BYTES} bytes, not ${dataKey.length}`);
  const sealingKey = derive(dataKey, 'field sealing');
  const lookupKey = derive(dataKey, 'field lookup');
  const lookup = (value: string) => LOOKUP_PREFIX + createHmac('sha256', lookupKey).update(value, 'utf8').digest('base64url');
  return {
    sealing: true,
    seal(value) {
      if (isSealed(value)) return value;
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', sealingKey, nonce);
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(stored) {
      if (!isSealed(stored)) return stored;
      const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url');
      if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SealedFieldError('a sealed field is truncated');
      const decipher = createDecipheriv('aes-256-gcm', sealingKey, raw.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SealedFieldError('a sealed field does not open with this key: it was sealed under another one, or changed');
      }
    },
    lookup,
    // Keys written before encryption was turned on hold the value itself, until the sealing pass moves them.
    lookups: (value) => (options.clearForms ? [lookup(value), value] : [lookup(value)]),
  };
}

/** The personal fields of a record, sealed or opened (other fields as they are). */
export function mapPersonalFields<T extends { name?: string | undefined; phone?: string | undefined; email?: string | undefined }>(record: T, map: (value: string) => string): T {
  const mapped = { ...record };
  for (const field of ['name', 'phone', 'email'] as const) {
    const value = mapped[field];
    if (typeof value === 'string') (mapped as Record<string, unknown>)[field] = map(value);
  }
  return mapped;
}
