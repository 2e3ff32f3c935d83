/**
 * The computation's checkpoints (keys.checkpointMeta, keys.checkpointGeneration and
 * keys.checkpointBase say the layout): the META item is the commit point; each run's items (its
 * layer of changed units and the responses it counted near the read-through instant) live under
 * its own run key; the base holds one item per unit with its subtree's accumulators.
 *
 * A unit's accumulators are stored packed (./packed.ts: typed arrays, deflated) as one binary
 * attribute, split into parts when they pass CHECKPOINT_PART_BYTES.
 */
import type { CheckpointStore } from '../app/ports';
import type { CheckpointMeta, CheckpointUnit, RecentResponse } from '../domain/records';
import { keys } from './keys';
import { packValue, unpackValue } from './packed';
import { recordOf, type Item, type Key, type Table } from './table';

/**
 * Recent responses per checkpoint item. They are items of the run rather than a list in the META
 * item, which has to stay far below DynamoDB's 400 KB: a burst of thousands of responses within
 * the overlap window would not fit there. An entry takes about 100 bytes, so a chunk about 100 KB.
 */
export const CHECKPOINT_RECENT_PER_ITEM = 1000;

/**
 * A unit's packed accumulators up to this many bytes stay in its item; larger ones are stored in
 * parts of at most this many bytes under the unit's item, so no item passes 350 KB (DynamoDB's
 * limit is 400 KB). Packed, the shipped bank questionnaire's unit takes about 24 KB however many
 * responses it holds (the PLS bootstrap sample is bounded); a questionnaire of hundreds of questions
 * is what reaches parts. Exported for the tests.
 */
export const CHECKPOINT_PART_BYTES = 300_000;

const partSk = (unitSk: string, tag: string, part: number) => `${unitSk}#PART#${tag}${String(part).padStart(6, '0')}`;
const partsPrefix = (unitSk: string, tag: string) => `${unitSk}#PART#${tag}`;
/** Base parts are tagged with their generation, so a newer item's parts never overwrite an older item's. */
const baseTag = (generation: number) => `${String(generation).padStart(9, '0')}#`;

type StoredUnit = Omit<CheckpointUnit, 'accumulators' | 'children'> & { data?: Uint8Array; parts?: number };

/** The unit's item (and its parts when its packed accumulators are too large for one item). */
function unitItems(key: Key, unit: CheckpointUnit, tag: string, partBytes: number): Item[] {
  const { accumulators, children, ...fields } = unit;
  const data = packValue({ accumulators, children });
  if (data.length <= partBytes) return [{ ...key, entity: 'CheckpointUnit', ...fields, data }];
  const parts: Item[] = [];
  for (let start = 0; start < data.length; start += partBytes) {
    parts.push({ pk: key.pk, sk: partSk(key.sk, tag, parts.length), entity: 'CheckpointUnitPart', data: data.subarray(start, start + partBytes) });
  }
  return [...parts, { ...key, entity: 'CheckpointUnit', ...fields, parts: parts.length }];
}

/** A unit from its item and its parts' bytes in order; undefined when a part is missing. */
function unitOf(item: Item, parts: readonly Uint8Array[] | undefined): CheckpointUnit | undefined {
  const { data, parts: partCount, ...fields } = recordOf<StoredUnit>(item)!;
  let bytes = data;
  if (partCount !== undefined) {
    // A unit whose parts are not all there is left out: the caller sees fewer units than it
    // expects and recomputes, rather than reading half an accumulator.
    if (!parts || parts.length !== partCount) return undefined;
    bytes = Buffer.concat(parts);
  }
  if (!bytes) return undefined;
  const { accumulators, children } = unpackValue(bytes) as Pick<CheckpointUnit, 'accumulators' | 'children'>;
  return { ...fields, accumulators, ...(children ? { children } : {}) };
}

export function checkpointItems(table: Table, partBytes = CHECKPOINT_PART_BYTES): CheckpointStore {
  /** The units of items read together with their parts (one partition, one tag per unit sk). */
  const unitsOfItems = (items: readonly Item[], tagOf: (item: Item) => string): { units: CheckpointUnit[]; incomplete: number } => {
    const parts = new Map<string, Uint8Array[]>(); // part key prefix -> parts in key order
    for (const item of items) {
      if (item.entity !== 'CheckpointUnitPart') continue;
      const sk = String(item.sk);
      const prefix = sk.slice(0, -6);
      parts.set(prefix, [...(parts.get(prefix) ?? []), item.data as Uint8Array]);
    }
    const units: CheckpointUnit[] = [];
    let incomplete = 0;
    for (const item of items) {
      if (item.entity !== 'CheckpointUnit') continue;
      const unit = unitOf(item, parts.get(partsPrefix(String(item.sk), tagOf(item))));
      if (unit) units.push(unit);
      else incomplete += 1;
    }
    return { units, incomplete };
  };

  /** Base items read by key, with their parts (a query per unit in parts: rare). */
  const withParts = async (pk: string, items: readonly Item[]): Promise<{ units: CheckpointUnit[]; incomplete: number }> => {
    const units: CheckpointUnit[] = [];
    let incomplete = 0;
    for (const item of items) {
      let parts: Uint8Array[] | undefined;
      if (item.parts !== undefined) {
        const found = await table.queryAll({
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': partsPrefix(String(item.sk), baseTag(Number(item.generation))) },
          ConsistentRead: true,
        });
        parts = found.map((part) => part.data as Uint8Array);
      }
      const unit = unitOf(item, parts);
      if (unit) units.push(unit);
      else incomplete += 1;
    }
    return { units, incomplete };
  };

  /** An update of the META that holds only while `generationKey` is the committed run (false otherwise). */
  const updateIfRun = (surveyId: string, period: string, generationKey: string, UpdateExpression: string, values: Record<string, unknown> = {}) =>
    table.writeIf({
      update: {
        Key: keys.checkpointMeta(surveyId, period),
        UpdateExpression,
        ConditionExpression: 'generationKey = :run',
        ExpressionAttributeValues: { ...values, ':run': generationKey },
      },
    });

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
      return updateIfRun(surveyId, period, reportsOf.generationKey, 'SET reportsOf = :reports', { ':reports': reportsOf });
    },

    async markApplied(surveyId, period, generationKey) {
      return updateIfRun(surveyId, period, generationKey, 'REMOVE pending');
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

    async putCheckpointUnits(surveyId, period, generation, generationKey, units, recent, recentPerItem = CHECKPOINT_RECENT_PER_ITEM) {
      const run = keys.checkpointGeneration(surveyId, period, generation, generationKey);
      const chunks: Item[] = [];
      for (let start = 0; start < recent.length; start += recentPerItem) {
        chunks.push({ pk: run.pk, sk: run.recentSk(chunks.length), entity: 'CheckpointRecent', recent: recent.slice(start, start + recentPerItem) });
      }
      await table.batchPut([
        ...units.flatMap((unit) => unitItems(keys.checkpointUnit(surveyId, period, generation, generationKey, unit.version, unit.orgUnitId, unit.panel), unit, '', partBytes)),
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
      const recent = items.filter((item) => item.entity === 'CheckpointRecent').flatMap((item) => item.recent as RecentResponse[]);
      return { units: unitsOfItems(items, () => '').units, recent };
    },

    async putBaseUnits(surveyId, period, base, units) {
      const partition = keys.checkpointBase(surveyId, period, base);
      await table.batchPut(
        units.flatMap((unit) => unitItems({ pk: partition.pk, sk: partition.unitSk(unit.version, unit.orgUnitId, unit.panel) }, unit, baseTag(unit.generation ?? 0), partBytes)),
      );
    },

    // One conditional put per unit: an item is only ever replaced by one of its own generation (the
    // same layer applied again) or a newer one, so a run finishing an older layer late can never
    // overwrite what a newer run wrote.
    async applyToBase(surveyId, period, base, units) {
      const partition = keys.checkpointBase(surveyId, period, base);
      for (const unit of units) {
        const generation = unit.generation ?? 0;
        const items = unitItems({ pk: partition.pk, sk: partition.unitSk(unit.version, unit.orgUnitId, unit.panel) }, unit, baseTag(generation), partBytes);
        const item = items.at(-1)!;
        const parts = items.slice(0, -1);
        if (parts.length > 0) await table.batchPut(parts); // before the item that names them
        const written = await table.writeIf({
          put: { Item: item, ConditionExpression: 'attribute_not_exists(pk) OR generation <= :generation', ExpressionAttributeValues: { ':generation': generation } },
        });
        // Parts that no item names any more: ours if a newer item stands, else those of the items ours replaced.
        const stale = written
          ? (
              await table.queryAll({
                KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
                ExpressionAttributeValues: { ':pk': partition.pk, ':prefix': `${String(item.sk)}#PART#` },
                ProjectionExpression: 'pk, sk',
              })
            ).filter((part) => !String(part.sk).startsWith(partsPrefix(String(item.sk), baseTag(generation))))
          : parts;
        await table.batchDelete(stale.map((part) => ({ pk: part.pk, sk: part.sk })));
      }
    },

    async baseUnitsOf(surveyId, period, base, version, panel, orgUnitIds) {
      const partition = keys.checkpointBase(surveyId, period, base);
      const items = await table.batchGet(
        orgUnitIds.map((id) => ({ pk: partition.pk, sk: partition.unitSk(version, id, panel) })),
        { consistent: true },
      );
      return withParts(partition.pk, [...items.values()]);
    },

    async allBaseUnits(surveyId, period, base, version, panel) {
      const partition = keys.checkpointBase(surveyId, period, base);
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partition.pk, ':prefix': partition.statePrefix(version, panel) },
        ConsistentRead: true,
      });
      // A state's prefix also begins the keys of its parts (same partition): read together.
      return unitsOfItems(items, (item) => baseTag(Number(item.generation)));
    },

    async deleteCheckpointBase(surveyId, period, base) {
      const partition = keys.checkpointBase(surveyId, period, base);
      const items = await table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partition.pk }, ProjectionExpression: 'pk, sk' });
      await table.batchDelete(items.map((item) => ({ pk: item.pk, sk: item.sk })));
      await table.writeIf({
        update: {
          Key: keys.checkpointMeta(surveyId, period),
          UpdateExpression: 'REMOVE staleBase',
          ConditionExpression: 'staleBase = :base',
          ExpressionAttributeValues: { ':base': base },
        },
      });
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
