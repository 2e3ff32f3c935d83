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

/**
 * A unit's accumulators up to this many characters of JSON stay in its item, as attributes; larger
 * ones (a PLS bootstrap sample grows with the unit's responses, about 87 KB per 1,000) are stored as
 * JSON text in parts of at most this many characters (at most 3 bytes each in UTF-8, so no item
 * passes 350 KB, under DynamoDB's 400 KB), named by the unit's item. Exported for the tests.
 */
export const CHECKPOINT_PART_CHARS = 100_000;

const partSk = (unitSk: string, part: number) => `${unitSk}#PART#${String(part).padStart(6, '0')}`;
/** Org unit ids hold no "#", so a part's key never looks like another unit's. */
const unitSkOfPart = (sk: string) => sk.slice(0, sk.lastIndexOf('#PART#'));

/** The unit's item, and its parts when its accumulators are too large for one item. */
function unitItems(key: { pk: string; sk: string }, unit: CheckpointUnit, partChars: number): Item[] {
  const json = JSON.stringify(unit.accumulators);
  if (json.length <= partChars) return [{ ...key, entity: 'CheckpointUnit', ...unit }];
  const { accumulators: _inParts, ...rest } = unit;
  const parts: Item[] = [];
  for (let start = 0; start < json.length; start += partChars) {
    parts.push({ pk: key.pk, sk: partSk(key.sk, parts.length), entity: 'CheckpointUnitPart', json: json.slice(start, start + partChars) });
  }
  return [{ ...key, entity: 'CheckpointUnit', ...rest, accumulatorParts: parts.length }, ...parts];
}

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

    async markReportsWritten(surveyId, period, reportsOf) {
      return table.writeIf({
        update: {
          Key: keys.checkpointMeta(surveyId, period),
          UpdateExpression: 'SET reportsOf = :reports',
          ConditionExpression: 'generationKey = :run',
          ExpressionAttributeValues: { ':reports': reportsOf, ':run': reportsOf.generationKey },
        },
      });
    },

    async checkpointRecent(surveyId, period, generation, generationKey) {
      const run = keys.checkpointGeneration(surveyId, period, generation, generationKey);
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': run.pk, ':prefix': run.recentSk(0).slice(0, -6) },
        ConsistentRead: true,
      });
      return items.flatMap((item) => item.recent as RecentResponse[]);
    },

    async putCheckpointUnits(surveyId, period, generation, generationKey, units, recent, recentPerItem = CHECKPOINT_RECENT_PER_ITEM, partChars = CHECKPOINT_PART_CHARS) {
      const run = keys.checkpointGeneration(surveyId, period, generation, generationKey);
      const chunks: Item[] = [];
      for (let start = 0; start < recent.length; start += recentPerItem) {
        chunks.push({ pk: run.pk, sk: run.recentSk(chunks.length), entity: 'CheckpointRecent', recent: recent.slice(start, start + recentPerItem) });
      }
      await table.batchPut([
        ...units.flatMap((unit) => unitItems(keys.checkpointUnit(surveyId, period, generation, generationKey, unit.version, unit.orgUnitId, unit.panel), unit, partChars)),
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
      const parts = new Map<string, string[]>(); // unit sk -> its parts, in key order
      for (const item of items) {
        if (item.entity === 'CheckpointUnitPart') {
          const unitSk = unitSkOfPart(String(item.sk));
          parts.set(unitSk, [...(parts.get(unitSk) ?? []), String(item.json)]);
        }
      }
      for (const item of items) {
        if (item.entity === 'CheckpointRecent') recentResponses.push(...(item.recent as RecentResponse[]));
        else if (item.entity === 'CheckpointUnit') {
          const { accumulatorParts, ...unit } = recordOf<CheckpointUnit & { accumulatorParts?: number }>(item)!;
          if (accumulatorParts === undefined) units.push(unit);
          else {
            const stored = parts.get(String(item.sk)) ?? [];
            // A unit whose parts are not all there is left out: the restore sees fewer units than
            // the META counts and recomputes in full, rather than reading half an accumulator.
            if (stored.length === accumulatorParts) units.push({ ...unit, accumulators: JSON.parse(stored.join('')) as Record<string, unknown> });
          }
        }
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
