/** Computed unit reports: one partition per survey and period, one item per version, panel and unit. */
import type { ReportStore } from '../app/ports';
import type { ReportRecord } from '../domain/records';
import { keys, reportPrefix } from './keys';
import { recordOf, type Table } from './table';

export function reportItems(table: Table): ReportStore {
  return {
    async replaceReports(surveyId, period, version, reports, panel) {
      await table.replacePartition(
        { pk: keys.reportPartition(surveyId, period), skPrefix: reportPrefix(version, panel) },
        reports.map((r) => ({ ...keys.report(r.surveyId, r.period, r.version, r.orgUnitId, panel), entity: 'Report', ...r, ...(panel ? { panel } : {}) })),
      );
    },

    async getReport<T>(surveyId: string, period: string, version: number, orgUnitId: string, panel?: string) {
      return recordOf<ReportRecord<T>>(await table.get(keys.report(surveyId, period, version, orgUnitId, panel)));
    },

    async latestReportedVersion(surveyId, period) {
      const { items } = await table.queryPage({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.reportPartition(surveyId, period) },
        ProjectionExpression: 'version',
        ScanIndexForward: false,
        Limit: 1,
      });
      const version = items[0]?.version;
      return typeof version === 'number' ? version : undefined;
    },
  };
}
