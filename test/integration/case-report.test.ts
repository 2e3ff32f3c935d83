/**
 * The reports' cases section (issue #14) through HTTP on dynalite with the injectable clock: six
 * cases opened in November 2026 at two branches (a low score, and five logged by hand with
 * elapsed-time deadlines so every figure is counted by hand below), one from October still open,
 * worked at set instants; GET /admin/reports then gives exactly the hand counts, rolled up the
 * tree, and the report page shows the section.
 */
process.env.MANYI_MINIMUM_N = '1';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE } from '../helpers/users';

const HOUR = 3_600_000;
// Tuesday 10 November 2026, 10:00 in Shanghai.
const T0 = Date.parse('2026-11-10T02:00:00Z');
const END = T0 + 100 * HOUR;
const SLA = { firstContact: 'PT4H', resolve: 'P2D', calendar: 'calendar-days' };
const alerts = [{ id: 'low-score', when: { question: 'q4', atMost: 2 }, sla: SLA }];

let platform: TestPlatform;
const at = (instant: number) => platform.clock.freeze(new Date(instant));
let keySerial = 0;

async function logCase(orgUnitId: string, sla: Record<string, string> = SLA): Promise<string> {
  keySerial += 1;
  const res = await platform.api('POST', '/admin/cases', { body: { orgUnitId, note: '客户来电投诉', sla }, headers: { 'idempotency-key': `report-${keySerial}` } });
  expect(res.status, res.text).toBe(201);
  return res.body.caseId as string;
}

async function take(caseId: string, instant: number, body: Record<string, unknown>): Promise<void> {
  at(instant);
  const res = await platform.api('POST', `/admin/cases/${caseId}/events`, { body });
  expect(res.status, res.text).toBe(200);
}

/** An answer by a personal link at a unit. */
async function answerAt(orgUnitId: string, phone: string, answers: Record<string, number>): Promise<void> {
  const created = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ name: '王五', phone, orgUnitId }] } });
  expect(created.status, created.text).toBe(201);
  const token = (created.body.invitations as { token: string }[])[0]!.token;
  expect((await platform.api('POST', `/s/${token}`, { token: null, body: { answers, lang: 'zh-CN' } })).status).toBe(201);
}

/** A low score at n1: the case its rule opens. */
async function lowScore(): Promise<string> {
  await answerAt('n1', '+8613800000401', { q1: 3, q4: 1 });
  const open = await platform.api('GET', '/admin/cases');
  return (open.body.cases as { caseId: string; source: string }[]).find((c) => c.source === 'response')!.caseId;
}

const report = async (orgUnit: string, accept = 'application/json') => {
  const res = await platform.api('GET', `/admin/reports/mini-csi?period=2026-11&orgUnit=${orgUnit}&lang=zh-CN`, { headers: { accept } });
  expect(res.status, res.text).toBe(200);
  return res;
};

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-10-20T02:00:00Z'));
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  expect((await platform.api('POST', '/admin/surveys', { body: { ...fixture('mini-csi.yaml'), alerts } })).status).toBe(201);

  // F: October, at n1, never worked: overdue now, outside November's cohort.
  await logCase('n1');
  at(T0);
  const a = await logCase('n1');
  const b = await logCase('n1');
  await logCase('n1'); // C: never worked
  at(T0 + HOUR);
  const d = await logCase('s1');
  await logCase('s1', { firstContact: 'PT200H', resolve: 'P10D', calendar: 'calendar-days' }); // E: in time throughout
  at(T0 + 2 * HOUR);
  const g = await lowScore();
  await answerAt('s1', '+8613800000402', { q1: 5, q4: 5 }); // s1's report (no case)

  await take(a, T0 + HOUR, { type: 'acknowledge' }); // first contact in 1 h (met)
  await take(a, T0 + 10 * HOUR, { type: 'resolve', rootCause: 'waiting-time', note: '已调整排班' }); // 10 h (met)
  await take(a, T0 + 11 * HOUR, { type: 'close' });
  await take(b, T0 + 6 * HOUR, { type: 'acknowledge' }); // 6 h (late)
  await take(b, T0 + 50 * HOUR, { type: 'resolve', rootCause: 'waiting-time', note: '已致歉' }); // 50 h (late)
  await take(d, T0 + 2 * HOUR, { type: 'acknowledge' }); // 1 h (met)
  await take(d, T0 + 3 * HOUR, { type: 'resolve', rootCause: 'staff-attitude', note: '已处理' });
  await take(d, T0 + 5 * HOUR, { type: 'reopen', note: '客户再次来电' });
  await take(d, T0 + 7 * HOUR, { type: 'resolve', rootCause: 'fees', note: '已退费' }); // 6 h from opening (met)
  await take(g, T0 + 3 * HOUR, { type: 'acknowledge' }); // 1 h (met); never resolved: due T0 + 50 h

  at(END);
  expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } })).status).toBe(200);
});
afterAll(async () => {
  await platform?.stop();
});

describe('the cases section of a report', () => {
  it('equals the hand counts at the head office, rolled up from both branches', async () => {
    const { body } = await report('hq');
    expect(body.cases).toMatchObject({
      opened: 6,
      bySource: { response: 1, manual: 5, reply: 0, breach: 0 },
      resolved: 3, // A (closed), B, D
      closed: 1,
      reopened: 1,
      // Measurable: A, B, C, D, G (E is still in time); met: A, D, G. Times 1, 6, 1, 1 h.
      firstContact: { measurable: 5, met: 3, share: 0.6, p50Hours: 1, p90Hours: expect.closeTo(4.5, 9), timed: 4 },
      // Measurable: A, B, C, D, G; met: A, D. Times 10, 50, 6 h: type 7 gives 10 and 10 + 0.8 x 40.
      resolve: { measurable: 5, met: 2, share: 0.4, p50Hours: 10, timed: 3 },
      overdueNow: 3, // C, G and October's F
      followUp: { sent: 0, answered: 0, solvedShare: null, handledMean: null },
      rootCauses: [
        { rootCause: 'waiting-time', count: 2, share: 2 / 3, cumulativeShare: 2 / 3 },
        { rootCause: 'fees', count: 1, share: 1 / 3, cumulativeShare: 1 },
      ],
    });
    expect(body.cases.resolve.p90Hours).toBeCloseTo(42, 9);
    expect(body.cases.rootCauses[0].label).toMatchObject({ 'zh-CN': expect.any(String), en: expect.any(String) });
    expect(body.cases.children).toEqual([
      { orgUnit: 'north', opened: 4, resolved: 2, overdueNow: 3, firstContactShare: 0.5, resolveShare: 0.25 },
      { orgUnit: 'south', opened: 2, resolved: 1, overdueNow: 0, firstContactShare: 1, resolveShare: 1 },
    ]);
  });

  it("gives a unit its own subtree's cases only", async () => {
    const south = (await report('s1')).body.cases;
    expect(south).toMatchObject({ opened: 2, resolved: 1, reopened: 1, overdueNow: 0, rootCauses: [{ rootCause: 'fees', count: 1 }] });
    expect(south.children).toEqual([]);
    const n1 = (await report('n1')).body.cases;
    expect(n1).toMatchObject({ opened: 4, overdueNow: 3, bySource: { response: 1, manual: 3 } });
  });

  it('shows the section on the report page', async () => {
    const page = await platform.api('GET', `/admin/reports/mini-csi?period=2026-11&orgUnit=hq&lang=zh-CN&view=cases`, { headers: { accept: 'text/html' } });
    expect(page.text).toContain('id="cases"');
    expect(page.text).toContain('工单处理');
    expect(page.text).toContain('60.0%');
  });
});
