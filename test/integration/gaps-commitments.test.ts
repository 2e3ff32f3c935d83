/**
 * Service gaps and commitments in the platform, end to end through the local HTTP adapter against dynalite: a SERVQUAL
 * questionnaire with a question naming a commitment, responses in two branches, commitments
 * declared over HTTP, service events with timestamps, the scheduled computation, and the report
 * (JSON and HTML) with the gaps and the compliance rolled up to the head office. Every figure
 * asserted is computed by hand in the comments.
 */
process.env.MANYI_MINIMUM_N = '1'; // three responses; the small-sample rule would withhold them

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCommitmentsDirectory } from '../../functions/local/commitment-files';
import type { ResponseRecord } from '../../functions/domain/records';
import { fixture, reportViews, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { createTestUser } from '../helpers/users';

let platform: TestPlatform;
const survey = fixture('gap-commitments.yaml');
const PERIOD = '2026-11'; // the test clock: 2026-11-10T02:00:00Z = 10:00 in Asia/Shanghai

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const units = [
  { id: 'hq', name: 'Head office' },
  { id: 'b1', name: 'Branch 1', parentId: 'hq' },
  { id: 'b2', name: 'Branch 2', parentId: 'hq' },
];

/**
 * Customers (scale 1-7; t1 on 1-5 scores 0, 25, 50, 75, 100):
 *          r1a r1e r1p  r2e r2p  m1e m1p  t1
 *   b1/A    4   7   5    6   6    5   6    5   d: r1 -2, r2 0, m1 +1; rel -1,   emp +1 -> g 0     basically
 *   b1/B    5   6   6    7   4    6   4    2   d: r1  0, r2 -3, m1 -2; rel -1.5, emp -2 -> g -1.75 dissatisfied
 *   b2/C    3   5   6    5   5    4   7    4   d: r1 +1, r2 0, m1 +3; rel 0.5,  emp 3  -> g 1.75  highly
 * A manager in b2 (a campaign with audience management): r1e 6, r2e 5, m1e 6.
 */
const customers = [
  { orgUnitId: 'b1', answers: { r1a: 4, r1e: 7, r1p: 5, r2e: 6, r2p: 6, m1e: 5, m1p: 6, t1: 5 } },
  { orgUnitId: 'b1', answers: { r1a: 5, r1e: 6, r1p: 6, r2e: 7, r2p: 4, m1e: 6, m1p: 4, t1: 2 } },
  { orgUnitId: 'b2', answers: { r1a: 3, r1e: 5, r1p: 6, r2e: 5, r2p: 5, m1e: 4, m1p: 7, t1: 4 } },
];

const commitments = {
  commitments: [
    {
      id: 'gas.repair.handle',
      title: { 'zh-CN': '用户设备一般故障6小时内处理', en: 'Ordinary customer equipment faults handled within 6 hours' },
      eventType: 'repair',
      from: 'reportedAt',
      to: 'handledAt',
      target: 'PT6H',
    },
    // No question names it: it is on this questionnaire's reports because it says it belongs to it.
    { id: 'gas.complaint.answer', eventType: 'complaint', from: 'receivedAt', to: 'answeredAt', target: 'PT48H', surveys: ['gap-commitments'] },
  ],
};

let phone = 13800000100;
const event = (eventId: string, type: string, orgUnitId: string, occurredAt: string, fields: Record<string, string>, closedAt?: string) => ({
  eventId,
  type,
  orgUnitId,
  contact: { name: `客户${eventId}`, phone: String(phone++) },
  occurredAt,
  ...(closedAt ? { closedAt } : {}),
  ...fields,
});

/**
 * gas.repair.handle (PT6H), now = 2026-11-10 10:00 +08:00:
 *   b1 e1  reported 11-02 08:00, handled 12:00    4 h    met
 *   b1 e2  reported 11-03 09:00, handled 14:30    5.5 h  met
 *   b1 e3  reported 11-04 10:00, handled 19:00    9 h    missed, overrun 3 h
 *   b1 e7  occurred 10-31 23:30 (listed under October), reported 11-01 00:10, handled 03:10: 3 h met, counts in November
 *   b1 e8  reported 10-20: October, not counted
 *   b2 e4  reported 11-05 08:00, handled 10:00    2 h    met
 *   b2 e5  reported 11-09 12:00, open: deadline 18:00, now 16 h past -> missed (open), overrun 16 h
 *   b2 e6  reported 11-10 08:00, open: deadline 14:00 not reached -> pending
 *   b1 x1  a complaint: not a repair
 * b1: n 4, met 3 (75%), durations 3, 4, 5.5, 9: p50 4.75, p90 (h = 2.7) 5.5 + 0.7 x 3.5 = 7.95, overrun 3.
 * b2: n 2, met 1 (50%), durations 2: p50 = p90 = 2, overrun 16, missedOpen 1, pending 1.
 * hq: n 6, met 4 (2/3), durations 2, 3, 4, 5.5, 9: p50 4, p90 (h = 3.6) 5.5 + 0.6 x 3.5 = 7.6, overrun (3 + 16) / 2 = 9.5.
 * gas.complaint.answer (PT48H): b1 x1 received 11-06 09:00, answered 11-07 09:00: 24 h met.
 */
const events = [
  event('e1', 'repair', 'b1', '2026-11-02T08:00:00+08:00', { reportedAt: '2026-11-02T08:00:00+08:00', handledAt: '2026-11-02T12:00:00+08:00' }, '2026-11-02T12:00:00+08:00'),
  event('e2', 'repair', 'b1', '2026-11-03T09:00:00+08:00', { reportedAt: '2026-11-03T09:00:00+08:00', handledAt: '2026-11-03T14:30:00+08:00' }, '2026-11-03T14:30:00+08:00'),
  event('e3', 'repair', 'b1', '2026-11-04T10:00:00+08:00', { reportedAt: '2026-11-04T10:00:00+08:00', handledAt: '2026-11-04T19:00:00+08:00' }, '2026-11-04T19:00:00+08:00'),
  event('e7', 'repair', 'b1', '2026-10-31T23:30:00+08:00', { reportedAt: '2026-11-01T00:10:00+08:00', handledAt: '2026-11-01T03:10:00+08:00' }),
  event('e8', 'repair', 'b1', '2026-10-20T09:00:00+08:00', { reportedAt: '2026-10-20T09:00:00+08:00', handledAt: '2026-10-20T20:00:00+08:00' }),
  event('e4', 'repair', 'b2', '2026-11-05T08:00:00+08:00', { reportedAt: '2026-11-05T08:00:00+08:00', handledAt: '2026-11-05T10:00:00+08:00' }),
  event('e5', 'repair', 'b2', '2026-11-09T12:00:00+08:00', { reportedAt: '2026-11-09T12:00:00+08:00' }),
  event('e6', 'repair', 'b2', '2026-11-10T08:00:00+08:00', { reportedAt: '2026-11-10T08:00:00+08:00' }),
  event('x1', 'complaint', 'b1', '2026-11-06T09:00:00+08:00', { receivedAt: '2026-11-06T09:00:00+08:00', answeredAt: '2026-11-07T09:00:00+08:00' }),
];

async function report(orgUnit: string) {
  const res = await platform.api('GET', `/admin/reports/gap-commitments?period=${PERIOD}&orgUnit=${orgUnit}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('commitments and gaps in the platform', () => {
  it('sets up: questionnaire, units, commitments (validated, idempotent), events, responses', async () => {
    expect((await platform.api('POST', '/admin/surveys', { body: survey })).status).toBe(201);
    expect((await platform.api('POST', '/admin/org-units', { body: { units } })).status).toBe(200);

    const bad = await platform.api('POST', '/admin/commitments', {
      body: { commitments: [{ id: 'Bad Id', eventType: 'repair', from: 'reportedAt', to: 'handledAt', target: 'six hours' }] },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('commitments[0].id');
    expect(paths).toContain('commitments[0].target');
    expect((await platform.api('GET', '/admin/commitments')).body).toEqual({ commitments: [] });

    const declared = await platform.api('POST', '/admin/commitments', { body: commitments });
    expect(declared.status, declared.text).toBe(200);
    expect(declared.body.commitments).toEqual([
      { id: 'gas.repair.handle', status: 'created' },
      { id: 'gas.complaint.answer', status: 'created' },
    ]);
    const again = await platform.api('POST', '/admin/commitments', { body: commitments });
    expect(again.body.commitments.map((c: { status: string }) => c.status)).toEqual(['unchanged', 'unchanged']);
    const listed = await platform.api('GET', '/admin/commitments');
    expect(listed.body.commitments.map((c: { id: string }) => c.id)).toEqual(['gas.complaint.answer', 'gas.repair.handle']);
    expect(listed.body.commitments[1]).toMatchObject({ target: 'PT6H', timeZone: 'Asia/Shanghai' });

    for (const body of events) {
      const res = await platform.api('POST', '/admin/service-events', { body });
      expect(res.status, res.text).toBeLessThan(300);
    }

    const campaign = await platform.api('POST', '/admin/campaigns', {
      body: { surveyId: 'gap-commitments', channel: 'link', contacts: customers.map(({ orgUnitId }) => ({ orgUnitId })) },
    });
    expect(campaign.status, campaign.text).toBe(201);
    const invitations = campaign.body.invitations as { token: string; invitationId: string }[];
    for (const [i, customer] of customers.entries()) {
      const res = await platform.api('POST', `/s/${invitations[i]?.token}`, { token: null, body: { answers: customer.answers } });
      expect(res.status, res.text).toBe(201);
    }
    // The manager answers through a campaign whose audience is management.
    const managers = await platform.api('POST', '/admin/campaigns', {
      body: { surveyId: 'gap-commitments', channel: 'link', audience: 'management', contacts: [{ orgUnitId: 'b2' }] },
    });
    expect(managers.status, managers.text).toBe(201);
    const answered = await platform.api('POST', `/s/${managers.body.invitations[0].token}`, { token: null, body: { answers: { r1e: 6, r2e: 5, m1e: 6 } } });
    expect(answered.status, answered.text).toBe(201);
    expect((await platform.deps.store.getResponse(managers.body.invitations[0].token))?.audience).toBe('management');

    const computed = await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: PERIOD } });
    expect(computed.status, computed.text).toBe(200);
  });

  it('reports the gaps of the head office over all three customers, the manager apart', async () => {
    const { gaps } = await report('hq');
    expect(gaps.respondents).toBe(3);
    expect(gaps.managementRespondents).toBe(1);
    const item = (id: string) => gaps.items.find((i: { id: string }) => i.id === id);
    // r1: E (7+6+5)/3 = 6, P (5+6+6)/3 = 17/3, d = -2, 0, 1: gap -1/3, sd(d) = sqrt(7/3), t = -1/sqrt(7);
    // with 2 degrees of freedom the two-sided p is 1 - |t| / sqrt(2 + t^2) = 1 - 1/sqrt(15).
    expect(item('r1')).toMatchObject({ dimension: 'rel', E: 6, n: 3 });
    expect(item('r1').P).toBeCloseTo(17 / 3, 10);
    expect(item('r1').gap).toBeCloseTo(-1 / 3, 10);
    expect(item('r1').t).toBeCloseTo(-1 / Math.sqrt(7), 8);
    expect(item('r1').p).toBeCloseTo(1 - 1 / Math.sqrt(15), 8);
    // r2: E 6, P 5, d = 0, -3, 0: gap -1, sd sqrt(3), t -1, p = 1 - 1/sqrt(3).
    expect(item('r2').E).toBeCloseTo(6, 10);
    expect(item('r2').P).toBeCloseTo(5, 10);
    expect(item('r2').gap).toBeCloseTo(-1, 10);
    expect(item('r2').t).toBeCloseTo(-1, 8);
    expect(item('r2').p).toBeCloseTo(1 - 1 / Math.sqrt(3), 8);
    // m1: E 5, P 17/3, d = 1, -2, 3: gap 2/3, var 19/3, t = 2/sqrt(19), p = 1 - 2/sqrt(42).
    expect(item('m1').gap).toBeCloseTo(2 / 3, 10);
    expect(item('m1').t).toBeCloseTo(2 / Math.sqrt(19), 8);
    expect(item('m1').p).toBeCloseTo(1 - 2 / Math.sqrt(42), 8);

    // Dimensions: rel E 6, P 16/3, gap -2/3; emp E 5, P 17/3, gap 2/3.
    const [rel, emp] = gaps.dimensions;
    expect(rel).toMatchObject({ id: 'rel', weight: 0.6 });
    expect(rel.E).toBeCloseTo(6, 10);
    expect(rel.P).toBeCloseTo(16 / 3, 10);
    expect(rel.gap).toBeCloseTo(-2 / 3, 10);
    expect(emp).toMatchObject({ id: 'emp', weight: 0.4 });
    expect(emp.gap).toBeCloseTo(2 / 3, 10);
    // Overall: unweighted (-2/3 + 2/3) / 2 = 0; fixed weights 0.6 x -2/3 + 0.4 x 2/3 = -2/15.
    expect(gaps.overall.unweighted).toBeCloseTo(0, 10);
    expect(gaps.overall.weighted).toBeCloseTo(-2 / 15, 10);
    expect(gaps.overall).toMatchObject({ weightedBy: 'fixed', n: 3 });
    // States: A basically (g 0), B dissatisfied (-1.75), C highly (1.75).
    expect(gaps.states.counts).toEqual({ highlySatisfied: 1, basicallySatisfied: 1, dissatisfied: 1 });
    expect(gaps.states.highlySatisfied).toBeCloseTo(1 / 3, 10);

    // Zone of tolerance (r1): adequate (4+5+3)/3 = 4, MSA mean(1, 1, 3) = 5/3, MSS = the gap -1/3.
    const [zone] = gaps.tolerance.items;
    expect(zone).toMatchObject({ id: 'r1', adequate: 4, desired: 6, position: 'within tolerance', n: 3 });
    expect(zone.msa).toBeCloseTo(5 / 3, 10);
    // IPA (importance E, performance P; means 17/3 and 49/9).
    expect(Object.fromEntries(gaps.ipa.map((e: { id: string; quadrant: string }) => [e.id, e.quadrant]))).toEqual({
      r1: 'keep up the good work',
      r2: 'concentrate here',
      m1: 'possible overkill',
    });
    // Gap 1: management's E minus the customers' E.
    expect(gaps.gap1.map((g: { id: string; gap1: number }) => [g.id, Number(g.gap1.toFixed(10))])).toEqual([
      ['r1', 0],
      ['r2', -1],
      ['m1', 1],
    ]);
    // Benchmarks: rel -2/3 against target -0.5: -1/6; emp 2/3 against the competitor's -1: lead 5/3.
    const [relBenchmark, empBenchmark] = gaps.benchmarks;
    expect(relBenchmark.toTarget).toBeCloseTo(-1 / 6, 10);
    expect(empBenchmark.lead).toBeCloseTo(5 / 3, 10);
  });

  it('reports a branch from its own responses', async () => {
    const { gaps } = await report('b1');
    // b1 (A, B): r1 gap -1, r2 -1.5, m1 -0.5; rel -1.25, emp -0.5; states: A basically, B dissatisfied.
    expect(gaps.items.map((i: { gap: number }) => i.gap)).toEqual([-1, -1.5, -0.5]);
    expect(gaps.dimensions.map((d: { gap: number }) => d.gap)).toEqual([-1.25, -0.5]);
    expect(gaps.overall.unweighted).toBeCloseTo(-0.875, 10);
    expect(gaps.states).toMatchObject({ highlySatisfied: 0, basicallySatisfied: 0.5, dissatisfied: 0.5, n: 2 });
    expect(gaps.gap1).toEqual([]);
  });

  it('reports compliance per unit, rolled up, beside the promise as felt', async () => {
    const hq = await report('hq');
    const [complaint, repair] = hq.commitments;
    expect(complaint).toMatchObject({ id: 'gas.complaint.answer', n: 1, met: 1, compliance: 1, p50: 24 });
    expect(complaint.felt).toBeUndefined();
    expect(repair).toMatchObject({ id: 'gas.repair.handle', n: 6, met: 4, missed: 2, missedOpen: 1, pending: 1, unmeasurable: 0, p50: 4, meanOverrun: 9.5 });
    expect(repair.title.en).toBe('Ordinary customer equipment faults handled within 6 hours');
    expect(repair.compliance).toBeCloseTo(2 / 3, 10);
    expect(repair.p90).toBeCloseTo(7.6, 10);
    // As felt: t1 scores 100, 25, 75 -> 66.67 at the head office.
    expect(repair.felt.questionId).toBe('t1');
    expect(repair.felt.n).toBe(3);
    expect(repair.felt.score).toBeCloseTo(200 / 3, 8);

    const b1 = await report('b1');
    const b1Repair = b1.commitments.find((c: { id: string }) => c.id === 'gas.repair.handle');
    expect(b1Repair).toMatchObject({ n: 4, met: 3, compliance: 0.75, p50: 4.75, meanOverrun: 3, missedOpen: 0, pending: 0 });
    expect(b1Repair.p90).toBeCloseTo(7.95, 10);
    expect(b1Repair.felt).toMatchObject({ questionId: 't1', score: 62.5, n: 2 });

    const b2 = await report('b2');
    expect(b2.commitments.map((c: { id: string }) => c.id)).toEqual(['gas.repair.handle']);
    expect(b2.commitments[0]).toMatchObject({ n: 2, met: 1, compliance: 0.5, p50: 2, p90: 2, meanOverrun: 16, missedOpen: 1, pending: 1 });
    expect(b2.commitments[0].felt).toMatchObject({ score: 75, n: 1 });

    expect(platform.commands).not.toContain('ScanCommand');
  });

  it('answers the console\'s reads: the compliance stored for a unit, and a month\'s events newest first in pages', async () => {
    // The same figures the report shows, read by themselves.
    const compliance = await platform.api('GET', `/admin/commitments/compliance?period=${PERIOD}&orgUnit=b2`);
    expect(compliance.status, compliance.text).toBe(200);
    expect(compliance.body).toMatchObject({ period: PERIOD, orgUnitId: 'b2', computedAt: expect.any(String) });
    expect(compliance.body.commitments).toEqual([expect.objectContaining({ id: 'gas.repair.handle', n: 2, met: 1, compliance: 0.5, missedOpen: 1, pending: 1 })]);
    const none = await platform.api('GET', '/admin/commitments/compliance?period=2025-01&orgUnit=b2');
    expect(none.body).toEqual({ period: '2025-01', orgUnitId: 'b2', computedAt: null, commitments: [] });
    expect((await platform.api('GET', '/admin/commitments/compliance?period=2026-13')).status).toBe(400);

    // November in Shanghai: e7 happened on 31 October there, e8 in October.
    const first = await platform.api('GET', `/admin/service-events?period=${PERIOD}&limit=4`);
    expect(first.status, first.text).toBe(200);
    expect(first.body.events.map((e: { eventId: string }) => e.eventId)).toEqual(['e6', 'e5', 'x1', 'e4']);
    const second = await platform.api('GET', `/admin/service-events?period=${PERIOD}&limit=4&cursor=${first.body.cursor}`);
    expect(second.body.events.map((e: { eventId: string }) => e.eventId)).toEqual(['e3', 'e2', 'e1']);
    expect(second.body.cursor).toBeUndefined();
    const b2 = await platform.api('GET', `/admin/service-events?period=${PERIOD}&orgUnit=b2`);
    expect(b2.body.events.map((e: { eventId: string }) => e.eventId)).toEqual(['e6', 'e5', 'e4']);
    // Timestamps are what commitments measure: shown to a caller without pii too.
    expect(b2.body.events[2].fields).toEqual({ reportedAt: '2026-11-05T08:00:00+08:00', handledAt: '2026-11-05T10:00:00+08:00' });
    expect((await platform.api('GET', `/admin/service-events?period=${PERIOD}&cursor=bm9wZQ`)).status).toBe(400);
    // A cursor is of its list: another month's or unit's is refused, not misread.
    expect((await platform.api('GET', `/admin/service-events?period=2026-10&limit=4&cursor=${first.body.cursor}`)).status).toBe(400);
    expect((await platform.api('GET', `/admin/service-events?period=${PERIOD}&orgUnit=b1&limit=4&cursor=${first.body.cursor}`)).status).toBe(400);
    // Free text is what the source system posted (it may name people): only a pii caller sees it.
    const visit = { eventId: 'v1', type: 'visit', orgUnitId: 'b1', contact: { name: '张三', phone: '13800138077' }, occurredAt: '2026-11-08T10:00:00+08:00', note: '张三 wants a call back', minutes: 12 };
    expect((await platform.api('POST', '/admin/service-events', { body: visit })).status).toBe(201);
    const masked = await platform.api('GET', `/admin/service-events?period=${PERIOD}&orgUnit=b1`);
    // A number may be a phone number: hidden too.
    expect(masked.body.events.find((e: { eventId: string }) => e.eventId === 'v1').fields).toEqual({});
    const user = await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'], pii: true });
    const clear = await platform.api('GET', `/admin/service-events?period=${PERIOD}&orgUnit=b1`, { token: user.token });
    expect(clear.body.events.find((e: { eventId: string }) => e.eventId === 'v1').fields).toEqual({ note: '张三 wants a call back', minutes: 12 });
    // Newest first by the instant, whatever the offset: 10:00+08:00 is 02:00Z, before 03:00Z (as text it sorts after).
    for (const [eventId, occurredAt] of [['o1', '2026-11-09T10:00:00+08:00'], ['o2', '2026-11-09T03:00:00Z']]) {
      const posted = await platform.api('POST', '/admin/service-events', { body: { eventId, type: 'visit', orgUnitId: 'b2', contact: { phone: '13800138078' }, occurredAt } });
      expect(posted.status, posted.text).toBe(201);
    }
    const mixed = await platform.api('GET', `/admin/service-events?period=${PERIOD}&orgUnit=b2`);
    expect(mixed.body.events.map((e: { eventId: string }) => e.eventId)).toEqual(['e6', 'e5', 'o2', 'o1', 'e4']);
  });

  it('shows gaps and commitments on the report page, in Chinese and in English', async () => {
    const path = `/admin/reports/gap-commitments?period=${PERIOD}&orgUnit=hq`;
    // The summary links to one page per analysis: the gaps' and the commitments'.
    const zh = { text: await reportViews(platform, `${path}&lang=zh-CN`, ['gaps', 'commitments']) };
    expect(zh.text).toContain('服务质量差距 (SERVQUAL)');
    expect(zh.text).toMatch(/<svg [^>]*role="img"/);
    expect(zh.text).toContain('十分满意');
    expect(zh.text).toContain('33.3%');
    expect(zh.text).toContain('-0.13'); // weighted overall -2/15
    expect(zh.text).toContain('重点改进');
    expect(zh.text).toContain('差距1');
    expect(zh.text).toContain('服务承诺兑现');
    expect(zh.text).toContain('用户设备一般故障6小时内处理');
    expect(zh.text).toContain('66.7%');
    expect(zh.text).toContain('9.5 小时');
    expect(zh.text).not.toContain('<script');

    const en = { text: await reportViews(platform, `${path}&lang=en`, ['gaps', 'commitments']) };
    expect(en.text).toContain('Service quality gaps (SERVQUAL)');
    expect(en.text).toContain('Highly satisfied');
    expect(en.text).toContain('Ordinary customer equipment faults handled within 6 hours');
    expect(en.text).toContain('7.6 h');
  });

  it('declares the shipped commitment files, one line per file', async () => {
    const lines: string[] = [];
    const dir = join(import.meta.dirname, '../../surveys/commitments');
    await publishCommitmentsDirectory(platform.deps, dir, (line) => lines.push(line));
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/\.yaml: \d+ commitments? (declared|unchanged)/);
    const again: string[] = [];
    await publishCommitmentsDirectory(platform.deps, dir, (line) => again.push(line));
    for (const line of again) expect(line).toMatch(/unchanged$/);
    const ids = (await platform.api('GET', '/admin/commitments')).body.commitments.map((c: { id: string }) => c.id);
    expect(ids).toContain('gas.pipeline.ordinary');
    expect(ids).toContain('insurance.complaint.reply');
  });

  it('gives the same gaps from the checkpoint plus a new response as from a full recomputation', async () => {
    const campaign = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'gap-commitments', channel: 'link', contacts: [{ orgUnitId: 'b2' }] } });
    const answers = { r1a: 2, r1e: 7, r1p: 3, r2e: 6, r2p: 6, m1e: 7, m1p: 5, t1: 1 };
    expect((await platform.api('POST', `/s/${campaign.body.invitations[0].token}`, { token: null, body: { answers } })).status).toBe(201);

    const incremental = await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: PERIOD } });
    expect(incremental.body.read).toBe(1);
    const fromCheckpoint = (await report('hq')).gaps;
    expect(fromCheckpoint.respondents).toBe(4);
    // r1 now over 7, 6, 5, 7 and 5, 6, 6, 3: E 6.25, P 5, gap -1.25.
    expect(fromCheckpoint.items[0]).toMatchObject({ E: 6.25, P: 5, gap: -1.25, n: 4 });

    const full = await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: PERIOD, full: true } });
    expect(full.body.read).toBe(5);
    const fromScratch = (await report('hq')).gaps;
    expect(fromScratch.states).toEqual(fromCheckpoint.states);
    expect(fromScratch.dimensions.map((d: { gap: number }) => d.gap.toFixed(12))).toEqual(fromCheckpoint.dimensions.map((d: { gap: number }) => d.gap.toFixed(12)));
    for (const [i, item] of fromScratch.items.entries()) {
      expect(item.gap).toBeCloseTo(fromCheckpoint.items[i].gap, 12);
      expect(item.p).toBeCloseTo(fromCheckpoint.items[i].p, 12);
    }
  });
});
