/** The audit trail: one partition per day, each record created once (a conditional put), ended by TTL. */
import type { AuditStore } from '../app/ports';
import type { AuditRecord } from '../domain/access/audit';
import { keys } from './keys';
import { recordOf, type Table } from './table';

const DAY_SECONDS = 86_400;

export function auditItems(table: Table): AuditStore {
  return {
    async appendAudit(record, retentionDays) {
      const day = record.at.slice(0, 10);
      const ttl = Math.floor(Date.parse(record.at) / 1000) + retentionDays * DAY_SECONDS;
      return table.putIfAbsent({ ...keys.audit(day, record.at, record.auditId), entity: 'Audit', ...record, ttl });
    },

    async listAudit(days, nowEpochSeconds) {
      const records: AuditRecord[] = [];
      for (const day of days) {
        const items = await table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.auditPartition(day) } });
        // DynamoDB deletes expired items within days, not at once (and dynalite never): expired ones are not shown.
        for (const item of items) if (!(typeof item.ttl === 'number' && item.ttl <= nowEpochSeconds)) records.push(recordOf<AuditRecord>(item) as AuditRecord);
      }
      return records;
    },
  };
}
