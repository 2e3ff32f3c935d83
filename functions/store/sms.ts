/**
 * Sending: one attempt record per invitation, action and attempt (the at-most-once guard around
 * the provider call), per-campaign rate buckets, the reply targets of two-way SMS, the daily
 * help-reply marker, and the SMS log (one partition per day; items expire by TTL on AWS).
 */
import type { SmsStore } from '../app/ports';
import type { SendAttemptRecord, SmsLogEntry } from '../domain/records';
import { keys } from './keys';
import { recordOf, type Table } from './table';

export function smsItems(table: Table): SmsStore {
  return {
    async beginSendAttempt(record) {
      const key = keys.sendAttempt(record.invitationId, record.action, record.attempt);
      if ((await table.putIfAbsent({ ...key, entity: 'SendAttempt', ...record })) === 'created') return undefined;
      return recordOf<SendAttemptRecord>(await table.get(key, { consistent: true }));
    },

    async finishSendAttempt(record) {
      await table.put({ ...keys.sendAttempt(record.invitationId, record.action, record.attempt), entity: 'SendAttempt', ...record });
    },

    async takeRateToken(campaignId, minute, limit, ttlEpochSeconds) {
      return table.countBelow(keys.rateBucket(campaignId, minute), 'sent', limit, ttlEpochSeconds);
    },

    async putSmsReplyTarget(phone, sentAt, invitation, ttlEpochSeconds) {
      const fields = await table.fields();
      await table.put({
        ...keys.smsReplyTarget(fields.lookup(phone), sentAt, invitation.invitationId),
        entity: 'SmsReplyTarget',
        token: invitation.token,
        invitationId: invitation.invitationId,
        ttl: ttlEpochSeconds,
      });
    },

    async latestSmsReplyTarget(phone) {
      // The current form of the number first; a target sent before encryption was turned on is in clear.
      for (const form of (await table.fields()).lookups(phone)) {
        const { items } = await table.queryPage({
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.smsReplyPartition(form) },
          ScanIndexForward: false,
          Limit: 1,
        });
        const item = items[0];
        if (item) return { token: String(item.token), invitationId: String(item.invitationId) };
      }
      return undefined;
    },

    async claimHelpReply(phone, day) {
      const fields = await table.fields();
      return (await table.putIfAbsent({ ...keys.helpReply(fields.lookup(phone), day), entity: 'Marker' })) === 'created';
    },

    async logSms(entry, ttlEpochSeconds) {
      await table.put({ ...keys.smsLog(entry.at.slice(0, 10), entry.at, entry.id), entity: 'SmsLog', ...entry, ttl: ttlEpochSeconds });
    },

    async smsLogOf(day) {
      return (await table.itemsOf(keys.smsLogPartition(day))).map((item) => recordOf<SmsLogEntry>(item) as SmsLogEntry);
    },

    async purgeSmsLog(day, nowEpochSeconds) {
      const items = await table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.smsLogPartition(day) },
        ProjectionExpression: 'pk, sk, #ttl', ExpressionAttributeNames: { '#ttl': 'ttl' },
      });
      const expired = items.filter((item) => typeof item.ttl === 'number' && item.ttl <= nowEpochSeconds);
      await table.batchDelete(expired.map((item) => ({ pk: item.pk, sk: item.sk })));
      return expired.length;
    },
  };
}
