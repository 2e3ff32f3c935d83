/** Questionnaire versions (one item per version) and the catalogue of published questionnaire ids. */
import type { SurveyStore } from '../app/ports';
import type { SurveyVersionRecord } from '../domain/records';
import { keys } from './keys';
import { recordOf, type Table } from './table';

/** Versions kept in memory per container; more than any deployment publishes, and a bound on memory. */
const CACHED_VERSIONS = 256;

/**
 * Questionnaire versions once read, for the container's life: a published version never changes
 * (publishing other content under it is refused). A version not found is not remembered (it may be
 * published next). Shared by the modules that read versions (the survey items, the report's batch).
 */
export class SurveyVersionCache {
  private readonly versions = new Map<string, SurveyVersionRecord>();

  get(surveyId: string, version: number): SurveyVersionRecord | undefined {
    return this.versions.get(`${surveyId}\u0000${version}`);
  }

  remember(record: SurveyVersionRecord): void {
    if (this.versions.size >= CACHED_VERSIONS) this.versions.delete(this.versions.keys().next().value!);
    this.versions.set(`${record.surveyId}\u0000${record.version}`, record);
  }
}

export function surveyItems(table: Table, versions = new SurveyVersionCache()): SurveyStore {
  // The respondent's page and submit read only the invitation once its version is in memory.
  const getSurveyVersion = async (surveyId: string, version: number) => {
    const cached = versions.get(surveyId, version);
    if (cached) return cached;
    const record = recordOf<SurveyVersionRecord>(await table.get(keys.surveyVersion(surveyId, version)));
    if (record) versions.remember(record);
    return record;
  };
  return {
    getSurveyVersion,

    async putSurveyVersionIfAbsent(record) {
      // The catalogue entry comes first and is idempotent: a crash after it leaves a catalogue entry
      // without a version (which the compute job skips), never a version the compute job cannot find.
      // Written only if absent: a republication (or a refused one) leaves the table as it was.
      await table.putIfAbsent({ ...keys.surveyCatalogue(record.surveyId), entity: 'SurveyCatalogueEntry', surveyId: record.surveyId });
      const outcome = await table.putIfAbsent({ ...keys.surveyVersion(record.surveyId, record.version), entity: 'SurveyVersion', ...record });
      if (outcome === 'created') return undefined;
      const existing = await getSurveyVersion(record.surveyId, record.version);
      if (!existing) throw new Error(`survey version ${record.surveyId} v${record.version} exists but could not be read`);
      return existing;
    },

    async getLatestSurveyVersion(surveyId) {
      const { items } = await table.queryPage({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.surveyVersionsPartition(surveyId), ':prefix': keys.surveyVersionPrefix },
        ScanIndexForward: false,
        Limit: 1,
      });
      return recordOf<SurveyVersionRecord>(items[0]);
    },

    async listSurveyIds() {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.surveyCataloguePartition },
        ProjectionExpression: 'surveyId',
      });
      return items.map((item) => String(item.surveyId));
    },
  };
}
