/**
 * What the retention purge (functions/app/retention.ts) reads and writes: its cursors, the
 * contacts' activity index, expired audit days, and the free text of old responses. Every step
 * can be repeated: a cursor moves only after its day or month is done, so a crash costs a redo.
 */
import type { RetentionStore } from '../app/ports';
import { ACTIVITY_SHARDS, activityShard, contactActivityItem, keys } from './keys';
import type { Table } from './table';

export function retentionItems(table: Table): RetentionStore {
  return {
    async retentionCursor(name) {
      const item = await table.get(keys.retentionCursor(name), { consistent: true });
      return typeof item?.value === 'string' ? item.value : undefined;
    },

    async setRetentionCursor(name, value) {
      await table.put({ ...keys.retentionCursor(name), entity: 'RetentionCursor', value });
    },

    async contactsActiveIn(month) {
      const ids: string[] = [];
      for (let shard = 0; shard < ACTIVITY_SHARDS; shard++) {
        for (const item of await table.itemsOf(keys.contactActivityPartition(month, shard))) ids.push(String(item.contactId));
      }
      return ids.sort();
    },

    async forgetContactActivity(month, contactIds) {
      await table.batchDelete(contactIds.map((contactId) => keys.contactActivity(month, activityShard(contactId), contactId)));
    },

    async purgeAuditDay(day, nowEpochSeconds) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditPartition(day) },
        ProjectionExpression: 'pk, sk, #ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
      });
      // By each record's own TTL: a longer retention configured since keeps what it now covers.
      const expired = items.filter((item) => typeof item.ttl === 'number' && item.ttl <= nowEpochSeconds);
      await table.batchDelete(expired.map((item) => ({ pk: item.pk, sk: item.sk })));
      return expired.length;
    },

    async putContactActivity(contactId, at) {
      await table.put(contactActivityItem(contactId, at));
    },

    async expireFreeText(surveyId, period, textQuestionIds, mark, expiredAt) {
      if (textQuestionIds.length === 0) return 0;
      let expired = 0;
      const pages = table.queryPages({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.responsesOfSurveyPeriod(surveyId, period) },
      });
      for await (const page of pages) {
        for (const item of page) {
          const answers = (item.answers ?? {}) as Record<string, unknown>;
          const texts = textQuestionIds.filter((id) => typeof answers[id] === 'string' && answers[id] !== mark);
          if (texts.length === 0) continue;
          const names: Record<string, string> = { '#answers': 'answers' };
          const values: Record<string, unknown> = { ':mark': mark, ':at': expiredAt };
          texts.forEach((id, i) => (names[`#q${i}`] = id));
          await table.update({
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: `SET ${texts.map((_, i) => `#answers.#q${i} = :mark`).join(', ')}, textExpiredAt = :at`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          });
          expired += 1;
        }
      }
      return expired;
    },
  };
}

