/**
 * The privacy module (functions/store/privacy.ts) against dynalite and DynamoDB Local: the person
 * index written before a contact and an invitation ref before an invitation; a pending
 * invitation's erasure conditional on its still being pending (and leaving the work index); an
 * identity claim deleted only where it names the erased contact; the way an erasure came by
 * removed after the contact; redaction of a response stored before responses moved into their
 * invitation's partition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactRecord, InvitationRecord, ResponseRecord } from '../../functions/domain/records';
import type { DynamoStore } from '../../functions/store/dynamo-store';
import { keys } from '../../functions/store/keys';
import type { Table } from '../../functions/store/table';
import { connectTestStore } from '../helpers/dynamodb-backend';

let store: DynamoStore;
let table: Table;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ store, table, close } = await connectTestStore('privacy-test'));
});
afterAll(async () => close?.());

const contact = (id: string, extra: Partial<ContactRecord> = {}): ContactRecord => ({
  contactId: id,
  name: '王小明',
  phone: '+8613800000601',
  email: 'wang@example.com',
  orgUnitId: 'u1',
  timeZone: 'Asia/Shanghai',
  attributes: {},
  fingerprint: 'f',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...extra,
});

const invitation = (id: string, contactId: string, extra: Partial<InvitationRecord> = {}): InvitationRecord => ({
  invitationId: id,
  token: `tok_${id}`,
  campaignId: 'cmp_privacy',
  surveyId: 's1',
  version: 1,
  orgUnitId: 'u1',
  contact: { name: '王小明', phone: '+8613800000601' },
  contactId,
  createdAt: '2026-11-10T00:00:00.000Z',
  expiresAt: '2026-12-10T00:00:00.000Z',
  channel: 'sms',
  status: 'pending',
  nextAction: 'invite',
  dueAt: '2026-11-10T01:00:00.000Z',
  ...extra,
});

describe('the privacy module', () => {
  it('finds a contact by phone and e-mail whatever its identity kind, and its invitations by ref', async () => {
    await store.claimContactIdentity('externalId', 'CRM-1', 'ct_a');
    await store.putContact(contact('ct_a', { externalId: 'CRM-1' }));
    await store.putInvitations([invitation('inv_a1', 'ct_a'), invitation('inv_a2', 'ct_a', { status: 'sent', sentAt: '2026-11-10T01:00:00.000Z' })]);
    expect(await store.contactIdsOfPerson('phone', '+8613800000601')).toEqual(['ct_a']);
    expect(await store.contactIdsOfPerson('email', 'wang@example.com')).toEqual(['ct_a']);
    expect((await store.invitationTokensOfContact('ct_a')).sort()).toEqual(['tok_inv_a1', 'tok_inv_a2']);
  });

  it('erases a pending invitation only while it is pending, and takes it out of the work index', async () => {
    expect((await store.dueInvitations('2026-11-10T02:00:00.000Z', 100)).map((d) => d.invitationId)).toContain('inv_a1');
    // Read as pending, but sent meanwhile: the pending erasure does not match, the plain one does.
    expect(await store.eraseInvitationContact('tok_inv_a2', '2026-11-11T00:00:00.000Z', true)).toBe(false);
    expect(await store.eraseInvitationContact('tok_inv_a2', '2026-11-11T00:00:00.000Z', false)).toBe(true);
    expect(await store.eraseInvitationContact('tok_inv_a1', '2026-11-11T00:00:00.000Z', true)).toBe(true);
    const erased = await store.getInvitationByToken('tok_inv_a1');
    expect(erased).toMatchObject({ contact: {}, status: 'skipped', reason: 'erased' });
    expect(erased?.dueAt).toBeUndefined();
    expect((await store.dueInvitations('2026-11-10T02:00:00.000Z', 100)).map((d) => d.invitationId)).not.toContain('inv_a1');
    expect((await store.getInvitationByToken('tok_inv_a2'))?.status).toBe('sent');
    expect(await store.eraseInvitationContact('tok_missing', '2026-11-11T00:00:00.000Z', false)).toBe(false);
  });

  it('deletes a contact and every way to it, the claim of a number another contact owns left alone', async () => {
    // The phone's identity claim names another contact (made first by that number).
    await store.claimContactIdentity('phone', '+8613800000601', 'ct_other');
    await store.deleteContact(contact('ct_a', { externalId: 'CRM-1' }), { kind: 'email', value: 'wang@example.com' });
    expect(await store.getContact('ct_a')).toBeUndefined();
    expect(await store.contactIdByIdentity('externalId', 'CRM-1')).toBeUndefined();
    expect(await store.contactIdByIdentity('phone', '+8613800000601')).toBe('ct_other');
    expect(await store.contactIdsOfPerson('email', 'wang@example.com')).toEqual([]);
    expect(await store.contactIdsOfPerson('phone', '+8613800000601')).toEqual(['ct_other']);
    expect(await store.invitationTokensOfContact('ct_a')).toEqual([]);
    // Repeating it changes nothing and fails nothing.
    await store.deleteContact(contact('ct_a', { externalId: 'CRM-1' }), { kind: 'email', value: 'wang@example.com' });
    await store.deletePersonRef('phone', '+8613800000601', 'ct_a');
    expect(await store.contactIdByIdentity('phone', '+8613800000601')).toBe('ct_other');
  });

  it('redacts a response in its invitation partition, or one stored before the move', async () => {
    const response = (id: string): ResponseRecord => ({
      responseId: `rsp_${id}`,
      invitationId: id,
      campaignId: 'cmp_privacy',
      surveyId: 's1',
      version: 1,
      orgUnitId: 'u1',
      period: '2026-11',
      submittedAt: '2026-11-10T03:00:00.000Z',
      lang: 'zh-CN',
      answers: { q1: 4, comment: '请打13800000601' },
    });
    await store.putResponseOnce('tok_inv_a2', response('inv_a2'));
    await store.redactResponse('tok_inv_a2', 'inv_a2', { q1: 4, comment: '请打[erased]' }, '2026-11-11T00:00:00.000Z');
    expect((await store.getResponse('tok_inv_a2'))?.answers).toEqual({ q1: 4, comment: '请打[erased]' });

    await table.put({ ...keys.legacyResponse('inv_old'), entity: 'Response', ...response('inv_old') });
    await store.redactResponse('tok_inv_old', 'inv_old', { q1: 4, comment: '[erased]' }, '2026-11-11T00:00:00.000Z');
    expect((await table.get(keys.legacyResponse('inv_old'), { consistent: true }))?.answers).toEqual({ q1: 4, comment: '[erased]' });
    // No response item was made where there was none.
    expect(await table.get(keys.response('tok_inv_old'), { consistent: true })).toBeUndefined();
  });
});
