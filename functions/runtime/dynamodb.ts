/** The DynamoDB client, as the store over the table TABLE_NAME names (see ./lambda-entry). */
import { configFromEnv } from '../shared/config';
import { connectStore } from '../store/dynamo-store';
import type { ClientProviders } from './lambda-entry';

export const dynamodb: ClientProviders = {
  client: 'dynamodb',
  providers: { config: () => configFromEnv(), store: (deps) => connectStore(deps.config.tableName) },
};
