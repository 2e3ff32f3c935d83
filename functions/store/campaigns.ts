/** Campaigns, the event types that trigger them, and the schedules of recurring and return-visit campaigns. */
import { InvalidCursorError, type CampaignStore } from '../app/ports';
import type { CampaignRecord, ScheduledCampaignRecord, TriggerRecord } from '../domain/records';
import { writeInvitations } from './invitations';
import { keys } from './keys';
import { encodeCursor, itemKey, parseCursor, recordOf, type Item, type Table } from './table';

/** Where each listed partition stands: the sort key of the last item handed out, or null when it is done. */
type ListPositions = Record<string, string | null>;

function decodePositions(cursor: string, partitions: readonly string[]): ListPositions {
  const positions = parseCursor(cursor);
  if (!positions || typeof positions !== 'object' || Array.isArray(positions)) throw new InvalidCursorError();
  const entries = Object.entries(positions as Record<string, unknown>);
  const valid = entries.length === partitions.length && entries.every(([pk, sk]) => partitions.includes(pk) && (sk === null || (typeof sk === 'string' && Buffer.byteLength(sk) <= 300)));
  if (!valid) throw new InvalidCursorError();
  return positions as ListPositions;
}

export function campaignItems(table: Table): CampaignStore {
  return {
    async createCampaign(campaign, invitations) {
      // Invitations first and the campaign last, so a campaign record never exists without all of
      // its invitations; a crash midway leaves only unreachable invitations behind. The list
      // entries too: one naming a campaign that does not exist is skipped when read.
      await writeInvitations(table, invitations);
      const lists = [keys.allCampaignsPartition, ...(campaign.listedUnder ?? []).map(keys.campaignsUnderPartition)];
      await table.batchPut(lists.map((partition) => ({ ...keys.campaignListed(partition, campaign.createdAt, campaign.campaignId), entity: 'CampaignListed', campaignId: campaign.campaignId })));
      if ((await table.putIfAbsent({ ...keys.campaign(campaign.campaignId), entity: 'Campaign', ...campaign })) === 'exists') {
        throw new Error(`campaign ${campaign.campaignId} exists already`);
      }
    },

    async claimTestSend(userId, day, limit, expiresAtEpochSeconds) {
      return table.countBelow(keys.testSends(userId, day), 'sends', limit, expiresAtEpochSeconds);
    },

    async releaseTestSend(userId, day) {
      await table.uncount(keys.testSends(userId, day), 'sends');
    },

    async testSendsOf(userId, day) {
      const item = await table.get(keys.testSends(userId, day), { consistent: true });
      return typeof item?.sends === 'number' ? item.sends : 0;
    },

    async getCampaign(campaignId) {
      return recordOf<CampaignRecord>(await table.get(keys.campaign(campaignId)));
    },

    async listCampaigns(under, limit, cursor) {
      // One list per partition, newest first, merged: each gives at most `limit`, the page takes the
      // newest `limit` of them, and the cursor says where each partition stands.
      const partitions = under === 'all' ? [keys.allCampaignsPartition] : [...new Set(under)].map(keys.campaignsUnderPartition);
      const positions: ListPositions = cursor ? decodePositions(cursor, partitions) : Object.fromEntries(partitions.map((pk) => [pk, '']));
      const fetched = await Promise.all(
        partitions.map(async (pk) => {
          const position = positions[pk];
          if (position === null) return { pk, items: [] as Item[], more: false };
          const { items, lastKey } = await table.queryPage({
            KeyConditionExpression: position ? 'pk = :pk AND sk < :position' : 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk, ...(position ? { ':position': position } : {}) },
            ScanIndexForward: false,
            Limit: limit,
          });
          return { pk, items, more: lastKey !== undefined };
        }),
      );
      const merged = fetched.flatMap(({ pk, items }) => items.map((item) => ({ pk, sk: String(item.sk), campaignId: String(item.campaignId) })));
      merged.sort((a, b) => b.sk.localeCompare(a.sk));
      const taken = merged.slice(0, limit);
      const next: ListPositions = {};
      for (const { pk, items, more } of fetched) {
        const last = taken.filter((entry) => entry.pk === pk).at(-1);
        const position = positions[pk] ?? null;
        const done = position === null || (!more && taken.filter((entry) => entry.pk === pk).length === items.length);
        next[pk] = done ? null : (last?.sk ?? position);
      }
      const ids = [...new Set(taken.map((entry) => entry.campaignId))];
      // Consistent: a campaign created a moment ago is not skipped while the cursor moves past it.
      const found = await table.batchGet(ids.map((id) => keys.campaign(id)), { consistent: true });
      const items = ids.flatMap((id) => {
        const record = recordOf<CampaignRecord>(found.get(itemKey(keys.campaign(id))));
        return record ? [record] : [];
      });
      return { items, ...(Object.values(next).some((position) => position !== null) ? { cursor: encodeCursor(next) } : {}) };
    },

    async putTrigger(trigger) {
      await table.put({ ...keys.trigger(trigger.eventType, trigger.campaignId), entity: 'Trigger', ...trigger });
    },

    async triggersOf(eventType) {
      const items = await table.itemsOf(keys.triggersOf(eventType));
      return items.map((item) => recordOf<TriggerRecord>(item) as TriggerRecord);
    },

    async putScheduledCampaign(record) {
      await table.put({ ...keys.scheduledCampaign(record.campaignId), entity: 'ScheduledCampaign', ...record });
    },

    async scheduledCampaigns() {
      const items = await table.itemsOf(keys.scheduledCampaignsPartition);
      return items.map((item) => recordOf<ScheduledCampaignRecord>(item) as ScheduledCampaignRecord);
    },

    async advanceScheduledCampaign(campaignId, seenNextRunAt, nextRunAt, lastRunAt) {
      return table.writeIf({
        update: {
          Key: keys.scheduledCampaign(campaignId),
          UpdateExpression: 'SET nextRunAt = :next, lastRunAt = :last',
          ConditionExpression: 'nextRunAt = :seen',
          ExpressionAttributeValues: { ':next': nextRunAt, ':last': lastRunAt, ':seen': seenNextRunAt },
        },
      });
    },
  };
}
