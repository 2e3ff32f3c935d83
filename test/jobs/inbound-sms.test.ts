/**
 * The SNS consumer of two-way SMS on AWS (functions/jobs/inbound-sms.ts), fed the payloads End User
 * Messaging publishes, against the local platform's store: an inbound STOP opts the number out, a
 * delivery event is logged with a masked number and recorded on its invitation (the funnel's
 * delivered and undelivered), and a message that is not JSON or of neither kind is ignored without
 * failing the batch.
 */
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboundSmsConsumer } from '../../functions/jobs/inbound-sms';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { funnelOf } from '../../functions/domain/distribution/funnel';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
});
afterAll(async () => {
  await platform?.stop();
});

const snsEvent = (...messages: string[]): SNSEvent => ({
  Records: messages.map((Message, i) => ({
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: 'arn:aws:sns:cn-north-1:123456789012:inbound:sub',
    Sns: {
      Type: 'Notification',
      MessageId: `msg-${i}`,
      TopicArn: 'arn:aws:sns:cn-north-1:123456789012:inbound',
      Subject: '',
      Message,
      Timestamp: '2026-11-10T02:00:00.000Z',
      SignatureVersion: '1',
      Signature: '',
      SigningCertUrl: '',
      UnsubscribeUrl: '',
      MessageAttributes: {},
    },
  })),
});

describe('inbound SMS consumer', () => {
  it('opts a number out on an inbound STOP, logs a delivery event masked, and skips what it cannot read', async () => {
    const consume = createInboundSmsConsumer(platform.deps);
    await consume(
      snsEvent(
        'not json',
        JSON.stringify({ something: 'else' }),
        JSON.stringify({ originationNumber: '+8613800138099', destinationNumber: '+8610690000', messageBody: 'TD', inboundMessageId: 'in-1' }),
        JSON.stringify({ eventType: 'TEXT_DELIVERED', messageStatus: 'DELIVERED', destinationPhoneNumber: '+8613800138098', context: { invitationId: 'inv_x', campaignId: 'cmp_x' } }),
      ),
    );
    expect(await platform.deps.store.isOptedOut('sms', '+8613800138099')).toBe(true);
    const log = await platform.deps.store.smsLogOf('2026-11-10');
    // The STOP confirmation is delivered by the local outbox too: pick the event's own entry.
    const delivery = log.find((entry) => entry.kind === 'delivery' && entry.invitationId === 'inv_x');
    expect(delivery).toMatchObject({ campaignId: 'cmp_x', status: 'DELIVERED' });
    expect(delivery?.number).not.toContain('13800138098');
    expect(log.some((entry) => entry.kind === 'opt-out')).toBe(true);
    expect(JSON.stringify(log)).not.toContain('13800138099');
  });
});

/** End User Messaging's event record (its documented example's fields), for one message of an invitation. */
const receipt = (eventType: string, messageStatus: string, invitationId: string, campaignId: string, eventTimestamp: number) =>
  JSON.stringify({
    eventType,
    eventVersion: '1.0',
    eventTimestamp,
    isFinal: true,
    originationPhoneNumber: '+8610690000',
    destinationPhoneNumber: '+8613800138051',
    isInternationalSend: false,
    messageId: `msg-${invitationId}-${eventType}`,
    messageRequestTimestamp: eventTimestamp - 300,
    messageEncoding: 'UCS2',
    messageType: 'TRANSACTIONAL',
    messageStatus,
    messageStatusDescription: 'from the carrier',
    context: { idempotencyKey: `${invitationId}:invite:1`, invitationId, campaignId },
    totalMessageParts: 1,
    totalMessagePrice: 0.05,
    totalCarrierFee: 0,
  });

describe('delivery receipts', () => {
  it('records each invitation\'s outcome from the receipts, the first delivery sticking, and the funnel counts them', async () => {
    expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
    expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: '总行' }] } })).status).toBe(200);
    const contacts = ['+8613800138051', '+8613800138052', '+8613800138053'].map((phone, i) => ({ name: `客户${i}`, phone, orgUnitId: 'hq' }));
    const imported = await platform.api('POST', '/admin/contacts', { body: { contacts } });
    expect(imported.status).toBe(200);
    const contactIds = (imported.body.rows as { contactId: string }[]).map((row) => row.contactId);
    // A carrier that sends no receipt of its own: only the events below say what happened.
    const localReceipts = platform.outbox.onDelivered;
    platform.outbox.onDelivered = undefined;
    try {
      const created = await platform.api('POST', '/admin/campaigns', {
        body: { surveyId: 'mini-csi', channel: 'sms', sms: { signature: '【示例】', template: { 'zh-CN': '请评价：{link}' } }, contactIds },
      });
      expect(created.status, created.text).toBe(201);
      const campaignId = created.body.campaignId as string;
      expect((await platform.api('POST', '/admin/jobs/dispatch', { body: {} })).status).toBe(200);
      const [a, b, c] = (created.body.invitations as { invitationId: string }[]).map((inv) => inv.invitationId);
      const t = Date.parse('2026-11-10T02:00:07Z');
      const consume = createInboundSmsConsumer(platform.deps);
      await consume(
        snsEvent(
          receipt('TEXT_UNREACHABLE', 'UNREACHABLE', a!, campaignId, t),
          receipt('TEXT_DELIVERED', 'DELIVERED', b!, campaignId, t),
          // Repeated by SNS, then a late failure of the same invitation: the delivery stands.
          receipt('TEXT_DELIVERED', 'DELIVERED', b!, campaignId, t + 60_000),
          receipt('TEXT_TTL_EXPIRED', 'TTL_EXPIRED', b!, campaignId, t + 120_000),
          // Not final: nothing recorded for c.
          receipt('TEXT_PENDING', 'PENDING', c!, campaignId, t),
          // A receipt of an invitation that is not stored: logged, and the batch goes on.
          receipt('TEXT_DELIVERED', 'DELIVERED', 'inv_gone', campaignId, t),
        ),
      );
      const status = await platform.api('GET', `/admin/campaigns/${campaignId}`);
      const byId = new Map((status.body.invitations as { invitationId: string; deliveredAt?: string; deliveryFailure?: string }[]).map((inv) => [inv.invitationId, inv]));
      expect(byId.get(a!)).toMatchObject({ deliveryFailure: 'unreachable' });
      expect(byId.get(a!)?.deliveredAt).toBeUndefined();
      expect(byId.get(b!)).toMatchObject({ deliveredAt: '2026-11-10T02:00:07.000Z' });
      expect(byId.get(b!)?.deliveryFailure).toBeUndefined();
      expect(byId.get(c!)?.deliveredAt).toBeUndefined();
      expect(byId.get(c!)?.deliveryFailure).toBeUndefined();
      const funnel = funnelOf(status.body.invitations);
      expect(funnel.find((s) => s.stage === 'sent')?.count).toBe(3);
      expect(funnel.find((s) => s.stage === 'delivered')?.count).toBe(1);
      expect(funnel.find((s) => s.stage === 'undelivered')).toMatchObject({ count: 1, reasons: { unreachable: 1 } });
      // The page of invitations says the same.
      const page = await platform.api('GET', `/admin/campaigns/${campaignId}/invitations`);
      expect(page.body.invitations.find((inv: { invitationId: string }) => inv.invitationId === a)).toMatchObject({ deliveryFailure: 'unreachable' });
    } finally {
      platform.outbox.onDelivered = localReceipts;
    }
  });

  it('has the local carrier deliver every message at once, through the same path', async () => {
    const imported = await platform.api('POST', '/admin/contacts', { body: { contacts: [{ name: '客户9', phone: '+8613800138059', orgUnitId: 'hq' }] } });
    expect(imported.status).toBe(200);
    const created = await platform.api('POST', '/admin/campaigns', {
      body: { surveyId: 'mini-csi', channel: 'sms', sms: { signature: '【示例】', template: { 'zh-CN': '请评价：{link}' } }, contactIds: [imported.body.rows[0].contactId] },
    });
    expect(created.status, created.text).toBe(201);
    expect((await platform.api('POST', '/admin/jobs/dispatch', { body: {} })).status).toBe(200);
    const status = await platform.api('GET', `/admin/campaigns/${created.body.campaignId}`);
    expect(status.body.invitations).toHaveLength(1);
    expect(status.body.invitations[0]).toMatchObject({ status: 'sent', deliveredAt: '2026-11-10T02:00:00.000Z' });
  });
});
