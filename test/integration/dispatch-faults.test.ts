/**
 * Regressions for faults a review found in distribution: each scenario below lost, repeated or
 * blocked a message before it was fixed.
 */
process.env.MANYI_MINIMUM_N = '1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInvitation } from '../../functions/app/campaigns';
import { processDispatchMessage } from '../../functions/app/sender';
import { StaleInvitationError } from '../../functions/app/ports';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;
const sms = { signature: '【示例银行】', template: { 'zh-CN': '{name}您好，请评价：{link}' }, marketing: false };

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }, { id: 'b1', name: 'B1', parentId: 'hq' }] } });
});
afterAll(async () => {
  await platform?.stop();
});

const at = (iso: string) => platform.clock.freeze(new Date(iso));
const dispatch = async () => {
  const res = await platform.api('POST', '/admin/jobs/dispatch', { body: {} });
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const outbox = async (campaignId: string) => ((await platform.api('GET', '/dev/outbox?channel=sms')).body as { campaignId: string }[]).filter((m) => m.campaignId === campaignId);
async function contacts(rows: Record<string, unknown>[]) {
  return ((await platform.api('POST', '/admin/contacts', { body: { contacts: rows } })).body.rows as { contactId: string }[]).map((r) => r.contactId);
}
async function campaign(body: Record<string, unknown>) {
  const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'sms', sms, ...body } });
  expect(res.status, res.text).toBe(201);
  return res.body as { campaignId: string; invitations: { token: string; invitationId: string }[] };
}

describe('faults found in review', () => {
  it('keeps sending when one contact of a schedule has an unreadable anchor date', async () => {
    at('2026-11-10T02:00:00Z');
    const [bad, good] = await contacts([
      { name: 'Bad', phone: '13700000001', orgUnitId: 'b1', attributes: { deliveredAt: 'unknown' } },
      { name: 'Good', phone: '13700000002', orgUnitId: 'b1' },
    ]);
    await campaign({ contactIds: [bad], schedule: { anchor: 'deliveredAt', rules: [{ every: 'P1M' }] } });
    const oneOff = await campaign({ contactIds: [good] });
    await dispatch();
    expect(await outbox(oneOff.campaignId)).toHaveLength(1);
  });

  it('never lets the sender overwrite an answer that arrived meanwhile', async () => {
    at('2026-11-10T02:00:00Z');
    const [id] = await contacts([{ name: 'Answered', phone: '13700000003', orgUnitId: 'b1' }]);
    const c = await campaign({ contactIds: [id] });
    const invitation = c.invitations[0] as { token: string; invitationId: string };
    await expect(
      platform.deps.store.updateInvitation(invitation.token, { invitationId: invitation.invitationId, status: 'sent' }, 'done', { status: 'sent', nextAction: 'reminder' }),
    ).rejects.toBeInstanceOf(StaleInvitationError);
    await dispatch();
    expect((await platform.api('POST', `/s/${invitation.token}`, { token: null, body: { answers: { q1: 4 } } })).status).toBe(201);
    // A late reminder message finds the answer and leaves it be, and takes the invitation out of the work index.
    expect(await processDispatchMessage(platform.deps, { token: invitation.token, invitationId: invitation.invitationId, campaignId: c.campaignId, action: 'reminder' })).toBe('stale');
    const stored = await platform.deps.store.getInvitationByToken(invitation.token);
    expect(stored?.status).toBe('responded');
  });

  it('keeps the frequency-cap claim when a contact is imported again', async () => {
    at('2026-11-11T02:00:00Z');
    const [id] = await contacts([{ name: 'Claimed', phone: '13700000004', orgUnitId: 'b1', grade: 'A' }]);
    const c = await campaign({ contactIds: [id] });
    await dispatch();
    const before = await platform.deps.store.getContact(id as string);
    expect(before?.lastInvitedBy).toBe(c.invitations[0]?.invitationId);
    await contacts([{ name: 'Claimed', phone: '13700000004', orgUnitId: 'b1', grade: 'B' }]);
    const after = await platform.deps.store.getContact(id as string);
    expect(after).toMatchObject({ grade: 'B', lastInvitedAt: before?.lastInvitedAt, lastInvitedBy: before?.lastInvitedBy });
  });

  it('waits for closedAt when the trigger counts from it, and moves a pending visit when the event is completed', async () => {
    at('2026-11-12T02:00:00Z');
    const fromClose = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'sms', sms, trigger: { eventType: 'complaint', delay: 'PT2H', at: 'closedAt' } } });
    const fromStart = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'sms', sms, trigger: { eventType: 'complaint', delay: 'PT24H' } } });
    const open = { eventId: 'C-1', type: 'complaint', orgUnitId: 'b1', contact: { name: 'Complainer', phone: '13700000005' }, occurredAt: '2026-11-12T09:00:00+08:00' };
    const first = await platform.api('POST', '/admin/service-events', { body: open });
    expect(first.status, first.text).toBe(201);
    expect(first.body.invitations).toEqual([{ campaignId: fromStart.body.campaignId, invitationId: expect.any(String), dueAt: '2026-11-13T01:00:00.000Z' }]);
    const closed = await platform.api('POST', '/admin/service-events', { body: { ...open, closedAt: '2026-11-12T15:00:00+08:00' } });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.status).toBe('updated');
    expect(closed.body.invitations).toEqual(
      expect.arrayContaining([
        { campaignId: fromClose.body.campaignId, invitationId: expect.any(String), dueAt: '2026-11-12T09:00:00.000Z' },
        { campaignId: fromStart.body.campaignId, invitationId: first.body.invitations[0].invitationId, dueAt: '2026-11-13T07:00:00.000Z' },
      ]),
    );
  });

  it('fails an invitation whose campaign was never completed, once, instead of queueing it forever', async () => {
    at('2026-11-14T02:00:00Z');
    const [id] = await contacts([{ name: 'Orphan', phone: '13700000006', orgUnitId: 'b1' }]);
    const contact = await platform.deps.store.getContact(id as string);
    const orphan = newInvitation({ campaignId: 'cmp_never_written', surveyId: 'mini-csi', version: 1, channel: 'sms' }, contact, {
      orgUnitId: 'b1',
      now: new Date('2026-11-14T02:00:00Z'),
      dueAt: new Date('2026-11-14T02:00:00Z'),
      expiresInDays: 7,
    });
    await platform.deps.store.putInvitations([orphan]);
    expect((await dispatch()).queued).toBeGreaterThanOrEqual(1);
    expect((await platform.deps.store.getInvitationByToken(orphan.token))?.status).toBe('failed');
    at('2026-11-14T03:00:00Z'); // well past the lease
    expect((await dispatch()).due).toBe(0);
  });

  it('sends one help reply a day to a number, and nothing but the confirmation to a number that opted out', async () => {
    at('2026-11-15T02:00:00Z');
    const inbound = async (from: string, body: string) => (await platform.api('POST', '/dev/sms/inbound', { body: { from, body } })).body;
    expect((await inbound('13700000007', 'hello?')).replies).toHaveLength(1);
    expect((await inbound('13700000007', 'hello??')).replies).toHaveLength(0); // an auto-responder cannot loop
    expect((await inbound('13700000008', 'STOP')).replies).toHaveLength(1);
    expect((await inbound('13700000008', 'why?')).replies).toHaveLength(0);
  });
});
