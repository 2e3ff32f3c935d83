/**
 * The entity modules against a real DynamoDB API (dynalite and DynamoDB Local): the conditional writes that the
 * dispatcher, the sender, imports and two-way SMS rely on, each raced or repeated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaleInvitationError } from '../../functions/app/ports';
import type { ContactRecord, InvitationRecord } from '../../functions/domain/records';
import { startTestDynamo, type TestDynamo } from '../helpers/dynamodb-backend';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';

let dynamo: TestDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = connectStore(dynamo.table('entities-test'), dynamo.clientConfig);
  await store.ensureTable();
});
afterAll(async () => {
  store?.client.destroy();
  await dynamo?.close();
});

const invitation = (id: string, dueAt = '2026-11-10T02:00:00.000Z'): InvitationRecord => ({
  invitationId: id,
  token: `tok_${id}`,
  campaignId: 'cmp_entities',
  surveyId: 's1',
  version: 1,
  orgUnitId: 'u1',
  contact: {},
  createdAt: '2026-11-10T00:00:00.000Z',
  expiresAt: '2026-12-10T00:00:00.000Z',
  channel: 'sms',
  status: 'pending',
  nextAction: 'invite',
  dueAt,
});

const contact = (id: string): ContactRecord => ({
  contactId: id,
  phone: '+8613800138000',
  orgUnitId: 'u1',
  timeZone: 'Asia/Shanghai',
  attributes: {},
  fingerprint: 'f1',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
});

describe('invitations: the work index and its lease', () => {
  it('lists due invitations up to now, and of two racing leases exactly one wins', async () => {
    await store.putInvitations([invitation('inv_due'), invitation('inv_later', '2026-11-10T05:00:00.000Z')]);
    const due = (await store.dueInvitations('2026-11-10T03:00:00.000Z', 100)).filter((d) => d.campaignId === 'cmp_entities');
    expect(due.map((d) => d.invitationId)).toEqual(['inv_due']);
    const [first, second] = await Promise.all([
      store.leaseDue(due[0]!, '2026-11-10T03:35:00.000Z'),
      store.leaseDue(due[0]!, '2026-11-10T03:35:00.000Z'),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    // Leased: no longer due now, due again once the lease runs out.
    expect((await store.dueInvitations('2026-11-10T03:00:00.000Z', 100)).some((d) => d.invitationId === 'inv_due')).toBe(false);
    expect((await store.dueInvitations('2026-11-10T03:36:00.000Z', 100)).some((d) => d.invitationId === 'inv_due')).toBe(true);
  });

  it('refuses an update expecting a state the invitation has left (StaleInvitationError)', async () => {
    await store.putInvitations([invitation('inv_stale')]);
    await store.markResponded('tok_inv_stale', 'inv_stale');
    await expect(
      store.updateInvitation('tok_inv_stale', { invitationId: 'inv_stale', status: 'sent' }, 'done', { status: 'pending', nextAction: 'invite' }),
    ).rejects.toBeInstanceOf(StaleInvitationError);
    expect((await store.getInvitationByToken('tok_inv_stale'))?.status).toBe('responded');
  });

  it('creates one invitation per origin, and completes one whose marker a crashed run left', async () => {
    const origin = { kind: 'event', campaignId: 'cmp_entities', eventId: 'evt_1' } as const;
    const first = await store.createInvitationOnce(origin, invitation('inv_event_a'));
    const again = await store.createInvitationOnce(origin, invitation('inv_event_b'));
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, existing: { invitationId: 'inv_event_a' } });
    expect(await store.getInvitationByToken('tok_inv_event_b')).toBeUndefined();
  });
});

describe('invitations: delivery receipts', () => {
  it('keeps the first delivery, lets a failure stand only while none is delivered, and finds the SMS invitation by its campaign', async () => {
    await store.putInvitations([invitation('inv_receipt')]);
    // SMS invitations have no id ref: the token comes from the campaign's list.
    const token = await store.invitationTokenOf('inv_receipt', 'cmp_entities');
    expect(token).toBe('tok_inv_receipt');
    expect(await store.recordDelivery(token!, { outcome: 'undelivered', reason: 'unreachable' })).toBe('recorded');
    expect(await store.getInvitationByToken(token!)).toMatchObject({ deliveryFailure: 'unreachable' });
    expect(await store.recordDelivery(token!, { outcome: 'delivered', at: '2026-11-10T02:00:05.000Z' })).toBe('recorded');
    // A repeated receipt (SNS delivers at least once) and a late failure of another message change nothing.
    expect(await store.recordDelivery(token!, { outcome: 'delivered', at: '2026-11-10T02:09:00.000Z' })).toBe('unchanged');
    expect(await store.recordDelivery(token!, { outcome: 'undelivered', reason: 'ttl_expired' })).toBe('unchanged');
    const stored = await store.getInvitationByToken(token!);
    expect(stored?.deliveredAt).toBe('2026-11-10T02:00:05.000Z');
    expect(stored?.deliveryFailure).toBeUndefined();
    // The receipt touched only its own fields: the sender's state is as it was.
    expect(stored).toMatchObject({ status: 'pending', nextAction: 'invite' });
  });

  it('answers unknown for a receipt of no stored invitation, and creates nothing', async () => {
    expect(await store.recordDelivery('tok_never', { outcome: 'delivered', at: '2026-11-10T02:00:00.000Z' })).toBe('unknown');
    expect(await store.getInvitationByToken('tok_never')).toBeUndefined();
  });
});

describe('contacts: the frequency cap and opt-outs', () => {
  it('gives the frequency slot to one of two racing invitations, to the holder again, and to another after the window', async () => {
    await store.putContact(contact('ct_cap'));
    const now = '2026-11-10T02:00:00.000Z';
    const windowStart = '2026-10-11T02:00:00.000Z';
    const race = await Promise.all([store.claimFrequencySlot('ct_cap', 'inv_a', now, windowStart), store.claimFrequencySlot('ct_cap', 'inv_b', now, windowStart)]);
    expect(race.filter(Boolean)).toHaveLength(1);
    const holder = race[0] ? 'inv_a' : 'inv_b';
    const other = race[0] ? 'inv_b' : 'inv_a';
    expect(await store.claimFrequencySlot('ct_cap', holder, now, windowStart)).toBe(true); // a retried send
    expect(await store.claimFrequencySlot('ct_cap', other, now, windowStart)).toBe(false);
    expect(await store.claimFrequencySlot('ct_cap', other, '2026-12-11T02:00:00.000Z', '2026-11-11T02:00:00.000Z')).toBe(true);
    expect(await store.claimFrequencySlot('ct_missing', 'inv_c', now, windowStart)).toBe(false);
  });

  it('keeps the frequency claim when the contact is imported again', async () => {
    await store.putContact(contact('ct_reimport'));
    expect(await store.claimFrequencySlot('ct_reimport', 'inv_r', '2026-11-10T02:00:00.000Z', '2026-10-11T02:00:00.000Z')).toBe(true);
    await store.putContact({ ...contact('ct_reimport'), name: '王女士', fingerprint: 'f2' });
    expect(await store.getContact('ct_reimport')).toMatchObject({ name: '王女士', lastInvitedBy: 'inv_r' });
  });

  it('changes an opt-out state once: a repeated STOP or START reports no change', async () => {
    const address = '+8613900139000';
    expect(await store.isOptedOut('sms', address)).toBe(false);
    expect(await store.setOptOut('sms', address, false, '2026-11-10T02:00:00.000Z')).toBe(false); // never opted out
    expect(await store.setOptOut('sms', address, true, '2026-11-10T02:00:00.000Z')).toBe(true);
    expect(await store.setOptOut('sms', address, true, '2026-11-10T02:01:00.000Z')).toBe(false);
    expect(await store.isOptedOut('sms', address)).toBe(true);
    expect(await store.isOptedOut('email', address)).toBe(false); // per channel
    expect(await store.setOptOut('sms', address, false, '2026-11-10T02:02:00.000Z')).toBe(true);
    expect(await store.isOptedOut('sms', address)).toBe(false);
  });
});

describe('sms: attempts, rate and help replies', () => {
  it('starts an attempt once and returns the first record to a second start', async () => {
    const record = { invitationId: 'inv_s', action: 'invite', attempt: 1, state: 'sending', startedAt: '2026-11-10T02:00:00.000Z' } as const;
    expect(await store.beginSendAttempt(record)).toBeUndefined();
    expect(await store.beginSendAttempt({ ...record, startedAt: '2026-11-10T02:05:00.000Z' })).toMatchObject({ startedAt: '2026-11-10T02:00:00.000Z' });
  });

  it('spends a per-minute rate budget exactly, and claims one help reply per number and day', async () => {
    const taken = await Promise.all(Array.from({ length: 5 }, () => store.takeRateToken('cmp_rate', '2026-11-10T02:00', 3, 0)));
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect(await store.claimHelpReply('+8613700137000', '2026-11-10')).toBe(true);
    expect(await store.claimHelpReply('+8613700137000', '2026-11-10')).toBe(false);
    expect(await store.claimHelpReply('+8613700137000', '2026-11-11')).toBe(true);
  });
});
