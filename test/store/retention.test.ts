/**
 * The retention module (functions/store/retention.ts) against dynalite and DynamoDB Local: cursors,
 * the sharded activity index written by imports and invitations, audit days purged by each record's
 * own TTL, free text expired for the named text questions only and never twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactRecord, ResponseRecord } from '../../functions/domain/records';
import type { DynamoStore } from '../../functions/store/dynamo-store';
import { keys } from '../../functions/store/keys';
import type { Table } from '../../functions/store/table';
import { connectTestStore } from '../helpers/dynamodb-backend';

let store: DynamoStore;
let table: Table;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ store, table, close } = await connectTestStore('retention-test'));
});
afterAll(async () => close?.());

const contact = (id: string, updatedAt: string): ContactRecord => ({
  contactId: id,
  phone: `+86138000008${id.slice(-2)}`,
  orgUnitId: 'u1',
  timeZone: 'Asia/Shanghai',
  attributes: {},
  fingerprint: 'f',
  createdAt: updatedAt,
  updatedAt,
});

describe('the retention module', () => {
  it('keeps a cursor per kind', async () => {
    expect(await store.retentionCursor('audit')).toBeUndefined();
    await store.setRetentionCursor('audit', '2026-11-09');
    await store.setRetentionCursor('audit', '2026-11-10');
    expect(await store.retentionCursor('audit')).toBe('2026-11-10');
  });

  it('indexes contacts by the month of their last change and of their invitations, over every shard', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `ct_${String(i).padStart(2, '0')}`);
    for (const id of ids) await store.putContact(contact(id, '2026-11-05T00:00:00.000Z'));
    expect(await store.contactsActiveIn('2026-11')).toEqual(ids);
    expect(await store.claimFrequencySlot('ct_00', 'inv_1', '2027-02-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).toBe(true);
    expect(await store.contactsActiveIn('2027-02')).toEqual(['ct_00']);
    await store.putContactActivity('ct_01', '2027-03-01T00:00:00.000Z');
    expect(await store.contactsActiveIn('2027-03')).toEqual(['ct_01']);
    await store.forgetContactActivity('2026-11', ids);
    expect(await store.contactsActiveIn('2026-11')).toEqual([]);
  });

  it('purges an audit day by each record\'s own TTL', async () => {
    const record = (id: string, ttl: number) => ({ ...keys.audit('2026-11-10', `2026-11-10T01:00:0${id}Z`, id), entity: 'Audit', auditId: id, ttl });
    await table.batchPut([record('1', 1000), record('2', 2000)]);
    expect(await store.purgeAuditDay('2026-11-10', 1500)).toBe(1);
    expect((await table.itemsOf(keys.auditPartition('2026-11-10'))).map((item) => item.auditId)).toEqual(['2']);
  });

  it('expires the text answers named, once, in responses of both layouts', async () => {
    const response = (id: string): ResponseRecord => ({
      responseId: `rsp_${id}`,
      invitationId: id,
      campaignId: 'c',
      surveyId: 's1',
      version: 1,
      orgUnitId: 'u1',
      period: '2026-11',
      submittedAt: `2026-11-10T03:00:0${id.slice(-1)}.000Z`,
      lang: 'zh-CN',
      answers: { q1: 4, channel: 'counter', comment: '很好' },
    });
    await store.putResponseOnce('tok_1', response('inv_1'));
    await table.put({ ...keys.legacyResponse('inv_2'), ...keys.responseBySurveyPeriod('s1', '2026-11', response('inv_2').submittedAt, 'inv_2'), entity: 'Response', ...response('inv_2') });
    expect(await store.expireFreeText('s1', '2026-11', ['comment'], '[expired]', '2029-01-01T00:00:00.000Z')).toBe(2);
    expect((await store.getResponse('tok_1'))?.answers).toEqual({ q1: 4, channel: 'counter', comment: '[expired]' });
    expect((await table.get(keys.legacyResponse('inv_2'), { consistent: true }))?.answers).toEqual({ q1: 4, channel: 'counter', comment: '[expired]' });
    expect(await store.expireFreeText('s1', '2026-11', ['comment'], '[expired]', '2029-01-02T00:00:00.000Z')).toBe(0);
    expect(await store.expireFreeText('s1', '2026-11', [], '[expired]', '2029-01-02T00:00:00.000Z')).toBe(0);
  });
});
