/**
 * The field-encryption data key on AWS (../shared/field-protection.ts), by envelope encryption: KMS
 * generates a 256-bit data key under the stack's customer-managed key; only its wrapped form (the
 * CiphertextBlob) is stored, in the table's CONFIG/FIELD_KEY item, created once by whichever
 * function needs the key first. Each container unwraps it with one Decrypt call on its first use
 * and keeps the plaintext key in memory only. The encryption context binds the wrapped key to its
 * purpose and table, so it cannot be unwrapped for anything else; KMS key rotation keeps old
 * wrapped keys decryptable.
 */
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { FieldKeySource, WrappedKeyStore } from '../shared/field-protection';

export function kmsFieldKey(keyId: string, tableName: string, client: KMSClient = new KMSClient({})): FieldKeySource {
  const EncryptionContext = { purpose: 'manyi-field-encryption', table: tableName };
  const unwrap = async (wrapped: string) => {
    const { Plaintext } = await client.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: Buffer.from(wrapped, 'base64'), EncryptionContext }));
    if (!Plaintext) throw new Error('KMS returned no plaintext for the field key');
    return Plaintext;
  };
  return {
    async dataKey(wrappedKeys: WrappedKeyStore) {
      const stored = await wrappedKeys.read();
      if (stored) return unwrap(stored);
      const { Plaintext, CiphertextBlob } = await client.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext }));
      if (!Plaintext || !CiphertextBlob) throw new Error('KMS returned no data key');
      if (await wrappedKeys.create(Buffer.from(CiphertextBlob).toString('base64'))) return Plaintext;
      // Another container stored its key first: that one is the table's.
      const winner = await wrappedKeys.read();
      if (!winner) throw new Error('the field key item was neither created nor found');
      return unwrap(winner);
    },
  };
}
