/** Declared commitments (one partition, read whole by the computation) and compliance per period and unit. */
import type { CommitmentStore } from '../app/ports';
import type { CommitmentRecord, CommitmentsReportRecord } from '../domain/records';
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
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.commitmentsPartition, ':prefix': keys.commitmentPrefix },
      });
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
  };
}
