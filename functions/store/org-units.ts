/** The organisation tree, in one partition: it is read whole to roll figures up. */
import type { OrgUnitStore } from '../app/ports';
import { keys } from './keys';
import type { Table } from './table';

export function orgUnitItems(table: Table): OrgUnitStore {
  return {
    async listOrgUnits() {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.orgPartition, ':prefix': keys.orgUnitPrefix },
      });
      return items.map((item) => ({ id: String(item.id), name: String(item.name), ...(item.parentId ? { parentId: String(item.parentId) } : {}) }));
    },

    async putOrgUnits(units) {
      await table.batchPut(units.map((unit) => ({ ...keys.orgUnit(unit.id), entity: 'OrgUnit', ...unit })));
    },
  };
}
