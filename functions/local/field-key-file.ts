/**
 * The local platform's field-encryption data key (../shared/field-protection.ts): a file in the
 * data directory, readable by its owner only, made on the first start with encryption on. It plays
 * the part KMS plays on AWS, so nothing is wrapped: whoever can read the data directory can read
 * the key, which is why the directory is 0700. Losing the file loses the sealed fields: back it up
 * with the data (docs/privacy.md). Without a data directory (tests) the key lives in memory.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { FIELD_KEY_BYTES, type FieldKeySource } from '../shared/field-protection';

/** The key in the file, made first if there is none (the platform calls it at start, so a damaged file stops it there). */
export function readOrCreateFieldKey(path: string): Buffer {
  try {
    // "wx": a key is never replaced by a new one.
    writeFileSync(path, `${randomBytes(FIELD_KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== FIELD_KEY_BYTES) throw new Error(`${path} does not hold a field key (${FIELD_KEY_BYTES} bytes in base64): restore it from the backup`);
  return key;
}

export function fieldKeyFile(path: string | undefined): FieldKeySource {
  const key = path ? readOrCreateFieldKey(path) : randomBytes(FIELD_KEY_BYTES);
  return { dataKey: async () => key };
}
