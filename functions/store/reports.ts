/**
 * Computed unit reports: one partition per survey and period, one item per version, panel and unit;
 * beside each report its trend point (n, CSI and its interval, the elements' scores) in a partition of its own under the same sort key.
 * The report route reads what it needs at once (`readReportSet`: one BatchGetItem of known keys).
 * The report body is stored packed (./packed.ts) as one binary attribute: a bank's unit report is
 * about 60 KB as DynamoDB maps of numbers and several times less packed, and a run writes one per
 * unit it changed.
 */
import type { ReportReads, ReportStore } from '../app/ports';
import type { CommitmentRecord, CommitmentsReportRecord, ReportRecord, ReportTrendPoint, SurveyVersionRecord } from '../domain/records';
import { keys, reportPrefix } from './keys';
import { packValue, unpackValue } from './packed';
import { SurveyVersionCache } from './surveys';
import { itemKey, recordOf, type Item, type Key, type Table } from './table';

const reportItem = ({ report, ...record }: ReportRecord, panel: string | undefined) => ({
  ...keys.report(record.surveyId, record.period, record.version, record.orgUnitId, panel),
  entity: 'Report',
  ...record,
  ...(panel ? { panel } : {}),
  body: packValue(report),
});

/** A stored trend point; the interval and the elements' scores are absent on points stored before they were kept. */
function trendPointOfItem(item: Item | undefined): ReportTrendPoint | undefined {
  if (!item) return undefined;
  const ci95 = Array.isArray(item.ci95) && item.ci95.length === 2 ? (item.ci95.map(Number) as [number, number]) : undefined;
  const elements = typeof item.elements === 'object' && item.elements !== null ? (item.elements as Record<string, number | null>) : undefined;
  return { n: Number(item.n), csi: typeof item.csi === 'number' ? item.csi : null, ...(ci95 ? { ci95 } : {}), ...(elements ? { elements } : {}) };
}

function recordOfItem<T>(item: Item | undefined): ReportRecord<T> | undefined {
  const stored = recordOf<Omit<ReportRecord<T>, 'report'> & { body?: Uint8Array; report?: T }>(item);
  if (!stored) return undefined;
  const { body, report, ...record } = stored;
  // Reports written before bodies were packed carry `report` as a map; the next run rewrites them.
  return { ...record, report: body ? (unpackValue(body) as T) : (report as T) };
}

export function reportItems(table: Table, versions = new SurveyVersionCache()): ReportStore {
  return {
    async replaceReports(surveyId, period, version, reports, panel) {
      const deleted = await table.replacePartition(
        { pk: keys.reportPartition(surveyId, period), skPrefix: reportPrefix(version, panel) },
        reports.map((r) => reportItem(r, panel)),
      );
      // A unit whose report went has no trend point that month either (same sort key).
      await table.batchDelete(deleted.map((sk) => ({ pk: keys.reportTrendPartition(surveyId, period), sk })));
    },

    async putReportTrend(surveyId, period, version, points, panel) {
      await table.batchPut(points.map(({ orgUnitId, point }) => ({ ...keys.reportTrendPoint(surveyId, period, version, orgUnitId, panel), entity: 'ReportTrendPoint', ...point })));
    },

    async putReports(surveyId, period, version, reports, panel) {
      await table.batchPut(reports.map((r) => reportItem(r, panel)));
    },

    async getReport<T>(surveyId: string, period: string, version: number, orgUnitId: string, panel?: string) {
      return recordOfItem<T>(await table.get(keys.report(surveyId, period, version, orgUnitId, panel)));
    },

    async readReportSet<T>(reads: ReportReads) {
      const { surveyId, version, panel } = reads;
      const reportKeys = (reads.reports ?? []).map(({ period, orgUnitId }) => keys.report(surveyId, period, version, orgUnitId, panel));
      const trendKeys = reads.trend ? reads.trend.periods.map((period) => keys.reportTrendPoint(surveyId, period, version, reads.trend!.orgUnitId, panel)) : [];
      const cached = reads.questionnaire ? versions.get(surveyId, version) : undefined;
      const questionnaireKey = reads.questionnaire && !cached ? keys.surveyVersion(surveyId, version) : undefined;
      const commitmentsReportKey = reads.commitmentsReport ? keys.commitmentsReport(reads.commitmentsReport.period, reads.commitmentsReport.orgUnitId) : undefined;
      const commitmentKeys = (reads.commitments ?? []).map((id) => keys.commitment(id));

      const all: Key[] = [...reportKeys, ...trendKeys, ...commitmentKeys];
      if (questionnaireKey) all.push(questionnaireKey);
      if (commitmentsReportKey) all.push(commitmentsReportKey);
      const found = all.length === 0 ? new Map() : await table.batchGet(all);
      const at = (key: Key | undefined) => (key ? found.get(itemKey(key)) : undefined);

      let questionnaire = cached;
      if (questionnaireKey) {
        questionnaire = recordOf<SurveyVersionRecord>(at(questionnaireKey));
        if (questionnaire) versions.remember(questionnaire);
      }
      const commitments = new Map<string, CommitmentRecord>();
      for (const key of commitmentKeys) {
        const record = recordOf<CommitmentRecord>(at(key));
        if (record) commitments.set(record.commitmentId, record);
      }
      return {
        reports: reportKeys.map((key) => recordOfItem<T>(at(key))),
        trend: trendKeys.map((key) => trendPointOfItem(at(key))),
        questionnaire,
        commitmentsReport: recordOf<CommitmentsReportRecord>(at(commitmentsReportKey)),
        commitments,
      };
    },

    async trendPointsOf(points) {
      const pointKeys = points.map((point) => keys.reportTrendPoint(point.surveyId, point.period, point.version, point.orgUnitId, point.panel));
      const found = await table.batchGet(pointKeys);
      return pointKeys.map((key) => trendPointOfItem(found.get(itemKey(key))));
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
