import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';

/** The encryption context every use of the field key names (functions/channels/kms-field-key.ts). */
export const FIELD_KEY_PURPOSE = 'manyi-field-encryption';

/**
 * The customer-managed KMS key that wraps the table's field-encryption data key (envelope
 * encryption of phone numbers, names and e-mail addresses; docs/privacy.md). Rotated yearly by
 * KMS (older wrapped keys stay decryptable); retained when the stack is deleted, since without it
 * the sealed fields of a restored table could never be read again.
 */
export function createFieldKey(stack: Stack): Key {
  return new Key(stack, 'FieldKey', {
    description: 'manyi: wraps the data key that seals personal fields (phone, name, e-mail) in the table',
    enableKeyRotation: true,
    alias: `alias/${stack.stackName}-fields`,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * FIELD_KEY_ID and exactly the two calls of kms-field-key.ts (GenerateDataKey once per table,
 * Decrypt once per container), on this key only and only with the field key's encryption context.
 */
export function grantFieldKey(key: Key, fn: LambdaFunction, table: { tableName: string }): void {
  fn.addEnvironment('FIELD_KEY_ID', key.keyArn);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:purpose': FIELD_KEY_PURPOSE, 'kms:EncryptionContext:table': table.tableName } },
    }),
  );
}
