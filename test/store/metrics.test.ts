/**
 * The operating figures' store (functions/store/metrics.ts) against a real DynamoDB API (dynalite
 * and DynamoDB Local): a post sets the figures it names and keeps the others, a retry writes the
 * same again, and a period is read whole and alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDynamo, type TestDynamo } from '../helpers/dynamodb-backend';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';

let dynamo: TestDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = connectStore(dynamo.table('metrics-test'), dynamo.clientConfig);
  await store.ensureTable();
});
afterAll(async () => {
  store?.client.destroy();
  await dynamo?.close();
});

describe('operating figures', () => {
  it('sets what a post names, keeps the rest, and reads a period whole', async () => {
    await store.putMetrics([{ orgUnitId: 'n1', period: '2026-11', customers: 1000, marketShare: 0.2 }, { orgUnitId: 's1', period: '2026-11', customers: 3000 }], '2026-11-10T02:00:00.000Z');
    await store.putMetrics([{ orgUnitId: 'n1', period: '2026-11', complaints: 4 }], '2026-11-11T02:00:00.000Z');
    await store.putMetrics([{ orgUnitId: 'n1', period: '2026-11', complaints: 4 }], '2026-11-11T02:00:01.000Z');
    await store.putMetrics([{ orgUnitId: 'n1', period: '2026-10', customers: 900 }], '2026-11-11T02:00:00.000Z');
    const november = (await store.metricsOf('2026-11')).sort((a, b) => a.orgUnitId.localeCompare(b.orgUnitId));
    expect(november).toEqual([
      { orgUnitId: 'n1', period: '2026-11', customers: 1000, marketShare: 0.2, complaints: 4 },
      { orgUnitId: 's1', period: '2026-11', customers: 3000 },
    ]);
    expect(await store.metricsOf('2026-10')).toEqual([{ orgUnitId: 'n1', period: '2026-10', customers: 900 }]);
    expect(await store.metricsOf('2026-09')).toEqual([]);
  });
});
