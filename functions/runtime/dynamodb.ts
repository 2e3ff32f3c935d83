/**
 * The DynamoDB client, as a store over the table TABLE_NAME names (see ./lambda-entry), holding
 * only the store modules the entry names: `lambdaEntry(factory, dynamodb(surveyItems,
 * invitationItems))`, with the modules from ./store-modules. The bundle then carries those modules
 * and no other, and never the table's creation (functions/store/table-setup.ts, local only).
 */
import { configFromEnv } from '../shared/config';
import { traced } from '../shared/tracing';
import { partialStore, type StorePart } from '../store/store-parts';
import type { Deps } from '../app/deps';
import { Table, type FieldKeys } from '../store/table';
import type { ClientProviders } from './lambda-entry';

export function dynamodb(...storeParts: StorePart[]): ClientProviders {
  return {
    client: 'dynamodb',
    storeParts,
    providers: { config: () => configFromEnv(), store: (deps) => partialStore(Table.connect(deps.config.tableName, {}, fieldKeysOf(deps), traced), storeParts) },
  };
}

/** Clear when field encryption is off; with it on, the key of an entry that names ./kms, else none. */
function fieldKeysOf(deps: Deps): FieldKeys {
  if (!deps.config.fieldEncryption.enabled) return 'clear';
  return deps.fieldKeys ?? 'keyless';
}
