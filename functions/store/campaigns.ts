/** Campaigns, the event types that trigger them, and the schedules of recurring and return-visit campaigns. */
import type { CampaignStore } from '../app/ports';
import type { CampaignRecord, ScheduledCampaignRecord, TriggerRecord } from '../domain/records';
import { writeInvitations } from './invitations';
import { keys } from './keys';
import { recordOf, type Table } from './table';

export function campaignItems(table: Table): CampaignStore {
  return {
    async createCampaign(campaign, invitations) {
      // Invitations first and the campaign last, so a campaign record never exists without all of
      // its invitations; a crash midway leaves only unreachable invitations behind.
      await writeInvitations(table, invitations);
      if ((await table.putIfAbsent({ ...keys.campaign(campaign.campaignId), entity: 'Campaign', ...campaign })) === 'exists') {
        throw new Error(`campaign ${campaign.campaignId} exists already`);
      }
    },

    async getCampaign(campaignId) {
      return recordOf<CampaignRecord>(await table.get(keys.campaign(campaignId)));
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
