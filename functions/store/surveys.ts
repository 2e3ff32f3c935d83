/**
 * Questionnaire versions (one item per version), a questionnaire's draft beside them, and the
 * catalogue of questionnaire ids (with the archive mark).
 */
import type { SurveyStore } from '../app/ports';
import type { SurveyCatalogueEntry, SurveyDraftRecord, SurveyVersionRecord } from '../domain/records';
import { keys } from './keys';
import { decodeCursor, encodeCursor, recordOf, type Table } from './table';

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

    async listSurveyCatalogue(limit, cursor) {
      const start = cursor ? decodeCursor(cursor, (key) => key.pk === keys.surveyCataloguePartition && Object.keys(key).length === 2 && typeof key.sk === 'string') : undefined;
      const { items, lastKey } = await table.queryPage(
        { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.surveyCataloguePartition }, Limit: limit, ConsistentRead: true },
        start,
      );
      return {
        items: items.map((item) => ({ surveyId: String(item.surveyId), ...(typeof item.archivedAt === 'string' ? { archivedAt: item.archivedAt } : {}) }) satisfies SurveyCatalogueEntry),
        ...(lastKey ? { cursor: encodeCursor({ pk: lastKey.pk, sk: lastKey.sk }) } : {}),
      };
    },

    async getSurveyCatalogueEntry(surveyId) {
      const item = await table.get(keys.surveyCatalogue(surveyId));
      return item ? { surveyId, ...(typeof item.archivedAt === 'string' ? { archivedAt: item.archivedAt } : {}) } : undefined;
    },

    async ensureSurveyCatalogueEntry(surveyId) {
      await table.putIfAbsent({ ...keys.surveyCatalogue(surveyId), entity: 'SurveyCatalogueEntry', surveyId });
    },

    async setSurveyArchived(surveyId, archivedAt) {
      return table.writeIf({
        update: {
          Key: keys.surveyCatalogue(surveyId),
          UpdateExpression: archivedAt ? 'SET archivedAt = :at' : 'REMOVE archivedAt',
          ConditionExpression: 'attribute_exists(pk)',
          ...(archivedAt ? { ExpressionAttributeValues: { ':at': archivedAt } } : {}),
        },
      });
    },

    async listSurveyVersions(surveyId) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.surveyVersionsPartition(surveyId), ':prefix': keys.surveyVersionPrefix },
        // The definitions stay where they are: a list needs the number, the date and the title.
        ProjectionExpression: '#version, publishedAt, #definition.title',
        ExpressionAttributeNames: { '#version': 'version', '#definition': 'definition' },
      });
      return items.map((item) => ({
        version: Number(item.version),
        publishedAt: String(item.publishedAt),
        title: ((item.definition as { title?: Record<string, string> } | undefined)?.title ?? {}) as Record<string, string>,
      }));
    },

    async getSurveyDraft(surveyId) {
      return recordOf<SurveyDraftRecord>(await table.get(keys.surveyDraft(surveyId), { consistent: true }));
    },

    async putSurveyDraft(draft, baseRevision) {
      const item = { ...keys.surveyDraft(draft.surveyId), entity: 'SurveyDraft', ...draft };
      if (baseRevision === undefined) {
        await table.put(item);
        return true;
      }
      return table.writeIf({
        put: {
          Item: item,
          ...(baseRevision === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'revision = :base', ExpressionAttributeValues: { ':base': baseRevision } }),
        },
      });
    },

    async deleteSurveyDraft(surveyId, revision) {
      return table.deleteIf(keys.surveyDraft(surveyId), { ConditionExpression: 'revision = :revision', ExpressionAttributeValues: { ':revision': revision } });
    },
  };
}
