/**
 * The DynamoDB a store test runs on. Every file in test/store/ runs twice, once per vitest project
 * (vitest.config.ts): `manyi` on dynalite (one in-memory dynalite per file, what the local runtime
 * uses) and `dynamodb-local` on the DynamoDB Local its globalSetup started once for the run. A file
 * asks for `startTestDynamo()` and names its tables through it; on DynamoDB Local the names get a
 * suffix of their own (files share the process) and the tables are deleted at `close()`.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { startEmbeddedDynamo, type LocalClientConfig } from '../../functions/local/embedded-dynamo';
import type { LocalPlatformOptions } from '../../functions/local/platform';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';
import { Table } from '../../functions/store/table';
import { dynamodbLocalClientConfig } from './dynamodb-local';

export type DynamoBackend = 'dynalite' | 'dynamodb-local';

/** The backend of this run of the file (the project's `provide`); dynalite outside a project. */
export const dynamoBackend = (): DynamoBackend => inject('dynamoBackend') ?? 'dynalite';

export interface TestDynamo {
  backend: DynamoBackend;
  /** What `connectStore`, `Table.connect` or a `DynamoDBClient` takes to reach it. */
  clientConfig: LocalClientConfig;
  /** The table name to use for `name`: itself on dynalite, made unique on the shared DynamoDB Local. */
  table(name: string): string;
  close(): Promise<void>;
}

export async function startTestDynamo(): Promise<TestDynamo> {
  const backend = dynamoBackend();
  if (backend === 'dynalite') {
    // Loopback TCP: a test's in-memory table holds nothing to protect, and files need no socket directory.
    const dynalite = await startEmbeddedDynamo();
    return { backend, clientConfig: dynalite.clientConfig, table: (name) => name, close: () => dynalite.close() };
  }
  const endpoint = inject('dynamodbLocalEndpoint');
  if (!endpoint) throw new Error('the dynamodb-local project runs without its globalSetup (test/helpers/dynamodb-local-setup.ts)');
  const clientConfig = dynamodbLocalClientConfig(endpoint);
  const created = new Set<string>();
  return {
    backend,
    clientConfig,
    table: (name) => {
      const unique = `${name}-${randomUUID().slice(0, 8)}`;
      created.add(unique);
      return unique;
    },
    close: async () => {
      // The process lives on for the other files: leave it no tables (and memory) of this one.
      const client = new DynamoDBClient(clientConfig);
      try {
        for (const table of created) {
          await client.send(new DeleteTableCommand({ TableName: table })).catch((error: unknown) => {
            if (!(error instanceof ResourceNotFoundException)) throw error;
          });
        }
      } finally {
        client.destroy();
      }
    },
  };
}

/**
 * What `startTestPlatform` takes to run on this file's backend: on dynalite nothing (the platform
 * starts its own embedded one on its socket, as `npm start` does); on DynamoDB Local its client
 * and a table of the file's own. `close()` after the platform has stopped.
 */
export async function platformBackend(name: string): Promise<{ options: Pick<LocalPlatformOptions, 'externalDynamo' | 'tableName'>; close(): Promise<void> }> {
  if (dynamoBackend() === 'dynalite') return { options: {}, close: async () => {} };
  const dynamo = await startTestDynamo();
  return { options: { externalDynamo: { clientConfig: dynamo.clientConfig }, tableName: dynamo.table(name) }, close: () => dynamo.close() };
}

/**
 * A store and its table on this file's backend, the table created: the set-up of a store test.
 * `close()` destroys both clients and the backend's tables.
 */
export async function connectTestStore(name: string): Promise<{ store: DynamoStore; table: Table; close(): Promise<void> }> {
  const dynamo = await startTestDynamo();
  const tableName = dynamo.table(name);
  const store = connectStore(tableName, dynamo.clientConfig);
  await store.ensureTable();
  const table = Table.connect(tableName, dynamo.clientConfig);
  return {
    store,
    table,
    close: async () => {
      store.client.destroy();
      table.client.destroy();
      await dynamo.close();
    },
  };
}
