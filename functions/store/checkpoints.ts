/**
 * The computation's checkpoints (keys.checkpointMeta and keys.checkpointGeneration say the
 * layout): the META item is the commit point, each run's items live under their own run key.
 */
import type { CheckpointStore } from '../app/ports';
import type { CheckpointMeta, CheckpointUnit, RecentResponse } from '../domain/records';
import { keys } from './keys';
import { recordOf, type Item, type Table } from './table';

/**
 * Recent responses per checkpoint item. They are items of the run rather than a list in the META
 * item, which has to stay far below DynamoDB's 400 KB: a burst of thousands of responses within
 * the overlap window would not fit there. An entry takes about 100 bytes, so a chunk about 100 KB.
 */
export const CHECKPOINT_RECENT_PER_ITEM = 1000;

export function checkpointItems(table: Table): CheckpointStore {
  return {
    async getCheckpointMeta(surveyId, period) {
      return recordOf<CheckpointMeta>(await table.get(keys.checkpointMeta(surveyId, period), { consistent: true }));
    },

    async commitCheckpointMeta(surveyId, period, meta, previousGeneration) {
      return table.writeIf({
        put: {
          Item: { ...keys.checkpointMeta(surveyId, period), entity: 'CheckpointMeta', ...meta },
          ConditionExpression: previousGeneration === undefined ? 'attribute_not_exists(pk)' : 'generation = :previous',
          ...(previousGeneration === undefined ? {} : { ExpressionAttributeValues: { ':previous': previousGeneration } }),
        },
      });
    },

    async markReportsWritten(surveyId, period, generationKey, treeSignature) {
      return table.writeIf({
        update: {
          Key: keys.checkpointMeta(surveyId, period),
          UpdateExpression: 'SET reportsOf = :reports',
          ConditionExpression: 'generationKey = :run',
          ExpressionAttributeValues: { ':reports': { generationKey, treeSignature }, ':run': generationKey },
        },
      });
    },

    async putCheckpointUnits(surveyId, period, generation, generationKey, units, recent, recentPerItem = CHECKPOINT_RECENT_PER_ITEM) {
      const run = keys.checkpointGeneration(surveyId, period, generation, generationKey);
      const chunks: Item[] = [];
      for (let start = 0; start < recent.length; start += recentPerItem) {
        chunks.push({ pk: run.pk, sk: run.recentSk(chunks.length), entity: 'CheckpointRecent', recent: recent.slice(start, start + recentPerItem) });
      }
      await table.batchPut([
        ...units.map((unit) => ({
          ...keys.checkpointUnit(surveyId, period, generation, generationKey, unit.version, unit.orgUnitId, unit.panel),
          entity: 'CheckpointUnit',
          ...unit,
        })),
        ...chunks,
      ]);
    },

    // Read strongly consistent: the run's items were written just before the META that names them.
    async checkpointUnits(surveyId, period, generation, generationKey) {
      const run = keys.checkpointGeneration(surveyId, period, generation, generationKey);
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': run.pk, ':prefix': run.skPrefix },
        ConsistentRead: true,
      });
      const units: CheckpointUnit[] = [];
      const recentResponses: RecentResponse[] = [];
      for (const item of items) {
        if (item.entity === 'CheckpointRecent') recentResponses.push(...(item.recent as RecentResponse[]));
        else units.push(recordOf<CheckpointUnit>(item) as CheckpointUnit);
      }
      return { units, recent: recentResponses };
    },

    // A run that lost the commit deletes its own items; once a later generation is committed, the
    // whole partition of an earlier one (previous checkpoint, losers, crashed runs) is garbage.
    async deleteCheckpointGeneration(surveyId, period, generation, generationKey) {
      const run = keys.checkpointGeneration(surveyId, period, generation, generationKey);
      const items = await table.queryAll({
        ...(generationKey === undefined
          ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': run.pk } }
          : { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': run.pk, ':prefix': run.skPrefix } }),
        ProjectionExpression: 'pk, sk',
      });
      await table.batchDelete(items.map((item) => ({ pk: item.pk, sk: item.sk })));
    },
  };
}
