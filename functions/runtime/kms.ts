/**
 * The KMS client, as the source of the field-encryption data key (FIELD_KEY_ID; see ./lambda-entry
 * and functions/channels/kms-field-key.ts): named by the entries that read or write phone numbers,
 * names or e-mail addresses. Without FIELD_KEY_ID (encryption off in the stack) it provides nothing.
 */
import { kmsFieldKey } from '../channels/kms-field-key';
import { KMSClient } from '@aws-sdk/client-kms';
import { configFromEnv } from '../shared/config';
import { traced } from '../shared/tracing';
import type { ClientProviders } from './lambda-entry';

export const kms: ClientProviders = {
  client: 'kms',
  providers: {
    config: () => configFromEnv(),
    fieldKeys: (deps) => {
      const keyId = deps.config.fieldEncryption.kmsKeyId;
      return keyId ? kmsFieldKey(keyId, deps.config.tableName, traced(new KMSClient({}))) : undefined;
    },
  },
};
