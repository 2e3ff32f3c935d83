/**
 * Local password hashing with scrypt (node:crypto: memory-hard, no native dependency). The hash
 * names its parameters, so they can be raised later without invalidating stored hashes:
 * "scrypt$N$r$p$salt$key" (salt and key base64url).
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keyLength: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));

/** N = 2^15, r = 8: 32 MiB and about 50-100 ms per hash on this hardware (OWASP's scrypt floor is N = 2^17 at r = 8 with p = 1, or N = 2^15 with a larger p). */
const PARAMETERS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...PARAMETERS, maxmem: 128 * PARAMETERS.N * PARAMETERS.r * 2 });
  return ['scrypt', PARAMETERS.N, PARAMETERS.r, PARAMETERS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const N = Number(n);
  const R = Number(r);
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, { N, r: R, p: Number(p), maxmem: 128 * N * R * 2 });
  return timingSafeEqual(actual, expected);
}

/** A one-time password: 18 random bytes, base64url (24 characters, above the 12-character floor). */
export const newTemporaryPassword = (): string => randomBytes(18).toString('base64url');

/** A hash to verify against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password. */
export const DECOY_HASH = 'scrypt$32768$8$3$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
