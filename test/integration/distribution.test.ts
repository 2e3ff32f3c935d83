/**
 * Distribution end to end through the local runtime (same handlers as Lambda, dynalite, the
 * in-process queue, the outbox, the adjustable clock): contacts, SMS campaigns, opt-out, digit
 * replies, return visits, quiet hours, frequency cap, reminders, expiry, and the crash and
 * provider-failure faults, without loss or duplicates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsProviderError, type OutboundSms, type SmsProvider } from '../../functions/app/ports';
import { smsSegments } from '../../functions/domain/distribution/sms-text';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { createTestUser } from '../helpers/users';

/** Faults the tests switch on: the provider fails (retryably) or the sender "crashes" after the provider accepted. */
const faults = { failNext: 0, failPermanently: false, crashAfterAcceptNext: 0 };

function faultyProvider(inner: SmsProvider): SmsProvider {
  return {
    wasSent: inner.wasSent?.bind(inner),
    async send(message: OutboundSms) {
      if (faults.failPermanently) throw new SmsProviderError('ValidationException: the number cannot receive SMS', false);
      if (faults.failNext > 0) {
        faults.failNext -= 1;
        throw new SmsProviderError('ThrottlingException: rate exceeded', true);
      }
      const result = await inner.send(message);
      if (faults.crashAfterAcceptNext > 0) {
        faults.crashAfterAcceptNext -= 1;
        throw new Error('simulated crash after the provider accepted the message');
      }
      return result;
    },
  };
}

let platform: TestPlatform;
const T0 = new Date('2026-11-10T02:00:00Z'); // 10:00 in Shanghai
const HOUR = 3_600_000;

const sms = {
  signature: '【示例银行】',
  template: { 'zh-CN': '{name}您好，请评价本次服务：{link}', en: 'Hello {name}, please rate our service: {link}' },
  marketing: true,
};

const oneQuestion = {
  id: 'sms-nps',
  version: 1,
  title: { 'zh-CN': '短信评分', en: 'SMS rating' },
  languages: ['zh-CN', 'en'],
  scales: { ten: { type: 'rating', min: 0, max: 10 } },
  index: {
    id: 'csi',
    title: { 'zh-CN': '指数', en: 'Index' },
    elements: [{ id: 'satisfaction', title: { 'zh-CN': '满意度', en: 'Satisfaction' }, indicators: [{ id: 'overall', title: { 'zh-CN': '总体', en: 'Overall' }, questions: ['score'] }] }],
  },
  questions: [{ id: 'score', type: 'rating', scale: 'ten', required: true, text: { 'zh-CN': '请为本次服务打分（0-10）', en: 'Rate this service (0-10)' } }],
};

async function importContacts(contacts: Record<string, unknown>[]) {
  const res = await platform.api('POST', '/admin/contacts', { body: { contacts } });
  expect(res.status, res.text).toBe(200);
  return (res.body.rows as { contactId: string }[]).map((r) => r.contactId);
}

async function smsCampaign(body: Record<string, unknown>) {
  const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'sms', sms, ...body } });
  expect(res.status, res.text).toBe(201);
  return res.body as { campaignId: string; invitations: { invitationId: string; token: string; contactId: string; status: string }[] };
}

const dispatch = async () => {
  const res = await platform.api('POST', '/admin/jobs/dispatch', { body: {} });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

async function statusOf(campaignId: string) {
  const res = await platform.api('GET', `/admin/campaigns/${campaignId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.invitations as { invitationId: string; contactId: string; status: string; reason?: string; reminders: number }[];
}

async function outboxFor(campaignId?: string, to?: string) {
  const res = await platform.api('GET', '/dev/outbox?channel=sms');
  expect(res.status).toBe(200);
  return (res.body as { to: string; body: string; segments: number; campaignId?: string; invitationId?: string; sentAt: string }[]).filter(
    (m) => (!campaignId || m.campaignId === campaignId) && (!to || m.to === to),
  );
}

const setClock = (instant: Date) => platform.clock.freeze(instant);

beforeAll(async () => {
  platform = await startTestPlatform(T0);
  // The tests drive the provider through the platform's SMS port.
  const inner = platform.deps.sms;
  platform.deps.sms = faultyProvider(inner);
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  expect((await platform.api('POST', '/admin/surveys', { body: oneQuestion })).status).toBe(201);
  const units = [
    { id: 'hq', name: '总行' },
    { id: 'b1', name: '上海分行', parentId: 'hq' },
    { id: 'b2', name: '杭州分行', parentId: 'hq' },
  ];
  expect((await platform.api('POST', '/admin/org-units', { body: { units } })).status).toBe(200);
});
afterAll(async () => {
  await platform?.stop();
});

describe('contacts', () => {
  const csv = [
    'name,phone,orgUnitId,externalId,grade,deliveredAt',
    '张三,138 0013 8001,b1,C001,A,2026-01-15',
    '李四,12345,b1,C002,B,',
    '王五,13800138003,mars,C003,A,',
    'Alice,+86 138 0013 8004,b2,,B,',
  ].join('\n');

  it('imports CSV rows on their own: bad rows rejected with the column, good rows stored, phones in E.164', async () => {
    const res = await platform.api('POST', '/admin/contacts', { body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status, res.text).toBe(200);
    const rows = res.body.rows;
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['created', 'rejected', 'rejected', 'created']);
    expect(rows[1].reason).toMatch(/^phone: /);
    expect(rows[2].reason).toBe('orgUnitId: unknown organisation unit "mars"');
    const stored = await platform.deps.store.getContact(rows[0].contactId);
    expect(stored).toMatchObject({ phone: '+8613800138001', orgUnitId: 'b1', grade: 'A', externalId: 'C001', timeZone: 'Asia/Shanghai', attributes: { deliveredAt: '2026-01-15' } });
  });

  it('changes nothing when the same file is imported again, and updates a changed row', async () => {
    const again = await platform.api('POST', '/admin/contacts', { body: csv, headers: { 'content-type': 'text/csv' } });
    expect(again.body.rows.map((r: { status: string }) => r.status)).toEqual(['unchanged', 'rejected', 'rejected', 'unchanged']);
    const changed = await platform.api('POST', '/admin/contacts', { body: csv.replace('C001,A,', 'C001,VIP,'), headers: { 'content-type': 'text/csv' } });
    expect(changed.body.rows.map((r: { status: string }) => r.status)).toEqual(['updated', 'rejected', 'rejected', 'unchanged']);
    expect(changed.body.rows[0].contactId).toBe(again.body.rows[0].contactId);
  });

  it('never logs a phone number in clear', async () => {
    const day = T0.toISOString().slice(0, 10);
    await platform.api('POST', '/dev/sms/inbound', { body: { from: '+8613800138999', body: 'hello' } });
    const log = await platform.deps.store.smsLogOf(day);
    expect(log.length).toBeGreaterThan(0);
    for (const entry of log) expect(entry.number).not.toMatch(/\d{7}/);
  });
});

describe('SMS campaigns', () => {
  it('previews texts, segments and the cost without creating anything', async () => {
    const [id] = await importContacts([{ name: '赵六', phone: '13800138010', orgUnitId: 'b1' }]);
    const res = await platform.api('POST', '/admin/campaigns/preview', { body: { surveyId: 'mini-csi', channel: 'sms', sms, contactIds: [id] } });
    expect(res.status, res.text).toBe(200);
    const [message] = res.body.messages;
    // The caller has no pii: the name in the text is masked as everywhere else; the counts are of the real text.
    expect(message.body).toMatch(/^【示例银行】赵\*您好，请评价本次服务：http:\/\/.+\/s\/x+ 回T退订$/);
    const counted = smsSegments(message.body.replace('赵*', '赵六'));
    expect(message.to).toBe('+86138****8010');
    expect(message).toMatchObject({ encoding: 'UCS-2', segments: counted.segments });
    expect(res.body.totals).toMatchObject({ messages: 1, segments: counted.segments, currency: 'CNY' });
    expect(res.body.totals.cost).toBeCloseTo(counted.segments * 0.045, 10);
    expect(await outboxFor()).not.toContainEqual(expect.objectContaining({ to: '+8613800138010' }));
  });

  it('previews the audience of either channel: its count, a masked sample and the rules that will apply', async () => {
    const many = Array.from({ length: 22 }, (_, i) => ({ name: `预览${i}`, phone: `1380013${String(8100 + i)}`, orgUnitId: 'b1', grade: 'preview-pool' }));
    await importContacts(many);
    const sms_ = await platform.api('POST', '/admin/campaigns/preview', { body: { surveyId: 'mini-csi', channel: 'sms', sms, segment: { grade: 'preview-pool' }, expiresInDays: 3 } });
    expect(sms_.status, sms_.text).toBe(200);
    expect(sms_.body.audience.count).toBe(22);
    expect(sms_.body.audience.sample).toHaveLength(20);
    expect(sms_.body.messages).toHaveLength(20);
    // Totals count every message of the audience, not only the sample's.
    expect(sms_.body.totals.messages).toBe(22);
    expect(sms_.body.totals.segments).toBe(sms_.body.messages[0].segments * 22);
    expect(sms_.body.rules).toEqual({ quietHours: platform.deps.config.quietHours, frequencyCapDays: platform.deps.config.frequencyCapDays, expiresInDays: 3, timeZone: 'Asia/Shanghai' });
    const link = await platform.api('POST', '/admin/campaigns/preview', { body: { surveyId: 'mini-csi', channel: 'link', segment: { grade: 'preview-pool' } } });
    expect(link.status, link.text).toBe(200);
    expect(link.body.audience.count).toBe(22);
    expect(link.body.messages).toEqual([]);
    expect(link.body.rules.expiresInDays).toBe(platform.deps.config.invitationExpiresDays);
    // Masked for a caller without pii (this one), in clear for one with it.
    for (const entry of link.body.audience.sample) {
      expect(entry.name).toMatch(/^预\*+$/);
      expect(entry.to).toMatch(/^\+86138\*+\d{4}$/);
    }
    const withPii = await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'], pii: true });
    const clear = await platform.api('POST', '/admin/campaigns/preview', { token: withPii.token, body: { surveyId: 'mini-csi', channel: 'link', segment: { grade: 'preview-pool' } } });
    expect(clear.status, clear.text).toBe(200);
    expect(clear.body.audience.sample).toHaveLength(20);
    for (const entry of clear.body.audience.sample) {
      const i = Number(/^预览(\d+)$/.exec(entry.name)?.[1]);
      expect(entry.to).toBe(`+861380013${8100 + i}`);
    }
  });

  it('applies a campaign\'s own quiet hours besides the platform\'s, and refuses rules looser than the platform\'s', async () => {
    const [id] = await importContacts([{ name: '孙八', phone: '13800138020', orgUnitId: 'b1' }]);
    // 10:00 in Shanghai, inside the campaign's 09:30-11:00: deferred to 11:00, nothing sent yet.
    const quiet = await smsCampaign({ contactIds: [id], quietHours: { start: '09:30', end: '11:00' } });
    await dispatch();
    expect(await outboxFor(quiet.campaignId)).toHaveLength(0);
    const status = await platform.api('GET', `/admin/campaigns/${quiet.campaignId}`);
    expect(status.body.invitations[0]).toMatchObject({ status: 'pending', reason: 'quiet_hours_deferred' });
    const preview = await platform.api('POST', '/admin/campaigns/preview', { body: { surveyId: 'mini-csi', channel: 'sms', sms, contactIds: [id], quietHours: { start: '09:30', end: '11:00' }, frequencyCapDays: 60 } });
    expect(preview.body.rules).toMatchObject({ quietHours: platform.deps.config.quietHours, campaignQuietHours: { start: '09:30', end: '11:00' }, frequencyCapDays: 60 });

    const refused = async (extra: Record<string, unknown>) => {
      const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'sms', sms, contactIds: [id], ...extra } });
      expect(res.status, res.text).toBe(400);
      return res.body.errors.map((p: { path: string }) => p.path);
    };
    expect(await refused({ frequencyCapDays: platform.deps.config.frequencyCapDays - 1 })).toEqual(['frequencyCapDays']);
    // With the platform's 21:00-08:00, 07:00-22:00 leaves no hour.
    expect(await refused({ quietHours: { start: '07:00', end: '22:00' } })).toEqual(['quietHours']);
    expect(await refused({ quietHours: { start: '7:00', end: '22:00' } })).toEqual(['quietHours.start']);
    expect(await refused({ trigger: { eventType: 'repair', delay: 'PT2H' }, contactIds: undefined, exemptFromFrequencyCap: true, frequencyCapDays: 60 })).toEqual(['frequencyCapDays']);
  });

  it('reaches the outbox with signature, link and opt-out hint, and correct segment counts', async () => {
    const ids = await importContacts([
      { name: '钱七', phone: '13800138011', orgUnitId: 'b2', lang: 'zh-CN' },
      { name: 'Bob', phone: '13800138012', orgUnitId: 'b2', lang: 'en' },
    ]);
    const campaign = await smsCampaign({ contactIds: ids });
    expect(campaign.invitations.every((i) => i.status === 'pending')).toBe(true);
    expect(await outboxFor(campaign.campaignId)).toHaveLength(0); // nothing before the dispatcher runs
    const summary = await dispatch();
    expect(summary.queued).toBeGreaterThanOrEqual(2);
    const messages = await outboxFor(campaign.campaignId);
    expect(messages).toHaveLength(2);
    // The status names when each message went out: the funnel's "sent" counts those.
    const status = await platform.api('GET', `/admin/campaigns/${campaign.campaignId}`);
    expect(status.body.invitations.map((i: { status: string; sentAt?: string }) => [i.status, i.sentAt])).toEqual([
      ['sent', platform.clock.now().toISOString()],
      ['sent', platform.clock.now().toISOString()],
    ]);
    const zh = messages.find((m) => m.to === '+8613800138011');
    const en = messages.find((m) => m.to === '+8613800138012');
    const tokenOf = (contactId: string) => campaign.invitations.find((i) => i.contactId === contactId)?.token;
    expect(zh?.body).toBe(`【示例银行】钱七您好，请评价本次服务：${platform.url}/s/${tokenOf(ids[0] as string)} 回T退订`);
    expect(en?.body).toBe(`【示例银行】Hello Bob, please rate our service: ${platform.url}/s/${tokenOf(ids[1] as string)} Reply STOP to opt out`);
    // 【】 are not GSM-7: the English message is UCS-2 too.
    for (const m of messages) expect(m.segments).toBe(smsSegments(m.body).segments);
    expect(en?.segments).toBe(Math.ceil(Array.from(en?.body ?? '').length / 67));
    expect((await statusOf(campaign.campaignId)).map((i) => i.status)).toEqual(['sent', 'sent']);
  });

  it('targets a segment: the org subtree and the grade', async () => {
    await importContacts([
      { name: 'S1', phone: '13800138021', orgUnitId: 'b1', grade: 'gold', externalId: 'SEG1' },
      { name: 'S2', phone: '13800138022', orgUnitId: 'b1', grade: 'silver', externalId: 'SEG2' },
      { name: 'S3', phone: '13800138023', orgUnitId: 'b2', grade: 'gold', externalId: 'SEG3' },
    ]);
    const campaign = await smsCampaign({ segment: { orgUnitId: 'hq', grade: 'gold' } });
    const phones = await Promise.all(campaign.invitations.map(async (i) => (await platform.deps.store.getContact(i.contactId))?.phone));
    expect(phones.sort()).toEqual(['+8613800138021', '+8613800138023']);
  });
});

describe('two-way SMS', () => {
  it('opts out on STOP at once with one confirmation, and the next campaign skips the contact', async () => {
    const [id] = await importContacts([{ name: '孙八', phone: '13800138031', orgUnitId: 'b1' }]);
    const stop = await platform.api('POST', '/dev/sms/inbound', { body: { from: '13800138031', body: '  td ' } });
    expect(stop.body.outcome).toBe('opted-out');
    expect(stop.body.replies).toHaveLength(1);
    const again = await platform.api('POST', '/dev/sms/inbound', { body: { from: '+8613800138031', body: '退订' } });
    expect(again.body).toEqual({ outcome: 'already-opted-out', replies: [] });
    expect(await outboxFor(undefined, '+8613800138031')).toHaveLength(1); // one confirmation only

    const campaign = await smsCampaign({ contactIds: [id] });
    await dispatch();
    expect(await statusOf(campaign.campaignId)).toEqual([expect.objectContaining({ status: 'skipped', reason: 'opted_out' })]);
    expect(await outboxFor(campaign.campaignId)).toHaveLength(0);
  });

  it('records a digit reply as the answer; the first answer wins and later ones are only acknowledged', async () => {
    const [id] = await importContacts([{ name: '周九', phone: '13800138041', orgUnitId: 'b2' }]);
    const res = await platform.api('POST', '/admin/campaigns', {
      body: { surveyId: 'sms-nps', channel: 'sms', contactIds: [id], sms: { signature: '【示例银行】', template: { 'zh-CN': '{name}您好，请回复0-10为本次服务打分' }, reply: true, marketing: false } },
    });
    expect(res.status, res.text).toBe(201);
    const [invitation] = res.body.invitations;
    await dispatch();
    expect(await outboxFor(res.body.campaignId)).toHaveLength(1);

    const first = await platform.api('POST', '/dev/sms/inbound', { body: { from: '13800138041', body: '９' } });
    expect(first.body.outcome).toBe('answered');
    const second = await platform.api('POST', '/dev/sms/inbound', { body: { from: '13800138041', body: '3' } });
    expect(second.body.outcome).toBe('already-answered');
    expect(second.body.replies).toHaveLength(1);
    const stored = await platform.deps.store.getResponse(invitation.token);
    expect(stored).toMatchObject({ answers: { score: 9 }, channel: 'sms' });
    expect((await statusOf(res.body.campaignId))[0]?.status).toBe('responded');
  });

  it('answers anything else with one help reply', async () => {
    const res = await platform.api('POST', '/dev/sms/inbound', { body: { from: '13800138099', body: '你好' } });
    expect(res.body.outcome).toBe('help');
    expect(res.body.replies).toHaveLength(1);
  });
});

describe('rules', () => {
  it('caps the frequency: a second invitation within 30 days is skipped with its reason', async () => {
    const [id] = await importContacts([{ name: '吴十', phone: '13800138051', orgUnitId: 'b1' }]);
    const first = await smsCampaign({ contactIds: [id] });
    await dispatch();
    expect((await statusOf(first.campaignId))[0]?.status).toBe('sent');
    const second = await smsCampaign({ contactIds: [id] });
    await dispatch();
    expect(await statusOf(second.campaignId)).toEqual([expect.objectContaining({ status: 'skipped', reason: 'frequency_cap' })]);
  });

  it('defers during quiet hours and sends when the window opens', async () => {
    const [id] = await importContacts([{ name: '郑一', phone: '13800138061', orgUnitId: 'b1' }]);
    setClock(new Date('2026-11-12T14:30:00Z')); // 22:30 in Shanghai
    const campaign = await smsCampaign({ contactIds: [id] });
    await dispatch();
    expect(await statusOf(campaign.campaignId)).toEqual([expect.objectContaining({ status: 'pending', reason: 'quiet_hours_deferred' })]);
    expect(await outboxFor(campaign.campaignId)).toHaveLength(0);
    setClock(new Date('2026-11-12T23:59:00Z')); // 07:59: still quiet
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(0);
    setClock(new Date('2026-11-13T00:00:30Z')); // 08:00:30
    await dispatch();
    const sent = await outboxFor(campaign.campaignId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.sentAt).toBe('2026-11-13T00:00:30.000Z');
  });

  it('sends one reminder to a non-respondent after 48 hours, and no more', async () => {
    const [id] = await importContacts([{ name: '冯二', phone: '13800138071', orgUnitId: 'b1' }]);
    setClock(new Date('2026-11-14T02:00:00Z'));
    const campaign = await smsCampaign({ contactIds: [id] });
    await dispatch();
    setClock(new Date('2026-11-16T01:59:00Z')); // 47:59 later
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(1);
    setClock(new Date('2026-11-16T02:00:00Z'));
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(2);
    setClock(new Date('2026-11-19T02:00:00Z'));
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(2);
    expect(await statusOf(campaign.campaignId)).toEqual([expect.objectContaining({ status: 'sent', reminders: 1 })]);
  });

  it('sends no reminder to a contact who answered', async () => {
    const [id] = await importContacts([{ name: '陈三', phone: '13800138072', orgUnitId: 'b1' }]);
    setClock(new Date('2026-11-20T02:00:00Z'));
    const campaign = await smsCampaign({ contactIds: [id] });
    await dispatch();
    const answer = await platform.api('POST', `/s/${campaign.invitations[0]?.token}`, { token: null, body: { answers: { q1: 5 } } });
    expect(answer.status).toBe(201);
    setClock(new Date('2026-11-23T02:00:00Z'));
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(1);
    expect((await statusOf(campaign.campaignId))[0]?.status).toBe('responded');
  });

  it('expires invitations: one that could not go out in time, and one sent but never answered', async () => {
    const [quiet, unanswered] = await importContacts([
      { name: '褚四', phone: '13800138081', orgUnitId: 'b1' },
      { name: '卫五', phone: '13800138082', orgUnitId: 'b1' },
    ]);
    setClock(new Date('2026-11-24T02:00:00Z'));
    const sent = await smsCampaign({ contactIds: [unanswered], expiresInDays: 1, reminder: { enabled: false } });
    await dispatch();
    const late = await smsCampaign({ contactIds: [quiet], expiresInDays: 1 });
    setClock(new Date('2026-11-25T03:00:00Z')); // past both expiries
    await dispatch();
    expect(await statusOf(late.campaignId)).toEqual([expect.objectContaining({ status: 'expired', reason: 'expired' })]);
    expect(await outboxFor(late.campaignId)).toHaveLength(0);
    expect(await statusOf(sent.campaignId)).toEqual([expect.objectContaining({ status: 'expired' })]);
    const page = await platform.api('GET', `/s/${sent.invitations[0]?.token}`, { token: null });
    expect(page.status).toBe(410);
  });
});

describe('return visits after service events', () => {
  it('invites the event\'s contact after the delay and not before, linked to the event, unit and staff', async () => {
    setClock(new Date('2026-12-01T02:00:00Z'));
    const campaign = await platform.api('POST', '/admin/campaigns', {
      body: { surveyId: 'mini-csi', channel: 'sms', sms, trigger: { eventType: 'repair.closed', delay: 'PT24H' }, exemptFromFrequencyCap: true },
    });
    expect(campaign.status, campaign.text).toBe(201);
    expect(campaign.body.invitations).toEqual([]);
    const event = {
      eventId: 'R-2026-0001',
      type: 'repair.closed',
      orgUnitId: 'b2',
      staffId: 'tech-07',
      contact: { name: '蒋六', phone: '13800138091' },
      occurredAt: '2026-12-01T09:00:00+08:00',
      closedAt: '2026-12-01T10:00:00+08:00',
      reportedAt: '2026-12-01T08:10:00+08:00',
    };
    const recorded = await platform.api('POST', '/admin/service-events', { body: event });
    expect(recorded.status, recorded.text).toBe(201);
    expect(recorded.body.invitations).toEqual([expect.objectContaining({ campaignId: campaign.body.campaignId, dueAt: '2026-12-02T02:00:00.000Z' })]);
    const again = await platform.api('POST', '/admin/service-events', { body: event });
    expect(again.status).toBe(200);
    expect(again.body.invitations).toEqual([]);
    const changed = await platform.api('POST', '/admin/service-events', { body: { ...event, staffId: 'tech-08' } });
    expect(changed.status).toBe(409);
    expect(changed.body.message).toMatch(/staffId differs/);
    // Completing the event (a timestamp added later) is an update, and invites nobody twice.
    const completed = await platform.api('POST', '/admin/service-events', { body: { ...event, handledAt: '2026-12-01T11:00:00+08:00' } });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'updated', invitations: [] });
    expect((await platform.deps.store.getServiceEvent('R-2026-0001'))?.fields).toMatchObject({ handledAt: '2026-12-01T11:00:00+08:00' });

    setClock(new Date('2026-12-02T01:59:00Z'));
    await dispatch();
    expect(await outboxFor(campaign.body.campaignId)).toHaveLength(0);
    setClock(new Date('2026-12-02T02:00:00Z'));
    await dispatch();
    const sent = await outboxFor(campaign.body.campaignId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe('+8613800138091');

    const token = /\/s\/([A-Za-z0-9_-]+)/.exec(sent[0]?.body ?? '')?.[1];
    expect((await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 4 } } })).status).toBe(201);
    const response = await platform.deps.store.getResponse(token ?? '');
    expect(response).toMatchObject({ eventId: 'R-2026-0001', staffId: 'tech-07', orgUnitId: 'b2' });
  });
});

describe('faults: nothing lost, nothing sent twice', () => {
  it('does not send again when the sender crashed after the provider accepted', async () => {
    const [id] = await importContacts([{ name: '沈七', phone: '13800138101', orgUnitId: 'b1' }]);
    setClock(new Date('2026-12-05T02:00:00Z'));
    const campaign = await smsCampaign({ contactIds: [id] });
    faults.crashAfterAcceptNext = 1;
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(1);
    expect((await statusOf(campaign.campaignId))[0]?.status).toBe('pending'); // the crash left it unrecorded
    setClock(new Date('2026-12-05T02:36:00Z')); // the lease ran out: the dispatcher takes it again
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(1);
    expect((await statusOf(campaign.campaignId))[0]?.status).toBe('sent');
  });

  it('retries a provider failure with backoff and then sends once', async () => {
    const [id] = await importContacts([{ name: '韩八', phone: '13800138111', orgUnitId: 'b1' }]);
    setClock(new Date('2026-12-06T02:00:00Z'));
    const campaign = await smsCampaign({ contactIds: [id] });
    faults.failNext = 2;
    await dispatch();
    expect(await statusOf(campaign.campaignId)).toEqual([expect.objectContaining({ status: 'pending', reason: expect.stringMatching(/^provider_error: Throttling/) })]);
    setClock(new Date('2026-12-06T02:01:00Z')); // first backoff: 1 minute
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(0);
    setClock(new Date('2026-12-06T02:06:00Z')); // second backoff: 5 minutes
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(1);
    expect((await statusOf(campaign.campaignId))[0]).toMatchObject({ status: 'sent' });
  });

  it('marks a permanent provider failure as failed with the reason', async () => {
    const [id] = await importContacts([{ name: '杨九', phone: '13800138121', orgUnitId: 'b1' }]);
    setClock(new Date('2026-12-07T02:00:00Z'));
    const campaign = await smsCampaign({ contactIds: [id] });
    faults.failPermanently = true;
    try {
      await dispatch();
    } finally {
      faults.failPermanently = false;
    }
    expect(await statusOf(campaign.campaignId)).toEqual([
      expect.objectContaining({ status: 'failed', reason: 'provider_error: ValidationException: the number cannot receive SMS' }),
    ]);
    setClock(new Date('2026-12-08T02:00:00Z'));
    await dispatch();
    expect(await outboxFor(campaign.campaignId)).toHaveLength(0);
  });

  it('reads due work through the index: no scans', () => {
    expect(platform.commands).not.toContain('ScanCommand');
  });
});

describe('the SMS log', () => {
  it('logs sends, deliveries, receives and opt-outs with masked numbers, and drops them after the retention period', async () => {
    const day = '2026-11-10';
    const kinds = new Set((await platform.deps.store.smsLogOf(day)).map((entry) => entry.kind));
    expect([...kinds].sort()).toEqual(['delivery', 'opt-out', 'receive', 'send']);
    setClock(new Date(Date.parse(`${day}T12:00:00Z`) + (platform.deps.config.sms.logRetentionDays + 1) * 86_400_000));
    expect(((await platform.runJob('Retention')) as { smsLogEntries: number }).smsLogEntries).toBeGreaterThan(0);
    expect(await platform.deps.store.smsLogOf(day)).toEqual([]);
  });
});
