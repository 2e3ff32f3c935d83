/**
 * Computed unit reports: one partition per survey and period, one item per version, panel and unit.
 * The report body is stored packed (./packed.ts) as one binary attribute: a bank's unit report is
 * about 60 KB as DynamoDB maps of numbers and several times less packed, and a run writes one per
 * unit it changed.
 */
import type { ReportStore } from '../app/ports';
import type { ReportRecord } from '../domain/records';
import { keys, reportPrefix } from './keys';
import { packValue, unpackValue } from './packed';
import { recordOf, type Item, type Table } from './table';

const reportItem = ({ report, ...record }: ReportRecord, panel: string | undefined) => ({
  ...keys.report(record.surveyId, record.period, record.version, record.orgUnitId, panel),
  entity: 'Report',
  ...record,
  ...(panel ? { panel } : {}),
  body: packValue(report),
});

function recordOfItem<T>(item: Item | undefined): ReportRecord<T> | undefined {
  const stored = recordOf<Omit<ReportRecord<T>, 'report'> & { body?: Uint8Array; report?: T }>(item);
  if (!stored) return undefined;
  const { body, report, ...record } = stored;
  // Reports written before bodies were packed carry `report` as a map; the next run rewrites them.
  return { ...record, report: body ? (unpackValue(body) as T) : (report as T) };
}

export function reportItems(table: Table): ReportStore {
  return {
    async replaceReports(surveyId, period, version, reports, panel) {
      await table.replacePartition(
        { pk: keys.reportPartition(surveyId, period), skPrefix: reportPrefix(version, panel) },
        reports.map((r) => reportItem(r, panel)),
      );
    },

    async putReports(surveyId, period, version, reports, panel) {
      await table.batchPut(reports.map((r) => reportItem(r, panel)));
    },

    async getReport<T>(surveyId: string, period: string, version: number, orgUnitId: string, panel?: string) {
      return recordOfItem<T>(await table.get(keys.report(surveyId, period, version, orgUnitId, panel)));
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
