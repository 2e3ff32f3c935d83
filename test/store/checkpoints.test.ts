/**
 * Checkpoint items against dynalite: a unit whose accumulators pass what one item can hold (a PLS
 * bootstrap sample of 100,000 responses is megabytes) is stored in parts and read back whole;
 * no item passes 350 KB, and a unit with a part missing is left out (the restore then recomputes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/local/embedded-dynamo';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';
import { CHECKPOINT_PART_CHARS } from '../../functions/store/checkpoints';
import type { CheckpointUnit } from '../../functions/domain/records';
import { keys } from '../../functions/store/keys';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

/** Every item of a partition, page after page (a Query answers at most 1 MB at a time). */
async function partition(pk: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.client.send(new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

let dynamo: EmbeddedDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  store = connectStore('checkpoints-test', localClientConfig(dynamo.endpoint));
  await store.ensureTable();
});
afterAll(async () => {
  store?.client.destroy();
  await dynamo?.close();
});

/** 100,000 responses' worth of a bootstrap sample (27 answers each) and an exact big sum. */
const bigUnit: CheckpointUnit = {
  version: 1,
  orgUnitId: 'outlet-1',
  responses: 100_000,
  accumulators: {
    pls: { rows: Array.from({ length: 100_000 }, (_, r) => Array.from({ length: 27 }, (__, i) => (r * 7 + i) % 11)) },
    drivers: { key: { n: 100_000, cross: ['90071992547409930000', 12] } },
  },
};
const smallUnit: CheckpointUnit = { version: 1, orgUnitId: 'outlet-2', responses: 3, accumulators: { scores: { n: 3 } } };

describe('checkpoint units', () => {
  it('stores a unit beyond one item in parts and reads it back whole, beside small ones', async () => {
    expect(JSON.stringify(bigUnit.accumulators).length).toBeGreaterThan(5_000_000);
    await store.putCheckpointUnits('s1', '2026-11', 1, 'run-a', [bigUnit, smallUnit], [{ invitationId: 'i1', submittedAt: '2026-11-10T00:00:00Z' }]);
    const { units, recent } = await store.checkpointUnits('s1', '2026-11', 1, 'run-a');
    expect(units).toHaveLength(2);
    expect(units.find((u) => u.orgUnitId === 'outlet-1')).toEqual(bigUnit);
    expect(units.find((u) => u.orgUnitId === 'outlet-2')).toEqual(smallUnit);
    expect(recent).toEqual([{ invitationId: 'i1', submittedAt: '2026-11-10T00:00:00Z' }]);
  });

  it('keeps every item under 350 KB', async () => {
    const items = await partition(keys.checkpointGeneration('s1', '2026-11', 1).pk);
    expect(items.length).toBeGreaterThan(Math.ceil(5_000_000 / CHECKPOINT_PART_CHARS));
    for (const item of items) expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(350 * 1024);
  });

  it('leaves out a unit whose parts are not all there, and deletes parts with their run', async () => {
    await store.putCheckpointUnits('s1', '2026-11', 2, 'run-b', [bigUnit], []);
    const unitKey = keys.checkpointUnit('s1', '2026-11', 2, 'run-b', 1, 'outlet-1');
    await store.client.send(new DeleteCommand({ TableName: store.tableName, Key: { pk: unitKey.pk, sk: `${unitKey.sk}#PART#000002` } }));
    const read = await store.checkpointUnits('s1', '2026-11', 2, 'run-b');
    expect(read.units).toEqual([]);
    await store.deleteCheckpointGeneration('s1', '2026-11', 2);
    await store.deleteCheckpointGeneration('s1', '2026-11', 1, 'run-a');
    expect(await partition(keys.checkpointGeneration('s1', '2026-11', 1).pk)).toEqual([]);
    expect(await partition(unitKey.pk)).toEqual([]);
  });
});
