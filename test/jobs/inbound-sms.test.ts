/**
 * The SNS consumer of two-way SMS on AWS (functions/jobs/inbound-sms.ts), fed the payloads End User
 * Messaging publishes, against the local platform's store: an inbound STOP opts the number out, a
 * delivery event is logged with a masked number, and a message that is not JSON or of neither kind
 * is ignored without failing the batch.
 */
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboundSmsConsumer } from '../../functions/jobs/inbound-sms';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';

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
