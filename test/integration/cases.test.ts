/**
 * Cases end to end through HTTP on dynalite with the injectable clock: a low score opens one case
 * (whatever retries, crashes or concurrent evaluations), its deadlines fall where the mainland
 * China working-day calendar puts them (hand-computed below), escalation fires at the deadline and
 * not a minute before, with one notification per step, and the case moves through its states
 * with versioned updates, within the caller's role and units.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCasesForResponse } from '../../functions/app/case-opening';
import type { ResponseRecord } from '../../functions/domain/records';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, type TestUser } from '../helpers/users';

// Friday 2025-09-26 17:00 in Shanghai. The National Day holiday runs 1-8 October 2025; Sunday
// 28 September and Saturday 11 October are adjusted working days.
const FRIDAY_17 = new Date('2025-09-26T09:00:00Z');
// resolve P5D in working time (09:00-17:30, 8.5 h a day = 42.5 h): Fri 17:00-17:30 0.5 h; Sun 28,
// Mon 29, Tue 30 Sep 25.5 h (26 h in all); Thu 9 Oct 8.5 h (34.5 h); 8 h more on Fri 10 Oct: 17:00.
const RESOLVE_DUE = '2025-10-10T09:00:00.000Z';
// firstContact P1D: 0.5 h on Friday, 8 h on the adjusted working Sunday 28 September: 17:00.
const FIRST_CONTACT_DUE = '2025-09-28T09:00:00.000Z';

const alerts = [
  {
    id: 'low-score',
    when: { any: [{ question: 'q4', atMost: 2 }, { comment: { question: 'comment', keywords: ['态度差', '投诉'] } }] },
    priority: 'high',
    sla: { firstContact: 'P1D', resolve: 'P5D', calendar: 'working-days' },
    owner: 'manager',
    escalate: [{ after: 'firstContact', notify: 'owner-manager' }, { after: 'resolve', to: 'parent-unit' }],
  },
];

let platform: TestPlatform;
let branchManager: TestUser;
let regionManager: TestUser;
let otherManager: TestUser;
let agent: TestUser;

async function invite(orgUnitId: string, phone: string): Promise<string> {
  const created = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ name: '张三', phone, orgUnitId }] } });
  expect(created.status, created.text).toBe(201);
  return (created.body.invitations as { token: string }[])[0]!.token;
}

const answer = (token: string, answers: Record<string, unknown>) => platform.api('POST', `/s/${token}`, { token: null, body: { answers, lang: 'zh-CN' } });
const timers = async () => {
  const res = await platform.api('POST', '/admin/jobs/case-timers', { body: {} });
  expect(res.status, res.text).toBe(200);
  return res.body as { evaluated: number; opened: number; overdue: number; escalated: number; notified: number };
};
const casesOf = async (token?: string, query = '') => {
  const res = await platform.api('GET', `/admin/cases${query}`, token ? { token } : {});
  expect(res.status, res.text).toBe(200);
  return res.body.cases as { caseId: string; state: string; owner?: string; ownerUnit: string; overdue: boolean; resolveDueAt?: string; firstContactDueAt?: string; version: number }[];
};
/** A sign-in token at the clock's current time (the tests move the clock by days). */
const tokenOf = async (user: TestUser) => (await platform.tokens.forUser((await platform.deps.store.getUser(user.userId))!)).token;
const outboxTo = (phone: string) => platform.outbox.list('sms').filter((m) => m.to === phone);

beforeAll(async () => {
  platform = await startTestPlatform(FRIDAY_17);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  expect((await platform.api('POST', '/admin/surveys', { body: { ...fixture('mini-csi.yaml'), alerts } })).status).toBe(201);
  branchManager = await createTestUser(platform, { role: 'manager', orgUnits: ['n1'] });
  regionManager = await createTestUser(platform, { role: 'manager', orgUnits: ['north'] });
  otherManager = await createTestUser(platform, { role: 'manager', orgUnits: ['s1'] });
  agent = await createTestUser(platform, { role: 'agent', orgUnits: ['n1'] });
  for (const [user, phone] of [[branchManager, '+8613900000001'], [regionManager, '+8613900000002']] as const) {
    expect((await platform.api('PATCH', `/admin/users/${user.userId}`, { body: { phone } })).status).toBe(200);
  }
});
afterAll(async () => {
  await platform?.stop();
});

describe('a low score opens one case with deadlines on the working-day calendar', () => {
  let caseId: string;

  it('opens the case at the submit, owned by the branch manager, due where the calendar says', async () => {
    const token = await invite('n1', '+8613800000101');
    expect((await answer(token, { q1: 4, q4: 1 })).status).toBe(201);
    const open = await casesOf();
    expect(open).toHaveLength(1);
    caseId = open[0]!.caseId;
    expect(open[0]).toMatchObject({ state: 'new', owner: branchManager.userId, ownerUnit: 'n1', firstContactDueAt: FIRST_CONTACT_DUE, resolveDueAt: RESOLVE_DUE, overdue: false });
    // A good score opens nothing.
    expect((await answer(await invite('n1', '+8613800000102'), { q1: 5, q4: 5 })).status).toBe(201);
    expect(await casesOf()).toHaveLength(1);
    const view = await platform.api('GET', `/admin/cases/${caseId}`);
    // The break-glass token sees personal data masked, as every caller without pii.
    expect(view.body).toMatchObject({ reasons: ['q4 = 1 (at most 2)'], contact: { name: '张*', phone: '+86138****0101' }, response: { answers: { q4: 1 } } });
  });

  it('escalates the missed first contact at its deadline and not a minute before, notifying the manager above once', async () => {
    platform.clock.freeze(new Date(Date.parse(FIRST_CONTACT_DUE) - 60_000));
    expect(await timers()).toMatchObject({ overdue: 0, escalated: 0, notified: 0 });
    expect((await casesOf())[0]!.overdue).toBe(false);
    platform.clock.freeze(new Date(Date.parse(FIRST_CONTACT_DUE) + 1000));
    expect(await timers()).toMatchObject({ overdue: 1, escalated: 1, notified: 1 });
    expect((await casesOf())[0]!.overdue).toBe(true);
    // Again, and again a minute later: the step fired once, the region manager got one message.
    await timers();
    platform.clock.freeze(new Date(Date.parse(FIRST_CONTACT_DUE) + 61_000));
    expect(await timers()).toMatchObject({ escalated: 0, notified: 0 });
    expect(outboxTo('+8613900000002')).toHaveLength(1);
    expect(outboxTo('+8613900000002')[0]!.body).not.toContain('张三');
    expect(outboxTo('+8613900000001')).toHaveLength(0);
  });

  it('moves through its states with versioned updates; illegal steps are 409', async () => {
    const token = await tokenOf(branchManager);
    const take = (body: Record<string, unknown>) => platform.api('POST', `/admin/cases/${caseId}/events`, { token, body });
    const current = await platform.api('GET', `/admin/cases/${caseId}`, { token });
    const version = current.body.version as number;
    expect((await take({ type: 'close' })).status).toBe(409);
    const [first, second] = await Promise.all([take({ type: 'acknowledge', version }), take({ type: 'comment', note: '已致电客户', version })]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect((await take({ type: 'resolve', note: '已道歉并培训柜员' })).status).toBe(400);
    const resolved = await take({ type: 'resolve', rootCause: 'staff-attitude', note: '已道歉并培训柜员' });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body).toMatchObject({ state: 'resolved', rootCause: 'staff-attitude' });
    expect(resolved.body.timeline.map((entry: { type: string }) => entry.type)).toEqual(expect.arrayContaining(['opened', 'overdue', 'notified', 'resolve']));
    const reopened = await take({ type: 'reopen', note: '客户仍不满意' });
    expect(reopened.body.state).toBe('reopened');
    expect((await take({ type: 'resolve', rootCause: 'staff-attitude', note: '再次回访' })).body.state).toBe('resolved');
    expect((await take({ type: 'close' })).body).toMatchObject({ state: 'closed' });
    expect(await casesOf()).toHaveLength(0);
    expect(await casesOf(undefined, '?state=closed&period=2025-09')).toHaveLength(1);
  });
});

describe('exactly one case per response and rule', () => {
  it('creates one case from ten concurrent evaluations of the same response', async () => {
    // Monday 29 September, 10:00 in Shanghai: after the sweeps above (the clock only moves on).
    platform.clock.freeze(new Date('2025-09-29T02:00:00Z'));
    const token = await invite('n1', '+8613800000103');
    // Stored without the submit's evaluation: the evaluations below race for it.
    const original = platform.deps.store.createCaseOnce;
    platform.deps.store.createCaseOnce = async () => {
      throw new Error('simulated crash between the response and the case');
    };
    try {
      expect((await answer(token, { q1: 3, q4: 2 })).status).toBe(201);
    } finally {
      platform.deps.store.createCaseOnce = original;
    }
    const stored = (await platform.deps.store.getInvitationWithResponse(token))!.response as ResponseRecord;
    const questionnaire = (await platform.deps.store.getSurveyVersion('mini-csi', 1))!.definition;
    const before = (await casesOf()).length;
    const results = await Promise.all(Array.from({ length: 10 }, () => openCasesForResponse(platform.deps, stored, questionnaire)));
    expect(results.flatMap((r) => r.opened)).toHaveLength(1);
    expect(await casesOf()).toHaveLength(before + 1);
  });

  it('has the sweep open the case a crash between the two writes left unopened, once', async () => {
    const token = await invite('n1', '+8613800000104');
    const original = platform.deps.store.createCaseOnce;
    platform.deps.store.createCaseOnce = async () => {
      throw new Error('simulated crash between the response and the case');
    };
    try {
      expect((await answer(token, { q1: 3, comment: '柜员态度差' })).status).toBe(201);
    } finally {
      platform.deps.store.createCaseOnce = original;
    }
    const before = (await casesOf()).length;
    const swept = await timers();
    expect(swept.opened).toBe(1);
    expect((await timers()).opened).toBe(0);
    expect(await casesOf()).toHaveLength(before + 1);
  });
});

describe('who sees and works a case', () => {
  it('shows a case to the managers of its units only, and to an agent once assigned to them', async () => {
    const [one] = await casesOf();
    expect(one).toBeDefined();
    expect(await casesOf(await tokenOf(otherManager))).toHaveLength(0);
    expect((await platform.api('GET', `/admin/cases/${one!.caseId}`, { token: await tokenOf(otherManager) })).status).toBe(403);
    expect(await casesOf(await tokenOf(agent))).toHaveLength(0);
    expect((await platform.api('POST', `/admin/cases/${one!.caseId}/events`, { token: await tokenOf(agent), body: { type: 'acknowledge' } })).status).toBe(403);
    const assigned = await platform.api('POST', `/admin/cases/${one!.caseId}/events`, { token: await tokenOf(regionManager), body: { type: 'assign', assignee: agent.userId } });
    expect(assigned.status, assigned.text).toBe(200);
    expect((await casesOf(await tokenOf(agent))).map((c) => c.caseId)).toEqual([one!.caseId]);
    expect((await platform.api('POST', `/admin/cases/${one!.caseId}/events`, { token: await tokenOf(agent), body: { type: 'start' } })).body.state).toBe('in_progress');
    // Assigning, closing and reopening are the owner's.
    expect((await platform.api('POST', `/admin/cases/${one!.caseId}/events`, { token: await tokenOf(agent), body: { type: 'assign', assignee: agent.userId } })).status).toBe(403);
    // An assignee who cannot work the unit's cases is refused.
    expect((await platform.api('POST', `/admin/cases/${one!.caseId}/events`, { token: await tokenOf(regionManager), body: { type: 'assign', assignee: otherManager.userId } })).status).toBe(400);
  });

  it('logs a case by hand once per Idempotency-Key, worked by the agent who logged it', async () => {
    const body = { orgUnitId: 'n1', note: '客户来电投诉排队时间过长', priority: 'normal', contact: { name: '李四', phone: '+8613800000199' } };
    const first = await platform.api('POST', '/admin/cases', { token: await tokenOf(agent), body, headers: { 'idempotency-key': 'call-0001' } });
    expect(first.status, first.text).toBe(201);
    const again = await platform.api('POST', '/admin/cases', { token: await tokenOf(agent), body, headers: { 'idempotency-key': 'call-0001' } });
    expect(again.status).toBe(200);
    expect(again.body.caseId).toBe(first.body.caseId);
    expect(first.body).toMatchObject({ source: 'manual', assignee: agent.userId, contact: { name: '李*', phone: '+86138****0199' } });
    expect((await platform.api('POST', '/admin/cases', { token: await tokenOf(agent), body: { ...body, orgUnitId: 's1' } })).status).toBe(403);
    expect((await platform.api('POST', '/admin/cases', { token: await tokenOf(agent), body: { orgUnitId: 'n1' } })).status).toBe(400);
  });

  it('takes alert rules through the API only when they fit the questionnaire', async () => {
    const bad = await platform.api('POST', '/admin/alert-rules', { body: { surveyId: 'mini-csi', rule: { id: 'nope', when: { question: 'q99', atMost: 1 } } } });
    expect(bad.status).toBe(400);
    const good = await platform.api('POST', '/admin/alert-rules', { body: { surveyId: 'mini-csi', orgUnitId: 'south', rule: { id: 'south-low', when: { question: 'q1', atMost: 1 } } } });
    expect(good.status, good.text).toBe(201);
    // Containers keep the stored rules for a minute: the submits below come later.
    platform.clock.freeze(new Date(platform.clock.now().getTime() + 61_000));
    expect((await platform.api('POST', '/admin/alert-rules', { token: await tokenOf(branchManager), body: { surveyId: 'mini-csi', rule: { id: 'x', when: { question: 'q1', atMost: 1 } } } })).status).toBe(403);
    // It applies in the south only.
    expect((await answer(await invite('s1', '+8613800000105'), { q1: 1, q4: 5 })).status).toBe(201);
    expect((await answer(await invite('n1', '+8613800000106'), { q1: 1, q4: 5 })).status).toBe(201);
    const southCases = await casesOf(await tokenOf(otherManager));
    expect(southCases).toHaveLength(1);
  });
});
