/**
 * Creating the table from the key design where it is missing (the local runtime and the tests).
 * Its own module, so that the Lambda bundles, whose table the stack creates, carry neither this
 * code nor the CreateTable/UpdateTable/DescribeTable command schemas (about 9 KB).
 */
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from './keys';
import type { Table } from './table';

/** A GSI of the key design as CreateTable/UpdateTable take it (every attribute projected). */
const indexDefinition = (gsi: (typeof tableDefinition.globalSecondaryIndexes)[number]) => ({
  IndexName: gsi.indexName,
  KeySchema: [
    { AttributeName: gsi.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: gsi.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

/** What creating the table needs of it. */
type TableRef = Pick<Table, 'client' | 'tableName'>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the table from the key design if it does not exist, and adds the indexes an older table lacks. */
export async function ensureTable(table: TableRef): Promise<void> {
  const { client, tableName } = table;
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await addMissingIndexes(table, new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((gsi) => gsi.IndexName ?? '')));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const attributes = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
  for (const gsi of tableDefinition.globalSecondaryIndexes) {
    attributes.add(gsi.partitionKey);
    attributes.add(gsi.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map(indexDefinition),
    }),
  );
  await waitUntilActive(table);
}

/** A table created by an older version lacks newer indexes: add them (each needs its own update). */
async function addMissingIndexes({ client, tableName }: TableRef, present: Set<string>): Promise<void> {
  for (const gsi of tableDefinition.globalSecondaryIndexes) {
    if (present.has(gsi.indexName)) continue;
    try {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [
            { AttributeName: gsi.partitionKey, AttributeType: 'S' },
            { AttributeName: gsi.sortKey, AttributeType: 'S' },
          ],
          GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(gsi) }],
        }),
      );
    } catch (error) {
      // dynalite (the local runtime's table) asks a throughput of every new index, even on an
      // on-demand table, and adds none given one: the check below says so.
      if (!isDynaliteThroughputDemand(error)) throw error;
    }
    await waitUntilActive({ client, tableName });
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!(described.Table?.GlobalSecondaryIndexes ?? []).some((index) => index.IndexName === gsi.indexName)) {
      // dynalite 4 adds no index to a table it holds: going on would answer every query of the
      // index with an error, so say so at start-up instead.
      throw new Error(
        `table ${tableName} lacks index ${gsi.indexName}, and this DynamoDB did not add it (dynalite cannot add an index to a table it holds): ` +
          'the table was made by an older manyi; start on a new data directory (MANYI_DATA_DIR) and import the data again',
      );
    }
  }
}

const isDynaliteThroughputDemand = (error: unknown) =>
  error instanceof Error && error.name === 'ValidationException' && /provisionedThroughput' failed to satisfy constraint: Member must not be null/.test(error.message);

async function waitUntilActive({ client, tableName }: TableRef): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesReady = (described.Table?.GlobalSecondaryIndexes ?? []).every((gsi) => gsi.IndexStatus === 'ACTIVE');
    if (described.Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    await sleep(100);
  }
  throw new Error(`table ${tableName} did not become active`);
}
