/**
 * Declared commitments and calendar settings (one partition, read whole by the computation),
 * compliance per period and unit, and the periods marked for recomputation.
 */
import type { CommitmentStore } from '../app/ports';
import type { CalendarSettingsRecord, CommitmentRecord, CommitmentsReportRecord, ComplianceRecomputeRecord } from '../domain/records';
import { keys } from './keys';
import { recordOf, type Table } from './table';

export function commitmentItems(table: Table): CommitmentStore {
  return {
    async getCommitment(commitmentId) {
      return recordOf<CommitmentRecord>(await table.get(keys.commitment(commitmentId), { consistent: true }));
    },

    async putCommitment(record) {
      await table.put({ ...keys.commitment(record.commitmentId), entity: 'Commitment', ...record });
    },

    async listCommitmentRecords() {
      const items = await table.itemsUnder(keys.commitmentsPartition, keys.commitmentPrefix);
      return items.map((item) => recordOf<CommitmentRecord>(item) as CommitmentRecord);
    },

    async replaceCommitmentsReports(period, reports) {
      await table.replacePartition(
        { pk: keys.commitmentsReportPartition(period) },
        reports.map((report) => ({ ...keys.commitmentsReport(report.period, report.orgUnitId), entity: 'CommitmentsReport', ...report })),
      );
    },

    async getCommitmentsReport(period, orgUnitId) {
      return recordOf<CommitmentsReportRecord>(await table.get(keys.commitmentsReport(period, orgUnitId)));
    },

    async getCalendarSettings(calendarId) {
      return recordOf<CalendarSettingsRecord>(await table.get(keys.calendarSettings(calendarId), { consistent: true }));
    },

    async putCalendarSettings(record) {
      await table.put({ ...keys.calendarSettings(record.calendarId), entity: 'CalendarSettings', ...record });
    },

    async listCalendarSettings() {
      const items = await table.itemsUnder(keys.commitmentsPartition, keys.calendarSettingsPrefix, { consistent: true });
      return items.map((item) => recordOf<CalendarSettingsRecord>(item) as CalendarSettingsRecord);
    },

    async markComplianceRecompute(record) {
      await table.put({ ...keys.complianceRecompute(record.period), entity: 'ComplianceRecompute', ...record });
    },

    async listComplianceRecomputes() {
      const items = await table.itemsUnder(keys.commitmentsPartition, keys.complianceRecomputePrefix, { consistent: true });
      return items.map((item) => recordOf<ComplianceRecomputeRecord>(item) as ComplianceRecomputeRecord);
    },

    async clearComplianceRecompute(period, markedAt) {
      await table.deleteIf(keys.complianceRecompute(period), { ConditionExpression: 'markedAt = :seen', ExpressionAttributeValues: { ':seen': markedAt } });
    },
  };
}
