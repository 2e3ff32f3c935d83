/**
 * Where dynalite (the local runtime's engine) and DynamoDB Local (Amazon's emulator) answer the
 * same request differently, run in both projects: on DynamoDB Local each test asserts what
 * DynamoDB does; on dynalite it asserts dynalite's known difference, so a dynalite that changes is
 * noticed. The store relies on none of these (the last block checks its code and its table setup);
 * docs/storage.md lists them. Also what neither emulator shows (unknown request fields, GSI lag).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';
import { tableDefinition } from '../../functions/store/keys';
import { startTestDynamo, type TestDynamo } from '../helpers/dynamodb-backend';

let dynamo: TestDynamo;
let store: DynamoStore;
let client: DynamoDBClient;
let TABLE: string;
let onLocal: boolean;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  onLocal = dynamo.backend === 'dynamodb-local';
  TABLE = dynamo.table('differences');
  store = connectStore(TABLE, dynamo.clientConfig);
  await store.ensureTable();
  client = new DynamoDBClient({ ...dynamo.clientConfig, maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  store?.client.destroy();
  await dynamo?.close();
});

const S = (value: string) => ({ S: value });
const item = (pk: string, extra: Record<string, { S: string } | { N: string }> = {}) => ({ pk: S(pk), sk: S('ITEM'), ...extra });
const getItem = async (pk: string) => (await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: S(pk), sk: S('ITEM') }, ConsistentRead: true }))).Item;

/** Sends a command with one more top-level field in its JSON body, one the SDK's input type does not know. */
function withExtraField<C extends PutItemCommand>(command: C, name: string, value: unknown): C {
  command.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body: string | Uint8Array; headers: Record<string, string> };
      const body = JSON.parse(typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8')) as Record<string, unknown>;
      body[name] = value;
      request.body = JSON.stringify(body);
      // The length must follow the body, or the rest of it is read as the connection's next request.
      request.headers['content-length'] = String(Buffer.byteLength(request.body));
      return next(args);
    },
    { step: 'build', name: 'addUnknownField', priority: 'low' },
  );
  return command;
}

describe('where dynalite and DynamoDB Local differ', () => {
  it('TransactWriteItems writes all or nothing and names the failed condition (dynalite: UnknownOperationException)', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item('tx-taken') }));
    const transaction = new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: TABLE, Item: item('tx-new') } },
        { Put: { TableName: TABLE, Item: item('tx-taken'), ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    });
    if (onLocal) {
      await expect(client.send(transaction)).rejects.toMatchObject({
        name: 'TransactionCanceledException',
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      });
    } else {
      await expect(client.send(transaction)).rejects.toMatchObject({ name: 'UnknownOperationException' });
    }
    expect(await getItem('tx-new')).toBeUndefined(); // nothing of it, on either
    if (onLocal) {
      await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: item('tx-a') } }, { Put: { TableName: TABLE, Item: item('tx-b') } }] }));
      expect([await getItem('tx-a'), await getItem('tx-b')].every(Boolean)).toBe(true);
    }
  });

  it('UpdateTimeToLive enables the ttl attribute of the key design (dynalite: UnknownOperationException, and TTL always DISABLED)', async () => {
    const enable = new UpdateTimeToLiveCommand({ TableName: TABLE, TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true } });
    if (onLocal) {
      expect((await client.send(enable)).TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
      expect((await client.send(new DescribeTimeToLiveCommand({ TableName: TABLE }))).TimeToLiveDescription).toEqual({ AttributeName: 'ttl', TimeToLiveStatus: 'ENABLED' });
    } else {
      await expect(client.send(enable)).rejects.toMatchObject({ name: 'UnknownOperationException' });
      expect((await client.send(new DescribeTimeToLiveCommand({ TableName: TABLE }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    }
    // Neither deletes an item long expired while a test runs (DynamoDB does, within days): readers skip expired items themselves.
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item('ttl-expired', { ttl: { N: '1000' } }) }));
    expect(await getItem('ttl-expired')).toBeDefined();
  });

  it('ReturnValuesOnConditionCheckFailure returns the stored item with the failure (dynalite drops the field: no item)', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item('rv', { v: S('first') }) }));
    const failed = await client
      .send(new PutItemCommand({ TableName: TABLE, Item: item('rv', { v: S('second') }), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
      .then(() => undefined, (error: unknown) => error as { name: string; Item?: Record<string, unknown> });
    expect(failed?.name).toBe('ConditionalCheckFailedException');
    if (onLocal) expect(failed?.Item).toEqual(item('rv', { v: S('first') }));
    else expect(failed?.Item).toBeUndefined();
  });

  it('refuses an empty string as an index key (dynalite stores the item)', async () => {
    const put = client.send(new PutItemCommand({ TableName: TABLE, Item: item('empty-gsi-key', { gsi1pk: S(''), gsi1sk: S('x') }) }));
    if (onLocal) await expect(put).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('IndexName: gsi1') });
    else await expect(put).resolves.toBeDefined();
  });
});

describe('what neither emulator shows', () => {
  it('ignores a request field it does not know: a misspelt ConditionExpression writes unconditionally, on both', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item('misspelt', { v: S('first') }) }));
    await client.send(withExtraField(new PutItemCommand({ TableName: TABLE, Item: item('misspelt', { v: S('second') }) }), 'ConditionExpresion', 'attribute_not_exists(pk)'));
    expect((await getItem('misspelt'))?.v).toEqual(S('second'));
    // The SDK sends only the fields it knows: a misspelt input field never leaves the client (TypeScript's excess-property check is what catches it).
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item('misspelt', { v: S('third') }), ConditionExpresion: 'attribute_not_exists(pk)' } as ConstructorParameters<typeof PutItemCommand>[0]));
    expect((await getItem('misspelt'))?.v).toEqual(S('third'));
  });

  it('a GSI shows a write at once on both (DynamoDB promises it only eventually); both refuse ConsistentRead on a GSI', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item('gsi-now', { gsi1pk: S('DIFF#GSI'), gsi1sk: S('1') }) }));
    const query = { TableName: TABLE, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': S('DIFF#GSI') } };
    expect((await client.send(new QueryCommand(query))).Count).toBe(1);
    await expect(client.send(new QueryCommand({ ...query, ConsistentRead: true }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Consistent reads are not supported on global secondary indexes',
    });
  });
});

describe('the store, on both', () => {
  it('names none of what dynalite lacks (transactions, TTL settings, ReturnValuesOnConditionCheckFailure)', () => {
    const dir = new URL('../../functions/store/', import.meta.url).pathname;
    const uses = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => {
        const source = readFileSync(join(dir, file), 'utf8');
        return ['TransactWrite', 'TransactGet', 'ExecuteTransaction', 'TimeToLive', 'ReturnValuesOnConditionCheckFailure'].filter((name) => source.includes(name)).map((name) => `${file}: ${name}`);
      });
    expect(uses).toEqual([]);
  });

  it('adds an index an older table lacks (UpdateTable), and the index answers (dynalite adds none: start-up says so)', async () => {
    const older = dynamo.table('differences-older');
    const [gsi1] = tableDefinition.globalSecondaryIndexes;
    await client.send(
      new CreateTableCommand({
        TableName: older,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', gsi1.partitionKey, gsi1.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: gsi1.indexName,
            KeySchema: [
              { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    const olderStore = connectStore(older, dynamo.clientConfig);
    try {
      if (!onLocal) {
        await expect(olderStore.ensureTable()).rejects.toThrow(/lacks index gsi2, and this DynamoDB did not add it/);
        return;
      }
      await olderStore.ensureTable();
      const described = await client.send(new DescribeTableCommand({ TableName: older }));
      expect((described.Table?.GlobalSecondaryIndexes ?? []).map((gsi) => [gsi.IndexName, gsi.IndexStatus]).sort()).toEqual([
        ['gsi1', 'ACTIVE'],
        ['gsi2', 'ACTIVE'],
      ]);
      expect(await olderStore.dueInvitations('2026-11-10T00:00:00.000Z', 10)).toEqual([]);
    } finally {
      olderStore.client.destroy();
    }
  });
});
