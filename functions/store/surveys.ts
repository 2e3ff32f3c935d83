/** Questionnaire versions (one item per version) and the catalogue of published questionnaire ids. */
import type { SurveyStore } from '../app/ports';
import type { SurveyVersionRecord } from '../domain/records';
import { keys } from './keys';
import { recordOf, type Table } from './table';

/** Versions kept in memory per container; more than any deployment publishes, and a bound on memory. */
const CACHED_VERSIONS = 256;

export function surveyItems(table: Table): SurveyStore {
  // A published version never changes (publishing other content under it is refused), so a version
  // once read is kept for the container's life: the respondent's page and submit read only the
  // invitation. A version not found is not remembered (it may be published next).
  const versions = new Map<string, SurveyVersionRecord>();
  const getSurveyVersion = async (surveyId: string, version: number) => {
    const key = `${surveyId}\u0000${version}`;
    const cached = versions.get(key);
    if (cached) return cached;
    const record = recordOf<SurveyVersionRecord>(await table.get(keys.surveyVersion(surveyId, version)));
    if (record) {
      if (versions.size >= CACHED_VERSIONS) versions.delete(versions.keys().next().value!);
      versions.set(key, record);
    }
    return record;
  };
  return {
    getSurveyVersion,

    async putSurveyVersionIfAbsent(record) {
      // The catalogue entry comes first and is idempotent: a crash after it leaves a catalogue entry
      // without a version (which the compute job skips), never a version the compute job cannot find.
      await table.put({ ...keys.surveyCatalogue(record.surveyId), entity: 'SurveyCatalogueEntry', surveyId: record.surveyId });
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
