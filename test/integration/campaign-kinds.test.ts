/**
 * The campaign kinds beyond one-off sends, through the local runtime: mystery-customer draws
 * reported separately, recurring (cron) waves, return-visit schedules, and the per-campaign rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

process.env.MANYI_MINIMUM_N = '1';

let platform: TestPlatform;
const sms = { signature: '【示例银行】', template: { 'zh-CN': '{name}您好，请评价：{link}' }, marketing: false };

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z')); // a Tuesday, 10:00 in Shanghai
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }, { id: 'b1', name: 'B1', parentId: 'hq' }] } });
});
afterAll(async () => {
  await platform?.stop();
});

const at = (iso: string) => platform.clock.freeze(new Date(iso));
const dispatch = async () => (await platform.api('POST', '/admin/jobs/dispatch', { body: {} })).body;
const status = async (campaignId: string) => (await platform.api('GET', `/admin/campaigns/${campaignId}`)).body.invitations;
const outbox = async (campaignId: string) => ((await platform.api('GET', '/dev/outbox?channel=sms')).body as { campaignId: string; body: string }[]).filter((m) => m.campaignId === campaignId);
async function contacts(rows: Record<string, unknown>[]) {
  const res = await platform.api('POST', '/admin/contacts', { body: { contacts: rows } });
  expect(res.status, res.text).toBe(200);
  return (res.body.rows as { contactId: string }[]).map((r) => r.contactId);
}
async function campaign(body: Record<string, unknown>) {
  const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'sms', sms, ...body } });
  expect(res.status, res.text).toBe(201);
  return res.body as { campaignId: string; invitations: { token: string }[] };
}

describe('mystery customers', () => {
  it('draws the sample deterministically and reports its answers separately', async () => {
    at('2026-11-10T02:00:00Z');
    await contacts(Array.from({ length: 6 }, (_, i) => ({ name: `M${i}`, phone: `1390000100${i}`, orgUnitId: 'b1', grade: 'mystery-pool' })));
    const drawn = await campaign({ segment: { grade: 'mystery-pool' }, sample: { size: 2, seed: 'november' } });
    expect(drawn.invitations).toHaveLength(2);
    const again = await platform.api('POST', '/admin/campaigns/preview', { body: { surveyId: 'mini-csi', channel: 'sms', sms, segment: { grade: 'mystery-pool' } } });
    expect(again.body.messages).toHaveLength(6); // the preview shows the whole target
    expect((await status(drawn.campaignId)).every((i: { panel?: string }) => i.panel === 'mystery')).toBe(true);
    for (const invitation of drawn.invitations) {
      expect((await platform.api('POST', `/s/${invitation.token}`, { token: null, body: { answers: { q1: 1, q4: 1 } } })).status).toBe(201);
    }
    const link = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: 'b1' }, { orgUnitId: 'b1' }] } });
    for (const invitation of link.body.invitations) {
      expect((await platform.api('POST', `/s/${invitation.token}`, { token: null, body: { answers: { q1: 5, q4: 5 } } })).status).toBe(201);
    }
    expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } })).status).toBe(200);
    const main = (await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq')).body;
    const mystery = (await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq&panel=mystery')).body;
    expect(main).toMatchObject({ n: 2, csi: 100 });
    expect(mystery).toMatchObject({ n: 2, csi: 0, panel: 'mystery' });
  });
});

describe('recurring campaigns', () => {
  it('sends a wave at every cron occurrence in the campaign time zone, under the frequency cap', async () => {
    at('2026-11-10T02:00:00Z');
    const [id] = await contacts([{ name: 'R1', phone: '13900002001', orgUnitId: 'b1' }]);
    const weekly = await campaign({ contactIds: [id], recurrence: { cron: '0 10 * * 1', timeZone: 'Asia/Shanghai' }, expiresInDays: 14 });
    expect(weekly.invitations).toEqual([]);
    await dispatch();
    expect(await status(weekly.campaignId)).toEqual([]); // Tuesday: not yet
    at('2026-11-16T02:00:30Z'); // Monday 10:00:30 in Shanghai
    await dispatch();
    await dispatch(); // the same occurrence never makes a second wave
    expect(await outbox(weekly.campaignId)).toHaveLength(1);
    at('2026-11-23T02:01:00Z'); // next Monday: a new wave, held back by the 30-day cap
    await dispatch();
    expect((await status(weekly.campaignId)).map((i: { status: string; reason?: string }) => [i.status, i.reason ?? null])).toEqual([
      ['sent', null],
      ['skipped', 'frequency_cap'],
    ]);
  });
});

describe('return-visit schedules', () => {
  it('invites monthly in the first year after delivery, on the contact\'s own anchor date', async () => {
    at('2026-11-10T02:00:00Z');
    const [id] = await contacts([{ name: 'P1', phone: '13900003001', orgUnitId: 'b1', attributes: { deliveredAt: '2026-02-15T10:00:00+08:00' } }]);
    const visits = await campaign({
      contactIds: [id],
      schedule: { anchor: 'deliveredAt', rules: [{ every: 'P1M', until: 'P1Y' }, { every: 'P3M' }] },
      exemptFromFrequencyCap: true,
    });
    await dispatch();
    expect(await status(visits.campaignId)).toEqual([]); // the 15th has not come
    at('2026-11-15T02:30:00Z'); // 10:30 on 15 November
    await dispatch();
    expect(await outbox(visits.campaignId)).toHaveLength(1);
    at('2026-12-15T02:30:00Z');
    await dispatch();
    expect(await outbox(visits.campaignId)).toHaveLength(2); // monthly, not held back by the cap
  });
});

describe('rate limit', () => {
  it('sends at most ratePerMinute messages of a campaign in a minute; the rest follow', async () => {
    at('2027-01-05T02:00:00Z');
    const ids = await contacts(Array.from({ length: 5 }, (_, i) => ({ name: `L${i}`, phone: `1390000400${i}`, orgUnitId: 'b1' })));
    const limited = await campaign({ contactIds: ids, sms: { ...sms, ratePerMinute: 2 } });
    await dispatch();
    expect(await outbox(limited.campaignId)).toHaveLength(2);
    at('2027-01-05T02:01:00Z');
    await dispatch();
    expect(await outbox(limited.campaignId)).toHaveLength(4);
    at('2027-01-05T02:02:00Z');
    await dispatch();
    expect(await outbox(limited.campaignId)).toHaveLength(5);
  });
});
