/**
 * Operating figures (issue #15) through HTTP on dynalite: POST /admin/metrics as JSON and as CSV,
 * refused whole with the row named, a later post keeping the figures it does not name, GET in
 * scope, and the reports' scorecard section rolled up the tree by hand: counts summed, rates
 * weighted by customers served, complaints per 10,000 customers from the figures or, where none
 * were posted, from the complaints customers filed as cases.
 */
process.env.MANYI_MINIMUM_N = '1';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE } from '../helpers/users';

let platform: TestPlatform;

async function answerAt(orgUnitId: string, phone: string): Promise<void> {
  const created = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ name: '王五', phone, orgUnitId }] } });
  expect(created.status, created.text).toBe(201);
  const token = (created.body.invitations as { token: string }[])[0]!.token;
  expect((await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 4, q2: 4, q3: 5, q4: 4, q5: 3 }, lang: 'zh-CN' } })).status).toBe(201);
}

const scorecardOf = async (orgUnit: string) => {
  const res = await platform.api('GET', `/admin/reports/mini-csi?period=2026-11&orgUnit=${orgUnit}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { csi: number; scorecard: Record<string, unknown> & { children: Record<string, unknown>[] } };
};

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  await answerAt('n1', '+8613800000501');
  await answerAt('s1', '+8613800000502');
  // A complaint filed by phone at s1: s1 posts no complaints figure, so its report counts these.
  expect((await platform.api('POST', '/admin/cases', { body: { orgUnitId: 's1', note: '客户来电投诉' }, headers: { 'idempotency-key': 'metrics-1' } })).status).toBe(201);
  expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } })).status).toBe(200);
});
afterAll(async () => {
  await platform?.stop();
});

describe('operating figures', () => {
  it('refuses a request whole, naming the row, and stores nothing', async () => {
    const bad = await platform.api('POST', '/admin/metrics', {
      body: { metrics: [{ orgUnitId: 'n1', period: '2026-11', customers: 10 }, { orgUnitId: 'n1', period: '2026-11', marketShare: 12 }, { orgUnitId: 'nowhere', period: '2026-13' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['metrics[1].marketShare', 'metrics[2].period']));
    const twice = await platform.api('POST', '/admin/metrics', { body: { metrics: [{ orgUnitId: 'n1', period: '2026-11', customers: 10 }, { orgUnitId: 'n1', period: '2026-11', complaints: 1 }] } });
    expect(twice.status).toBe(400);
    expect(twice.body.errors[0]).toMatchObject({ path: 'metrics[1]' });
    const csv = await platform.api('POST', '/admin/metrics', { body: 'orgUnitId,period,customers\nn1,2026-11,many\n', headers: { 'content-type': 'text/csv' } });
    expect(csv.status).toBe(400);
    expect(csv.body.errors[0].path).toBe('row 1.customers');
    expect((await platform.api('GET', '/admin/metrics?period=2026-11')).body.metrics).toEqual([]);
  });

  it('rolls the figures up the tree in the report: counts summed, rates weighted by customers', async () => {
    const posted = await platform.api('POST', '/admin/metrics', {
      body: {
        metrics: [
          { orgUnitId: 'n1', period: '2026-11', customers: 1000, complaints: 4, marketShare: 0.2, repeatRate: 0.5, competitorCsi: 70 },
          { orgUnitId: 's1', period: '2026-11', customers: 3000, marketShare: 0.1, repeatRate: 0.3, competitorCsi: 60, profitPerCustomer: 10 },
        ],
      },
    });
    expect(posted.status, posted.text).toBe(200);
    expect(posted.body).toEqual({ stored: 2 });
    const hq = await scorecardOf('hq');
    expect(hq.scorecard).toMatchObject({
      units: 2,
      customers: 4000,
      complaints: 4,
      complaintsSource: 'metrics',
      // Over the units that posted both counts: n1's 4 of its 1,000 (s1 posted no complaints figure).
      complaintsPer10k: 40,
      // Customers over the markets served: 4,000 of 1,000 / 0.2 + 3,000 / 0.1.
      repeatRate: (1000 * 0.5 + 3000 * 0.3) / 4000,
      competitorCsi: 62.5,
      profitPerCustomer: 10,
      newCustomerRate: null,
    });
    expect(hq.scorecard.competitorLead).toBeCloseTo(hq.csi - 62.5, 12);
    expect(hq.scorecard.marketShare).toBeCloseTo(4000 / 35000, 12);
    expect(hq.scorecard.children.map((c) => [c.orgUnit, c.customers, c.complaintsPer10k])).toEqual([
      ['north', 1000, 40],
      ['south', 3000, null],
    ]);
    // s1 posted no complaints: its one filed complaint (a case logged by hand) per 10,000 of 3,000 customers.
    const s1 = await scorecardOf('s1');
    expect(s1.scorecard).toMatchObject({ complaints: null, complaintsSource: 'cases', customers: 3000 });
    expect(s1.scorecard.complaintsPer10k).toBeCloseTo(10_000 / 3000, 12);
  });

  it('keeps the figures a later post does not name (CSV), and lists the figures in scope', async () => {
    const csv = await platform.api('POST', '/admin/metrics', { body: 'orgUnitId,period,complaints\nn1,2026-11,8\n', headers: { 'content-type': 'text/csv' } });
    expect(csv.status, csv.text).toBe(200);
    const listed = await platform.api('GET', '/admin/metrics?period=2026-11&orgUnit=north');
    expect(listed.body).toEqual({ period: '2026-11', metrics: [{ orgUnitId: 'n1', period: '2026-11', customers: 1000, complaints: 8, marketShare: 0.2, repeatRate: 0.5, competitorCsi: 70 }] });
    const hq = await scorecardOf('hq');
    expect(hq.scorecard).toMatchObject({ customers: 4000, complaints: 8, complaintsPer10k: 80 });
    // A figure posted by mistake is taken back with null.
    expect((await platform.api('POST', '/admin/metrics', { body: { metrics: [{ orgUnitId: 'n1', period: '2026-11', repeatRate: null }] } })).status).toBe(200);
    const after = (await platform.api('GET', '/admin/metrics?period=2026-11&orgUnit=n1')).body.metrics[0];
    expect(after).not.toHaveProperty('repeatRate');
    expect(after).toMatchObject({ customers: 1000, complaints: 8 });
    // A number DynamoDB cannot store is refused, not a 500.
    expect((await platform.api('POST', '/admin/metrics', { body: { metrics: [{ orgUnitId: 'n1', period: '2026-11', marketShare: 1e-131 }] } })).status).toBe(400);
  });
});

describe('a commitment that lists its questionnaires', () => {
  it('is declared with a warning for a questionnaire that does not exist, and none for one that does', async () => {
    const res = await platform.api('POST', '/admin/commitments', {
      body: { commitments: [{ id: 'bank.complaint.answer', eventType: 'complaint', from: 'receivedAt', to: 'answeredAt', target: 'P5D', surveys: ['mini-csi', 'mini-cis'] }] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.commitments).toEqual([{ id: 'bank.complaint.answer', status: 'created' }]);
    expect(res.body.warnings).toEqual(['commitment bank.complaint.answer lists "mini-cis", which is no questionnaire yet: until it is published, no report shows the commitment there']);
  });
});
