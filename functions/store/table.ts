/**
 * The one module that holds a DynamoDB client: reads (key lookups and queries, never a scan), batching with retries of
 * unprocessed items, and the conditional write every "exactly once" of the platform rests on.
 * Entity modules (./surveys.ts, ./invitations.ts, ...) build keys and items and call these.
 */
import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  ScanCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type PutCommandInput,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { CLEAR_FIELDS, KEYLESS_FIELDS, keyedFieldProtection, type FieldKeySource, type FieldProtection } from '../shared/field-protection';
import { InvalidCursorError } from '../app/ports';
import { keys, type IndexName } from './keys';

export type Key = { pk: string; sk: string };
export type Item = Record<string, unknown>;
/** A query without the table name, which the table adds. */
export type Query = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

const BATCH_WRITE_LIMIT = 25;
const BATCH_GET_LIMIT = 100;
const MAX_BATCH_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Strips the key attributes from an item so callers see only the record. */
export function recordOf<T>(item: Item | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, gsi2pk: _g3, gsi2sk: _g4, entity: _e, ttl: _t, ...record } = item;
  return record as T;
}

/**
 * How the table's personal fields are kept (../shared/field-protection.ts): in clear (encryption
 * off), sealed under the data key a source gives, or sealed with no key in this process.
 */
export type FieldKeys = 'clear' | 'keyless' | FieldKeySource;

/**
 * A page cursor as the API hands it out: the last key of a page, base64url JSON. A cursor sent
 * back is accepted only as a key of the partition being listed (anything else is a 400, never a
 * query DynamoDB refuses).
 */
export const encodeCursor = (key: Item): string => Buffer.from(JSON.stringify(key)).toString('base64url');
/** The JSON a cursor holds; InvalidCursorError when it holds none. */
export function parseCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
}

export function decodeCursor(cursor: string, isKeyOfList: (key: Record<string, unknown>) => boolean): Item {
  const key = parseCursor(cursor);
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw new InvalidCursorError();
  const fields = key as Record<string, unknown>;
  // Key values DynamoDB accepts (non-empty, a sort key at most 1024 bytes): anything else would be its error, a 500.
  if (!Object.values(fields).every((value) => typeof value === 'string' && value !== '' && Buffer.byteLength(value) <= 1024) || !isKeyOfList(fields)) throw new InvalidCursorError();
  return fields;
}

/** One string per primary key: how `batchGet` names what it found. */
export const itemKey = (key: { pk: unknown; sk: unknown }): string => `${String(key.pk)}\u0000${String(key.sk)}`;

export class Table {
  readonly documents: DynamoDBDocumentClient;
  private protection: Promise<FieldProtection> | undefined;

  constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
    private readonly fieldKeys: FieldKeys = 'clear',
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** `instrument` wraps the client before use (Lambda: functions/shared/tracing.ts records its calls). */
  static connect(tableName: string, clientConfig: DynamoDBClientConfig = {}, fieldKeys: FieldKeys = 'clear', instrument: (client: DynamoDBClient) => DynamoDBClient = (client) => client): Table {
    return new Table(instrument(new DynamoDBClient(clientConfig)), tableName, fieldKeys);
  }

  /**
   * How personal fields are sealed and looked up in this table: the data key is fetched once per
   * process, on the first use (a failed fetch is tried again on the next).
   */
  fields(): Promise<FieldProtection> {
    const source = this.fieldKeys;
    if (source === 'clear') return Promise.resolve(CLEAR_FIELDS);
    if (source === 'keyless') return Promise.resolve(KEYLESS_FIELDS);
    this.protection ??= this.keyedFields(source).catch((error: unknown) => {
      this.protection = undefined;
      throw error;
    });
    return this.protection;
  }

  /**
   * The table's key item holds the wrapped data key (KMS) and, once the sealing pass has moved
   * every clear key (./field-sealing.ts), when it did: lookups then read the hashed form only.
   */
  private async keyedFields(source: FieldKeySource): Promise<FieldProtection> {
    let item = await this.get(keys.fieldKey, { consistent: true });
    const dataKey = await source.dataKey({
      read: async () => {
        item ??= await this.get(keys.fieldKey, { consistent: true });
        return typeof item?.wrappedKey === 'string' ? item.wrappedKey : undefined;
      },
      create: async (wrapped: string) => {
        const created = (await this.writeIf({
          update: {
            Key: keys.fieldKey,
            UpdateExpression: 'SET wrappedKey = :wrapped, entity = :entity',
            ConditionExpression: 'attribute_not_exists(wrappedKey)',
            ExpressionAttributeValues: { ':wrapped': wrapped, ':entity': 'FieldKey' },
          },
        }));
        if (!created) item = undefined;
        return created;
      },
    });
    return keyedFieldProtection(dataKey, { clearForms: typeof item?.clearSealedAt !== 'string' });
  }

  // ---- reads ------------------------------------------------------------------------------------

  async get(key: Key, options: { consistent?: boolean } = {}): Promise<Item | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ...(options.consistent ? { ConsistentRead: true } : {}) }));
    return Item;
  }

  /** The first of several items that exists, read one by one in the order given (strongly consistent). */
  async firstOf(candidates: readonly Key[]): Promise<Item | undefined> {
    for (const key of candidates) {
      const item = await this.get(key, { consistent: true });
      if (item) return item;
    }
    return undefined;
  }

  /** The first page of a query (with `Limit`, the first items). */
  async queryPage(query: Query, exclusiveStartKey?: Item): Promise<{ items: Item[]; lastKey: Item | undefined }> {
    const page = await this.documents.send(new QueryCommand({ ...query, TableName: this.tableName, ExclusiveStartKey: exclusiveStartKey }));
    return { items: page.Items ?? [], lastKey: page.LastEvaluatedKey };
  }

  /** A query page by page, as the pages arrive. */
  async *queryPages(query: Query): AsyncGenerator<Item[]> {
    let lastKey: Item | undefined;
    do {
      const page = await this.queryPage(query, lastKey);
      lastKey = page.lastKey;
      yield page.items;
    } while (lastKey);
  }

  /** Every item stored under one partition key of the table, or of an index's partition key. */
  async itemsOf(partition: string, index?: IndexName): Promise<Item[]> {
    const key = index ? `${index}pk` : 'pk';
    return this.queryAll({ ...(index ? { IndexName: index } : {}), KeyConditionExpression: `${key} = :pk`, ExpressionAttributeValues: { ':pk': partition } });
  }

  /** Every item of one partition whose sort key starts with `skPrefix` (strongly consistent if asked). */
  async itemsUnder(partition: string, skPrefix: string, options: { consistent?: boolean } = {}): Promise<Item[]> {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partition, ':prefix': skPrefix },
      ...(options.consistent ? { ConsistentRead: true } : {}),
    });
  }

  /**
   * Several items by key with one BatchGetItem per 100 keys (more calls only for unprocessed keys,
   * retried with backoff), as a map from `itemKey` to item; keys not found are absent. Eventually
   * consistent unless asked (like `get`); `projection` limits the attributes read.
   */
  async batchGet(keysToRead: readonly Key[], options: { consistent?: boolean; projection?: string } = {}): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    const unique = [...new Map(keysToRead.map((key) => [itemKey(key), { pk: key.pk, sk: key.sk }])).values()];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let pending: Key[] = unique.slice(start, start + BATCH_GET_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error(`batch get left ${pending.length} keys unprocessed after ${attempt} attempts`);
        if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt));
        const request = { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}), ...(options.projection ? { ProjectionExpression: options.projection } : {}) };
        const result = await this.documents.send(new BatchGetCommand({ RequestItems: { [this.tableName]: request } }));
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(itemKey(item as Key), item);
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[];
      }
    }
    return found;
  }

  /**
   * One page of a Scan of the whole table. Never used to answer a request: only by the one-off
   * sealing of personal fields written before encryption was turned on (./field-sealing.ts),
   * which must visit every item once, resumably.
   */
  async scanPage(limit: number, exclusiveStartKey?: Key): Promise<{ items: Item[]; lastKey: Key | undefined }> {
    const page = await this.documents.send(new ScanCommand({ TableName: this.tableName, Limit: limit, ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}), ConsistentRead: true }));
    return { items: page.Items ?? [], lastKey: page.LastEvaluatedKey as Key | undefined };
  }

  /** Every item of a query. */
  async queryAll(query: Query): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of this.queryPages(query)) items.push(...page);
    return items;
  }

  // ---- writes -----------------------------------------------------------------------------------

  async put(item: Item): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<void> {
    await this.documents.send(new UpdateCommand({ ...input, TableName: this.tableName }));
  }

  async delete(key: Key): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
  }

  /**
   * A conditional put or update: true when it was written, false when its condition did not hold
   * (the item is already there, or changed since it was read). Other failures throw.
   */
  /**
   * Adds one to `counter` of the item at `key` (created if absent, kept until `ttlEpochSeconds`)
   * unless it has reached `limit`: true when counted. One conditional write, so concurrent callers
   * never pass the limit together (the rate buckets, the daily test messages).
   */
  async countBelow(key: Key, counter: string, limit: number, ttlEpochSeconds: number): Promise<boolean> {
    return this.writeIf({
      update: {
        Key: key,
        UpdateExpression: 'ADD #counter :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#counter) OR #counter < :limit',
        ExpressionAttributeNames: { '#counter': counter, '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': ttlEpochSeconds },
      },
    });
  }

  /** Gives back one counted by `countBelow` (never below zero): true when there was one to give back. */
  async uncount(key: Key, counter: string): Promise<boolean> {
    return this.writeIf({
      update: { Key: key, UpdateExpression: 'ADD #counter :minusOne', ConditionExpression: '#counter > :zero', ExpressionAttributeNames: { '#counter': counter }, ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 } },
    });
  }

  async writeIf(write: { put: Omit<PutCommandInput, 'TableName'> } | { update: Omit<UpdateCommandInput, 'TableName'> }): Promise<boolean> {
    try {
      if ('put' in write) await this.documents.send(new PutCommand({ ...write.put, TableName: this.tableName }));
      else await this.documents.send(new UpdateCommand({ ...write.update, TableName: this.tableName }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A conditional delete: true when the item was deleted, false when its condition did not hold (also when there is no item). */
  async deleteIf(key: Key, condition: { ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> }): Promise<boolean> {
    try {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: key, ...condition }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Puts an item unless one with its key exists: 'created', or 'exists' (nothing written). */
  async putIfAbsent(item: Item & Key): Promise<'created' | 'exists'> {
    return (await this.writeIf({ put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' } })) ? 'created' : 'exists';
  }

  async batchPut(items: readonly Item[]): Promise<void> {
    await this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  async batchDelete(keysToDelete: readonly Item[]): Promise<void> {
    await this.batchWrite(keysToDelete.map((Key) => ({ DeleteRequest: { Key } })));
  }

  /**
   * Writes `fresh` and deletes the items of a partition (under a sort-key prefix) that `fresh` no
   * longer holds: how a computation replaces its previous output (a unit that moved away, say).
   * Returns the sort keys it deleted.
   */
  async replacePartition(partition: { pk: string; skPrefix?: string }, fresh: readonly (Item & Key)[]): Promise<string[]> {
    const existing = await this.queryAll({
      ...(partition.skPrefix
        ? { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': partition.pk, ':prefix': partition.skPrefix } }
        : { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition.pk } }),
      ProjectionExpression: 'pk, sk',
    });
    const kept = new Set(fresh.map((item) => item.sk));
    await this.batchPut(fresh);
    const stale = existing.filter((item) => !kept.has(String(item.sk)));
    await this.batchDelete(stale.map((item) => ({ pk: item.pk, sk: item.sk })));
    return stale.map((item) => String(item.sk));
  }

  /** BatchWriteItem in chunks of 25, retrying unprocessed items with exponential backoff. */
  private async batchWrite(requests: readonly Item[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
      let pending = requests.slice(start, start + BATCH_WRITE_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error(`batch write left ${pending.length} items unprocessed after ${attempt} attempts`);
        if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt));
        const result = await this.documents.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      }
    }
  }
}
