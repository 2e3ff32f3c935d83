/**
 * The cases no rule opens (issue #14), through HTTP on dynalite: words written back to an SMS
 * invitation open one case a day per invitation, each message once however often it is
 * delivered; a service event that missed its commitment opens one breach case, whatever the posts,
 * and one posted open and never completed opens it by the case timers when its deadline passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { handleInboundSms } from '../../functions/app/inbound';
import { readE164 } from '../../functions/domain/distribution/e164';
import { BRANCH_TREE, createTestUser, type TestUser } from '../helpers/users';

// Tuesday 10 November 2026, 10:00 in Shanghai.
const T0 = new Date('2026-11-10T02:00:00Z');
const HOUR = 3_600_000;

const smsRating = {
  id: 'sms-rating',
  version: 1,
  title: { 'zh-CN': '短信评分', en: 'SMS rating' },
  languages: ['zh-CN', 'en'],
  scales: { ten: { type: 'rating', min: 0, max: 10 } },
  index: { id: 'csi', title: { 'zh-CN': '指数', en: 'Index' }, elements: [{ id: 'overall', title: { 'zh-CN': '总体', en: 'Overall' }, indicators: [{ id: 'score', title: { 'zh-CN': '评分', en: 'Score' }, questions: ['score'] }] }] },
  questions: [{ id: 'score', type: 'rating', scale: 'ten', required: true, text: { 'zh-CN': '请打分', en: 'Rate us' } }],
};

let platform: TestPlatform;
let manager: TestUser;

const inbound = async (from: string, body: string) => {
  const res = await platform.api('POST', '/dev/sms/inbound', { body: { from, body } });
  expect(res.status, res.text).toBe(200);
  return res.body as { outcome: string; caseId?: string; replies: string[] };
};
const viewOf = async (caseId: string, token?: string) => {
  const res = await platform.api('GET', `/admin/cases/${caseId}`, token ? { token } : {});
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const tokenOf = async (user: TestUser) => (await platform.tokens.forUser((await platform.deps.store.getUser(user.userId))!)).token;

beforeAll(async () => {
  platform = await startTestPlatform(T0);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  expect((await platform.api('POST', '/admin/surveys', { body: smsRating })).status).toBe(201);
  manager = await createTestUser(platform, { role: 'manager', orgUnits: ['n1'], pii: true });
});
afterAll(async () => {
  await platform?.stop();
});

describe('a free-text SMS reply', () => {
  const phone = '+8613800000401';
  let caseId: string;

  it('opens a case at the invitation’s unit, acknowledged once, and gathers the day’s messages once each', async () => {
    const contacts = await platform.api('POST', '/admin/contacts', { body: { contacts: [{ name: '赵六', phone, orgUnitId: 'n1' }] } });
    const contactId = contacts.body.rows[0].contactId as string;
    // A campaign that takes replies (its numbers' replies are read): words back to it are a complaint.
    const sms = { signature: '【示例银行】', template: { 'zh-CN': '{name}您好，请回复0-10为本次服务打分' }, reply: true };
    expect((await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'sms-rating', channel: 'sms', sms, contactIds: [contactId] } })).status).toBe(201);
    expect((await platform.api('POST', '/admin/jobs/dispatch', { body: {} })).status).toBe(200);

    const first = await inbound(phone, '师傅态度很差，打 13900000999 找我');
    expect(first).toMatchObject({ outcome: 'case', replies: [expect.stringContaining('已收到')] });
    caseId = first.caseId!;
    // The provider delivers it again, then a second message arrives: no second case, no second acknowledgement.
    expect(await inbound(phone, '师傅态度很差，打 13900000999 找我')).toMatchObject({ outcome: 'case', caseId, replies: [] });
    platform.clock.freeze(new Date(T0.getTime() + 60_000));
    expect(await inbound(phone, '而且迟到了两个小时')).toMatchObject({ outcome: 'case', caseId, replies: [] });
    const view = await viewOf(caseId, await tokenOf(manager));
    expect(view).toMatchObject({ source: 'reply', orgUnitId: 'n1', state: 'new', owner: manager.userId, reasons: ['a free-text SMS reply'], contact: { name: '赵六', phone } });
    expect(view.replies.map((r: { text: string }) => r.text)).toEqual(['师傅态度很差，打 13900000999 找我', '而且迟到了两个小时']);
    expect(view.resolveDueAt).toBeDefined();
    // Without pii: the contact masked, numbers in the words hidden.
    const masked = await viewOf(caseId);
    expect(masked.contact.phone).toBe('+86138****0401');
    expect(masked.replies[0].text).toBe('师傅态度很差，打 [hidden] 找我');
    // The inbox lists no words and no contact: its fields are an allow-list.
    const list = await platform.api('GET', '/admin/cases');
    expect(list.text).not.toContain('13900000999');
    expect(list.body.cases.find((c: { caseId: string }) => c.caseId === caseId)).not.toHaveProperty('replies');
  });

  it('keeps one message the provider publishes twice (one message id, two timestamps) once', async () => {
    const message = { from: phone, body: '第三条：发票也没开', messageId: 'in-0001' };
    await handleInboundSms(platform.deps, { ...message, receivedAt: new Date(T0.getTime() + 120_000).toISOString() }, readE164);
    await handleInboundSms(platform.deps, { ...message, receivedAt: new Date(T0.getTime() + 121_000).toISOString() }, readE164);
    const view = await viewOf(caseId, await tokenOf(manager));
    expect(view.replies.filter((r: { text: string }) => r.text === message.body)).toHaveLength(1);
  });

  it('opens the day’s next case for words that come after the case was resolved', async () => {
    platform.clock.freeze(new Date(T0.getTime() + 180_000));
    const resolved = await platform.api('POST', `/admin/cases/${caseId}/events`, { token: await tokenOf(manager), body: { type: 'resolve', rootCause: 'staff-attitude', note: '已致电道歉' } });
    expect(resolved.status, resolved.text).toBe(200);
    platform.clock.freeze(new Date(T0.getTime() + 240_000));
    const later = await inbound(phone, '又来了一次，还是不行');
    expect(later).toMatchObject({ outcome: 'case', replies: [expect.stringContaining('已收到')] });
    expect(later.caseId).not.toBe(caseId);
    expect(await inbound(phone, '又来了一次，还是不行')).toMatchObject({ caseId: later.caseId, replies: [] });
    expect((await viewOf(caseId, await tokenOf(manager))).replies).toHaveLength(3);
  });

  it('opens the next day’s words as a new case, and leaves digits, keywords and strangers alone', async () => {
    platform.clock.freeze(new Date(T0.getTime() + 24 * HOUR));
    const next = await inbound(phone, '还是没人联系我');
    expect(next.outcome).toBe('case');
    expect(next.caseId).not.toBe(caseId);
    expect((await inbound('+8613800000499', '你们服务太差了')).outcome).toBe('help');
    expect((await inbound(phone, 'ok')).outcome).toBe('help');
  });
});

describe('a commitment breach', () => {
  it('opens one case for a repair handled past its 6 hours, none for one in time', async () => {
    const declared = await platform.api('POST', '/admin/commitments', {
      body: { commitments: [{ id: 'gas.repair.handle', eventType: 'repair', from: 'reportedAt', to: 'handledAt', target: 'PT6H' }] },
    });
    expect(declared.status, declared.text).toBe(200);
    const post = (eventId: string, handledAt: string | null) =>
      platform.api('POST', '/admin/service-events', {
        body: { eventId, type: 'repair', orgUnitId: 'n1', contact: { name: '钱七', phone: '+8613800000402' }, occurredAt: '2026-11-11T01:00:00Z', reportedAt: '2026-11-11T01:00:00Z', handledAt },
      });
    const inTime = await post('rep-1', '2026-11-11T06:00:00Z');
    expect(inTime.status, inTime.text).toBe(201);
    expect(inTime.body.cases).toBeUndefined();
    // Still open and before the deadline: pending, no case; posted again when handled 9 hours later: the case.
    expect((await post('rep-2', null)).body.cases).toBeUndefined();
    const late = await post('rep-2', '2026-11-11T10:00:00Z');
    expect(late.status, late.text).toBe(200);
    expect(late.body.cases).toHaveLength(1);
    const again = await post('rep-2', '2026-11-11T10:00:00Z');
    expect(again.body.cases).toBeUndefined();
    const view = await viewOf(late.body.cases[0], await tokenOf(manager));
    expect(view).toMatchObject({ source: 'breach', eventId: 'rep-2', commitmentId: 'gas.repair.handle', reasons: ['commitment gas.repair.handle missed, 3 h over'], contact: { name: '钱七' } });
  });

  it('opens a case for an event posted still open past its deadline', async () => {
    const open = await platform.api('POST', '/admin/service-events', {
      body: { eventId: 'rep-3', type: 'repair', orgUnitId: 'n1', contact: { name: '孙八', phone: '+8613800000403' }, occurredAt: '2026-11-10T10:00:00Z', reportedAt: '2026-11-10T10:00:00Z', handledAt: null },
    });
    expect(open.status, open.text).toBe(201);
    expect(open.body.cases).toHaveLength(1);
    expect((await viewOf(open.body.cases[0])).reasons[0]).toMatch(/^commitment gas\.repair\.handle missed \(still open\)/);
  });

  it('opens the case of an event recorded open when its deadline passes with no completion posted, once', async () => {
    platform.clock.freeze(T0);
    const post = (eventId: string, handledAt: string | null) =>
      platform.api('POST', '/admin/service-events', {
        body: { eventId, type: 'repair', orgUnitId: 'n1', contact: { name: '周九', phone: '+8613800000404' }, occurredAt: T0.toISOString(), reportedAt: T0.toISOString(), handledAt },
      });
    expect((await post('rep-4', null)).body.cases).toBeUndefined();
    expect((await post('rep-5', null)).body.cases).toBeUndefined();
    // rep-5 is handled in time (posted again at 12:00 Shanghai); rep-4 never is. The deadline: 6 h after 10:00.
    platform.clock.freeze(new Date(T0.getTime() + 2 * HOUR));
    expect((await post('rep-5', new Date(T0.getTime() + 2 * HOUR).toISOString())).body.cases).toBeUndefined();
    const timers = async (at: number) => {
      platform.clock.freeze(new Date(at));
      const res = await platform.api('POST', '/admin/jobs/case-timers', { body: {} });
      expect(res.status, res.text).toBe(200);
      return res.body as { opened: number; failed: number };
    };
    const breachCases = async () =>
      ((await platform.api('GET', '/admin/cases')).body.cases as { source: string; reasons: string[] }[]).filter((c) => c.source === 'breach' && c.reasons[0]?.includes('still open'));
    const before = (await breachCases()).length;
    expect(await timers(T0.getTime() + 6 * HOUR - 60_000)).toMatchObject({ opened: 0, failed: 0 });
    // At the deadline itself the event is still in time: the watch stays.
    expect(await timers(T0.getTime() + 6 * HOUR)).toMatchObject({ opened: 0, failed: 0 });
    expect(await breachCases()).toHaveLength(before);
    expect(await timers(T0.getTime() + 6 * HOUR + 1000)).toMatchObject({ opened: 1, failed: 0 });
    expect(await timers(T0.getTime() + 6 * HOUR + 61_000)).toMatchObject({ opened: 0, failed: 0 });
    const opened = await breachCases();
    expect(opened).toHaveLength(before + 1);
    expect(await platform.deps.store.breachWatchesDue(new Date(T0.getTime() + 6 * HOUR + 61_000).toISOString())).toEqual([]); // rep-4's and rep-5's ended
  });
});

describe("a person's erasure and export reach their cases", () => {
  it('finds a case logged by hand by the number typed in, exports it and erases the person from it, once', async () => {
    const logged = await platform.api('POST', '/admin/cases', {
      token: await tokenOf(manager),
      body: { orgUnitId: 'n1', note: '吴十来电，回拨 13800000405', contact: { name: '吴十', phone: '13800000405' } },
      headers: { 'idempotency-key': 'privacy-1' },
    });
    expect(logged.status, logged.text).toBe(201);
    // The number is kept as contacts keep it (E.164), so the erasure by number finds it.
    expect(logged.body.contact.phone).toBe('+8613800000405');
    const exported = await platform.api('GET', '/admin/privacy/export?phone=%2B8613800000405');
    expect(exported.status, exported.text).toBe(200);
    expect(exported.body.cases).toEqual([expect.objectContaining({ caseId: logged.body.caseId, source: 'manual', contact: { name: '吴十', phone: '+8613800000405' }, notes: [expect.objectContaining({ note: '吴十来电，回拨 13800000405' })] })]);

    const erased = await platform.api('POST', '/admin/privacy/erase', { body: { phone: '+8613800000405' } });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body.erased).toMatchObject({ cases: 1, caseRefs: 1 });
    const view = await viewOf(logged.body.caseId, await tokenOf(manager));
    expect(view.contact).toBeUndefined();
    expect(view.timeline[0].note).toBe('[erased]来电，回拨 [erased]');
    const again = await platform.api('POST', '/admin/privacy/erase', { body: { phone: '+8613800000405' } });
    expect(again.body.erased).toMatchObject({ cases: 0, caseRefs: 0 });
  });

  it("erases a contact from the words of their reply cases, found through the contact's invitation", async () => {
    const phone = '+8613800000401';
    platform.clock.freeze(new Date(T0.getTime() + 48 * HOUR));
    const words = await inbound(phone, '我是赵六，请尽快回电');
    expect(words.outcome).toBe('case');
    const contactId = ((await platform.api('GET', '/admin/contacts?query=%2B8613800000401', { token: await tokenOf(manager) })).body.contacts[0] as { contactId: string }).contactId;
    const erased = await platform.api('POST', '/admin/privacy/erase', { body: { contactId } });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body.erased.cases).toBeGreaterThanOrEqual(1);
    const view = await viewOf(words.caseId!, await tokenOf(manager));
    expect(view.replies.map((r: { text: string }) => r.text)).toEqual(['我是[erased]，请尽快回电']);
    expect(view.contact).toBeUndefined();
  });

  it('refuses a manual case naming a contact that does not exist', async () => {
    const res = await platform.api('POST', '/admin/cases', { body: { orgUnitId: 'n1', note: '来电', contactId: 'ct_nobody' } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('contactId');
  });
});

