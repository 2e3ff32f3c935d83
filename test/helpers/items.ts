/** Reading a table's items raw, for tests of how things are stored. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoStore } from '../../functions/store/dynamo-store';

/** An item's size as DynamoDB counts it: names and values, binary values by their bytes. */
export const itemBytes = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + (value instanceof Uint8Array ? value.length : Buffer.byteLength(JSON.stringify(value))), 0);

/** Every item of a partition, page after page (a Query answers at most 1 MB at a time). */
export async function partitionItems(store: Pick<DynamoStore, 'client' | 'tableName'>, pk: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.client.send(new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
