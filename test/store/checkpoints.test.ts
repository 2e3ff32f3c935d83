/**
 * Checkpoint items against dynalite and DynamoDB Local. A unit's accumulators are stored packed (typed arrays,
 * deflated); a unit whose packed accumulators pass what one item can hold is stored in parts and
 * read back whole, and no item passes 350 KB; a unit with a part missing is left out of a run's
 * items and counted as incomplete in the base. The base takes a unit only from a newer generation,
 * so a run finishing an older layer late never overwrites a newer unit, and its old parts go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startTestDynamo, type TestDynamo } from '../helpers/dynamodb-backend';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';
import { CHECKPOINT_PART_BYTES } from '../../functions/store/checkpoints';
import type { CheckpointUnit } from '../../functions/domain/records';
import { keys } from '../../functions/store/keys';
import { itemBytes, partitionItems } from '../helpers/items';
import { seededRandom } from '../../functions/domain/pls';


let dynamo: TestDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = connectStore(dynamo.table('checkpoints-test'), dynamo.clientConfig);
  await store.ensureTable();
});
afterAll(async () => {
  store?.client.destroy();
  await dynamo?.close();
});

// Random doubles hardly deflate: 20,000 x 27 of them are about 3 MB packed, so about 10 parts.
const random = seededRandom(11);
const bigUnit: CheckpointUnit = {
  version: 1,
  orgUnitId: 'outlet-1',
  responses: 20_000,
  generation: 1,
  borrows: false,
  children: { 'desk-1': { n: 3, csi: 71.5 } },
  accumulators: {
    model: { rows: Array.from({ length: 20_000 }, () => Array.from({ length: 27 }, () => random())) },
    drivers: { key: { n: 20_000, cross: ['90071992547409930000', 12, -7] } },
  },
};
const smallUnit: CheckpointUnit = { version: 1, orgUnitId: 'outlet-2', responses: 3, generation: 1, borrows: true, accumulators: { scores: { n: 3, sums: [1, 2, 3, 4, 5, 6, 7, 8, 9] } } };
const recent = [{ invitationId: 'i1', submittedAt: '2026-11-10T00:00:00Z' }];
const BASE = 'base-1';
const baseKey = keys.checkpointBase('s1', '2026-11', BASE);

describe('a run’s checkpoint items', () => {
  it('stores a unit beyond one item in parts and reads it back whole, beside small ones', async () => {
    await store.putCheckpointUnits('s1', '2026-11', 1, 'run-a', [bigUnit, smallUnit], recent);
    const read = await store.checkpointUnits('s1', '2026-11', 1, 'run-a');
    expect(read.units).toHaveLength(2);
    expect(read.units.find((u) => u.orgUnitId === 'outlet-1')).toEqual(bigUnit);
    expect(read.units.find((u) => u.orgUnitId === 'outlet-2')).toEqual(smallUnit);
    expect(read.recent).toEqual(recent);
  });

  it('keeps every item under 350 KB', async () => {
    const items = await partitionItems(store, keys.checkpointGeneration('s1', '2026-11', 1).pk);
    expect(items.filter((item) => item.entity === 'CheckpointUnitPart').length).toBeGreaterThan(2_500_000 / CHECKPOINT_PART_BYTES);
    for (const item of items) expect(itemBytes(item)).toBeLessThan(350 * 1024);
  });

  it('leaves out a unit whose parts are not all there, and deletes parts with their run', async () => {
    await store.putCheckpointUnits('s1', '2026-11', 2, 'run-b', [bigUnit], []);
    const unitKey = keys.checkpointUnit('s1', '2026-11', 2, 'run-b', 1, 'outlet-1');
    await store.client.send(new DeleteCommand({ TableName: store.tableName, Key: { pk: unitKey.pk, sk: `${unitKey.sk}#PART#000002` } }));
    expect((await store.checkpointUnits('s1', '2026-11', 2, 'run-b')).units).toEqual([]);
    await store.deleteCheckpointGeneration('s1', '2026-11', 2);
    await store.deleteCheckpointGeneration('s1', '2026-11', 1, 'run-a');
    expect(await partitionItems(store, keys.checkpointGeneration('s1', '2026-11', 1).pk)).toEqual([]);
    expect(await partitionItems(store, unitKey.pk)).toEqual([]);
  });
});

describe('the base', () => {
  it('reads units by id and a whole state, parts included', async () => {
    await store.putBaseUnits('s1', '2026-11', BASE, [bigUnit, smallUnit, { ...smallUnit, version: 2, orgUnitId: 'outlet-3' }]);
    const some = await store.baseUnitsOf('s1', '2026-11', BASE, 1, undefined, ['outlet-1', 'outlet-2', 'nowhere']);
    expect(some.incomplete).toBe(0);
    expect(some.units.map((u) => u.orgUnitId).sort()).toEqual(['outlet-1', 'outlet-2']);
    expect(some.units.find((u) => u.orgUnitId === 'outlet-1')).toEqual(bigUnit);
    const all = await store.allBaseUnits('s1', '2026-11', BASE, 1, undefined);
    expect(all.units.map((u) => u.orgUnitId).sort()).toEqual(['outlet-1', 'outlet-2']);
    expect((await store.allBaseUnits('s1', '2026-11', BASE, 2, undefined)).units.map((u) => u.orgUnitId)).toEqual(['outlet-3']);
  });

  it('takes a unit only from a newer generation, and drops the parts it replaced', async () => {
    const newer = { ...bigUnit, generation: 3, responses: 20_001 };
    await store.applyToBase('s1', '2026-11', BASE, [newer, { ...smallUnit, generation: 3, responses: 4 }]);
    // A run finishing generation 2's layer late: neither unit goes back.
    await store.applyToBase('s1', '2026-11', BASE, [{ ...bigUnit, generation: 2, responses: 1 }, { ...smallUnit, generation: 2, responses: 1 }]);
    const { units } = await store.baseUnitsOf('s1', '2026-11', BASE, 1, undefined, ['outlet-1', 'outlet-2']);
    expect(units.find((u) => u.orgUnitId === 'outlet-1')).toEqual(newer);
    expect(units.find((u) => u.orgUnitId === 'outlet-2')?.responses).toBe(4);
    const parts = (await partitionItems(store, baseKey.pk)).filter((item) => item.entity === 'CheckpointUnitPart');
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((part) => String(part.sk).includes('#PART#000000003#'))).toBe(true);
  });

  it('counts a unit with a part missing as incomplete', async () => {
    const part = (await partitionItems(store, baseKey.pk)).find((item) => item.entity === 'CheckpointUnitPart')!;
    await store.client.send(new DeleteCommand({ TableName: store.tableName, Key: { pk: part.pk, sk: part.sk } }));
    expect((await store.baseUnitsOf('s1', '2026-11', BASE, 1, undefined, ['outlet-1'])).incomplete).toBe(1);
    expect((await store.allBaseUnits('s1', '2026-11', BASE, 1, undefined)).incomplete).toBe(1);
  });

  it('deletes a base and the META’s note of it as stale', async () => {
    const meta = keys.checkpointMeta('s1', '2026-11');
    await store.client.send(new PutCommand({ TableName: store.tableName, Item: { ...meta, entity: 'CheckpointMeta', generation: 3, staleBase: BASE } }));
    await store.deleteCheckpointBase('s1', '2026-11', BASE);
    expect(await partitionItems(store, baseKey.pk)).toEqual([]);
    expect(await store.getCheckpointMeta('s1', '2026-11')).not.toHaveProperty('staleBase');
  });
});
