/**
 * The follow-up of a resolved case end to end (issue #14) on dynalite with the injectable clock:
 * the rule's delay after a resolution, the case timers invite the customer to
 * surveys/case-follow-up.yaml by SMS (once, whatever the retries), the dispatcher sends it under
 * the original campaign's signature, the answer is attached to the case, "not solved" reopens it
 * with its resolution deadline armed again, and a customer SMS cannot reach is told on the case.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE } from '../helpers/users';

// Tuesday 10 November 2026, 10:00 in Shanghai: a working day, far from holidays.
const T0 = new Date('2026-11-10T02:00:00Z');
const HOUR = 3_600_000;
const PHONE = '+8613800000301';

const alerts = [
  {
    id: 'low-score',
    when: { question: 'q4', atMost: 2 },
    sla: { resolve: 'P2D', calendar: 'working-days' },
    followUp: { survey: 'case-follow-up', delay: 'PT2H' },
  },
];

const sms = { signature: '【示例银行】', template: { 'zh-CN': '{name}您好，请评价本次服务：{link}', en: 'Hello {name}, please rate: {link}' } };

let platform: TestPlatform;

const at = (instant: number) => platform.clock.freeze(new Date(instant));
const timers = async () => {
  const res = await platform.api('POST', '/admin/jobs/case-timers', { body: {} });
  expect(res.status, res.text).toBe(200);
  return res.body as { opened: number; followedUp: number; attached: number; failed: number };
};
const dispatch = async () => expect((await platform.api('POST', '/admin/jobs/dispatch', { body: {} })).status).toBe(200);
const outboxTo = (phone: string) => platform.outbox.list('sms').filter((m) => m.to === phone);
const viewOf = async (caseId: string) => {
  const res = await platform.api('GET', `/admin/cases/${caseId}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const take = async (caseId: string, body: Record<string, unknown>) => {
  const res = await platform.api('POST', `/admin/cases/${caseId}/events`, { body });
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const answer = (token: string, answers: Record<string, unknown>) => platform.api('POST', `/s/${token}`, { token: null, body: { answers, lang: 'zh-CN' } });
/** The token of the link an SMS carries (…/s/{token}). */
const tokenIn = (body: string) => /\/s\/([A-Za-z0-9_-]+)/.exec(body)![1]!;

/** A low score answered by SMS (or by link): the case it opens. */
async function caseFromLowScore(channel: 'sms' | 'link', phone: string): Promise<string> {
  const contacts = await platform.api('POST', '/admin/contacts', { body: { contacts: [{ name: '王五', phone, orgUnitId: 'n1' }] } });
  expect(contacts.status, contacts.text).toBe(200);
  const contactId = (contacts.body.rows as { contactId: string }[])[0]!.contactId;
  const created = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel, contactIds: [contactId], ...(channel === 'sms' ? { sms } : {}) } });
  expect(created.status, created.text).toBe(201);
  let token = (created.body.invitations as { token?: string }[])[0]?.token;
  if (channel === 'sms') {
    await dispatch();
    token = tokenIn(outboxTo(phone).at(-1)!.body);
  }
  expect((await answer(token!, { q1: 3, q4: 1 })).status).toBe(201);
  const cases = await platform.api('GET', '/admin/cases');
  const found = (cases.body.cases as { caseId: string; orgUnitId: string }[]).filter((c) => c.orgUnitId === 'n1');
  return found.at(-1)!.caseId;
}

beforeAll(async () => {
  platform = await startTestPlatform(T0);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  expect((await platform.api('POST', '/admin/surveys', { body: { ...fixture('mini-csi.yaml'), alerts } })).status).toBe(201);
  const followUp = parse(readFileSync(new URL('../../surveys/case-follow-up.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
  expect((await platform.api('POST', '/admin/surveys', { body: followUp })).status).toBe(201);
});
afterAll(async () => {
  await platform?.stop();
});

describe('a resolved case asks its customer whether it is solved', () => {
  let caseId: string;
  let firstDue: string;

  it('invites the customer by SMS the rule’s delay after the resolution, once', async () => {
    caseId = await caseFromLowScore('sms', PHONE);
    const before = outboxTo(PHONE).length;
    at(T0.getTime() + HOUR);
    const resolved = await take(caseId, { type: 'resolve', rootCause: 'staff-attitude', note: '已致电 13800000301 道歉' });
    firstDue = resolved.resolveDueAt;
    at(T0.getTime() + 3 * HOUR - 60_000);
    expect(await timers()).toMatchObject({ followedUp: 0, failed: 0 });
    at(T0.getTime() + 3 * HOUR);
    expect(await timers()).toMatchObject({ followedUp: 1, failed: 0 });
    expect(await timers()).toMatchObject({ followedUp: 0 });
    await dispatch();
    await dispatch();
    const sent = outboxTo(PHONE).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toContain('【示例银行】');
    expect(sent[0]!.campaignId).toMatch(/^cmp_followup_/);
    const view = await viewOf(caseId);
    expect(view.followUps).toEqual([expect.objectContaining({ round: 0, invitationId: sent[0]!.invitationId })]);
    expect(view.timeline.map((entry: { type: string }) => entry.type)).toContain('follow-up');
    // The break-glass token sees no personal data: the phone number in the note is hidden.
    expect(view.resolution).toBe('已致电 [hidden] 道歉');
  });

  it('reopens the case when the customer says it is not solved, with a new resolution deadline', async () => {
    at(T0.getTime() + 4 * HOUR);
    const token = tokenIn(outboxTo(PHONE).at(-1)!.body);
    expect((await answer(token, { solved: 'no', handled: 2 })).status).toBe(201);
    const view = await viewOf(caseId);
    expect(view.state).toBe('reopened');
    expect(view.reopenedCount).toBe(1);
    expect(view.followUps[0]).toMatchObject({ solved: false, handled: 2 });
    expect(Date.parse(view.resolveDueAt)).toBeGreaterThan(Date.parse(firstDue));
    // The sweep finds the answer attached already.
    expect(await timers()).toMatchObject({ attached: 0, failed: 0 });
    // The follow-up opens no case of its own, low as its score is.
    const cases = await platform.api('GET', '/admin/cases');
    expect((cases.body.cases as { surveyId?: string }[]).filter((c) => c.surveyId === 'case-follow-up')).toHaveLength(0);
  });

  it('attaches a "solved" answer to the second resolution through the sweep when the submit stopped after its write', async () => {
    at(T0.getTime() + 5 * HOUR);
    await take(caseId, { type: 'resolve', rootCause: 'staff-attitude', note: '再次处理' });
    at(T0.getTime() + 7 * HOUR);
    expect(await timers()).toMatchObject({ followedUp: 1 });
    await dispatch();
    const token = tokenIn(outboxTo(PHONE).at(-1)!.body);
    const original = platform.deps.store.replaceCase;
    platform.deps.store.replaceCase = async () => {
      throw new Error('simulated crash between the response and the case');
    };
    try {
      expect((await answer(token, { solved: 'yes', handled: 5 })).status).toBe(201);
    } finally {
      platform.deps.store.replaceCase = original;
    }
    expect((await viewOf(caseId)).followUps[1].responseId).toBeUndefined();
    expect(await timers()).toMatchObject({ attached: 1, failed: 0 });
    expect(await timers()).toMatchObject({ attached: 0 });
    const view = await viewOf(caseId);
    expect(view.state).toBe('resolved');
    expect(view.followUps).toHaveLength(2);
    expect(view.followUps[1]).toMatchObject({ round: 1, solved: true, handled: 5 });
  });
});

describe('a customer SMS cannot reach', () => {
  it('is told on the case, and no invitation is made', async () => {
    at(T0.getTime() + 8 * HOUR);
    const caseId = await caseFromLowScore('link', '+8613800000302');
    await take(caseId, { type: 'resolve', rootCause: 'staff-attitude', note: 'done' });
    const invitationsBefore = outboxTo('+8613800000302').length;
    at(T0.getTime() + 10 * HOUR);
    expect(await timers()).toMatchObject({ followedUp: 1 });
    await dispatch();
    expect(outboxTo('+8613800000302')).toHaveLength(invitationsBefore);
    expect((await viewOf(caseId)).followUps).toEqual([expect.objectContaining({ round: 0, outcome: 'no-channel' })]);
  });
});

describe('rules whose deadlines cannot be placed', () => {
  it('refuses targets longer than a year and delays past the calendar with a 400', async () => {
    const long = await platform.api('POST', '/admin/alert-rules', { body: { rule: { id: 'too-long', when: { question: 'q1', atMost: 1 }, sla: { resolve: 'P99999D' } } } });
    expect(long.status, long.text).toBe(400);
    expect(long.text).toContain('longer than 365 days');
    const delay = await platform.api('POST', '/admin/alert-rules', { body: { rule: { id: 'late', when: { question: 'q1', atMost: 1 }, followUp: { survey: 'case-follow-up', delay: 'P9999W' } } } });
    expect(delay.status, delay.text).toBe(400);
  });
});
