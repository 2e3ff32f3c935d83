/** A store of only the modules an entry names (Lambda) and the same view of the full store (local runtime), on dynalite and DynamoDB Local. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDynamo, type TestDynamo } from '../helpers/dynamodb-backend';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';
import { orgUnitItems } from '../../functions/store/org-units';
import { surveyItems } from '../../functions/store/surveys';
import { partialStore, storeMethods, storeView } from '../../functions/store/store-parts';
import { Table } from '../../functions/store/table';

let dynamo: TestDynamo;
let full: DynamoStore;
let table: Table;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  const name = dynamo.table('store-parts-test');
  full = connectStore(name, dynamo.clientConfig);
  await full.ensureTable();
  table = Table.connect(name, dynamo.clientConfig);
});
afterAll(async () => {
  full?.client.destroy();
  table?.client.destroy();
  await dynamo?.close();
});

const missing = /this function's store has no putSurveyVersionIfAbsent: its entry must name the store module that provides it in dynamodb\(\.\.\.\)/;

describe('a store of the modules an entry names', () => {
  it('reads and writes through the named modules and refuses, by name, a method of another module', async () => {
    const store = partialStore(table, [orgUnitItems]);
    await store.putOrgUnits([{ id: 'hq', name: 'HQ' }]);
    expect(await store.listOrgUnits()).toEqual([{ id: 'hq', name: 'HQ' }]);
    expect(() => store.putSurveyVersionIfAbsent).toThrow(missing);
    expect('putSurveyVersionIfAbsent' in store).toBe(false);
    expect('listOrgUnits' in store).toBe(true);
  });

  it('lists the methods of each module', () => {
    expect(storeMethods([orgUnitItems])).toEqual(new Set(['listOrgUnits', 'putOrgUnits']));
    expect([...storeMethods([orgUnitItems, surveyItems])]).toContain('getSurveyVersion');
  });

  it('gives the local runtime the same view of its full store', async () => {
    const view = storeView(() => full, [orgUnitItems]);
    await view.putOrgUnits([{ id: 'north', name: 'North' }]);
    expect((await full.listOrgUnits()).map((unit) => unit.id)).toContain('north');
    expect(() => view.putSurveyVersionIfAbsent).toThrow(missing);
  });

});
