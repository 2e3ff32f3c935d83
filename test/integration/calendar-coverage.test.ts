/**
 * The working-day calendar running out, in the platform (local HTTP adapter, dynalite): the
 * published data (cn.json) ends on 2026-12-31. A complaint commitment of 5 working days; events of
 * December 2026 whose deadlines reach into January 2027; an organisation non-working day for one
 * branch. Checked: the notice on the report (JSON and page) from 60 days before the end, the
 * weekends-only figures marked provisional, the period kept marked and computed again by every run
 * until a calendar with 2027 is there, then recomputed with final figures; a change of the
 * organisation's days marks the periods it touches.
 *
 * The 2027 year given below is test data (元旦 1-3 January), not the State Council's notice.
 */
process.env.MANYI_MINIMUM_N = '1';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warnOfCalendarEnd } from '../../functions/app/commitments';
import { calendarFromData, defaultCalendarSettings, validateCommitments } from '../../functions/domain/commitments';
import cnData from '../../functions/domain/commitments/calendars/cn.json' with { type: 'json' };
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;
const PERIOD = '2026-12';
const at = (instant: string) => platform.clock.freeze(new Date(instant));

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2027-01-10T04:00:00Z'));
});
afterAll(async () => {
  await platform?.stop();
});

const units = [
  { id: 'hq', name: 'Head office' },
  { id: 'gx', name: 'Guangxi', parentId: 'hq' },
  { id: 'gx-nn', name: 'Nanning', parentId: 'gx' },
  { id: 'gd', name: 'Guangdong', parentId: 'hq' },
];

const reply = { id: 'complaint.reply', title: { 'zh-CN': '投诉5个工作日内答复', en: 'Complaints answered within 5 working days' }, eventType: 'complaint', from: 'receivedAt', to: 'repliedAt', target: { workingDays: 5 }, calendar: 'cn', surveys: ['gap-commitments'] };
// Monday 7 December 2026 is a non-working day for Guangxi's subtree only.
const gxDay = { date: '2026-12-07', name: { 'zh-CN': '区内停业日', en: 'Regional closure' }, units: ['gx'] };

let phone = 13800000500;
const complaint = (eventId: string, orgUnitId: string, receivedAt: string, repliedAt: string) => ({
  eventId,
  type: 'complaint',
  orgUnitId,
  contact: { name: `客户${eventId}`, phone: String(phone++) },
  occurredAt: receivedAt,
  closedAt: repliedAt,
  receivedAt,
  repliedAt,
});

/**
 * d1 gd     received Mon 28 Dec 10:00, replied Tue 5 Jan 10:00. Weekends only: 29, 30, 31 Dec, Fri 1 and
 *           Mon 4 Jan -> deadline 4 Jan 23:59:59: missed by 10 h 1 s, provisional. With 元旦 1-3 Jan:
 *           29, 30, 31, 4, 5 -> deadline 5 Jan: met.
 * d2 gd     received Tue 1 Dec, replied Wed 2 Dec: met (deadline 8 Dec, inside 2026).
 * d3 gx-nn  received Fri 4 Dec 10:00, replied Sat 12 Dec 10:00. Guangxi skips Mon 7 Dec: 8, 9, 10,
 *           11, 14 -> deadline Mon 14 Dec: met. (Without that day: 7-11 -> 11 Dec: it would be missed.)
 */
const events = [
  complaint('d1', 'gd', '2026-12-28T10:00:00+08:00', '2027-01-05T10:00:00+08:00'),
  complaint('d2', 'gd', '2026-12-01T10:00:00+08:00', '2026-12-02T10:00:00+08:00'),
  complaint('d3', 'gx-nn', '2026-12-04T10:00:00+08:00', '2026-12-12T10:00:00+08:00'),
];

const figures = async (orgUnit: string) => {
  const res = await platform.api('GET', `/admin/reports/gap-commitments?period=${PERIOD}&orgUnit=${orgUnit}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { commitments: Record<string, unknown>[]; calendarNotices?: Record<string, unknown>[] };
};
const compute = async () => {
  const res = await platform.api('POST', '/admin/jobs/compute-indices', { body: {} });
  expect(res.status, res.text).toBe(200);
};

describe('when the working-day calendar runs out', () => {
  it('sets up: a questionnaire, units, the commitment with the organisation day, December events', async () => {
    expect((await platform.api('POST', '/admin/surveys', { body: fixture('gap-commitments.yaml') })).status).toBe(201);
    expect((await platform.api('POST', '/admin/org-units', { body: { units } })).status).toBe(200);
    const bad = await platform.api('POST', '/admin/commitments', { body: { commitments: [reply], calendars: { cn: { fallback: 'guess' } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['calendars.cn.fallback']);

    const declared = await platform.api('POST', '/admin/commitments', { body: { commitments: [reply], calendars: { cn: { nonWorkingDays: [gxDay] } } } });
    expect(declared.status, declared.text).toBe(200);
    expect(declared.body).toEqual({ commitments: [{ id: 'complaint.reply', status: 'created' }], calendars: [{ id: 'cn', status: 'created' }] });
    const listed = await platform.api('GET', '/admin/commitments');
    expect(listed.body.calendars).toEqual({ cn: { fallback: 'weekends', nonWorkingDays: [gxDay] } });
    // A first declaration of a day in December 2026 marks the periods its deadlines can reach, up to now.
    expect((await platform.deps.store.listComplianceRecomputes()).map((m) => m.period)).toEqual(['2026-11', '2026-12', '2027-01']);

    for (const body of events) {
      const res = await platform.api('POST', '/admin/service-events', { body });
      expect(res.status, res.text).toBeLessThan(300);
    }
    // A unit's report exists once it has responses of the period: one in each branch, in December.
    at('2026-12-15T04:00:00Z');
    const campaign = await platform.api('POST', '/admin/campaigns', {
      body: { surveyId: 'gap-commitments', channel: 'link', contacts: [{ orgUnitId: 'gd' }, { orgUnitId: 'gx-nn' }] },
    });
    expect(campaign.status, campaign.text).toBe(201);
    for (const { token } of campaign.body.invitations as { token: string }[]) {
      const res = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { r1a: 4, r1e: 6, r1p: 5, r2e: 6, r2p: 5, m1e: 5, m1p: 6, t1: 4 } } });
      expect(res.status, res.text).toBe(201);
    }
    at('2027-01-10T04:00:00Z');
    await compute();
  });

  it('reports weekends-only figures as provisional, with the unit days applied where they belong', async () => {
    const [hq] = (await figures('hq')).commitments;
    // d1 missed (provisional), d2 met, d3 met.
    expect(hq).toMatchObject({ id: 'complaint.reply', calendar: 'cn', n: 3, met: 2, missed: 1, provisional: true, provisionalEvents: 1 });
    expect(hq?.meanOverrun).toBeCloseTo(10 + 1 / 3600, 9);
    expect((await figures('gd')).commitments[0]).toMatchObject({ n: 2, met: 1, provisional: true, provisionalEvents: 1 });
    expect((await figures('gx')).commitments[0]).toMatchObject({ n: 1, met: 1, provisional: false, provisionalEvents: 0 });
    // The period stays marked: every run computes it again until the figures are final.
    expect(await platform.deps.store.listComplianceRecomputes()).toEqual([expect.objectContaining({ period: '2026-12', reason: 'provisional' })]);
  });

  it('warns on the report from 60 days before the end of the data, and after it', async () => {
    at('2027-01-10T04:00:00Z');
    expect((await figures('hq')).calendarNotices).toEqual([{ calendar: 'cn', coveredThrough: '2026-12-31', daysLeft: -10, fallback: 'weekends', missingYear: 2027 }]);
    at('2026-12-03T04:00:00Z');
    expect((await figures('hq')).calendarNotices).toEqual([expect.objectContaining({ daysLeft: 28 })]);
    at('2026-10-31T15:00:00Z'); // 23:00 on 31 October in Shanghai: 61 days left
    expect((await figures('hq')).calendarNotices).toBeUndefined();

    at('2026-12-03T04:00:00Z');
    const path = `/admin/reports/gap-commitments?period=${PERIOD}&orgUnit=hq`;
    const zh = await platform.api('GET', `${path}&lang=zh-CN&view=commitments`, { headers: { accept: 'text/html' } });
    expect(zh.text).toContain('工作日历「cn」的节假日数据截至 2026-12-31（还剩 28 天）。请按国务院办公厅关于 2027 年部分节假日安排的通知补充数据');
    expect(zh.text).toContain('<span class="tag">暂定</span>');
    const en = await platform.api('GET', `${path}&lang=en&view=commitments`, { headers: { accept: 'text/html' } });
    expect(en.text).toContain('The working-day calendar &quot;cn&quot; has public holidays through 2026-12-31 (28 days left)');
    expect(en.text).toContain('Provisional: 1 working-day deadline counted days whose public holidays are not published yet');
  });

  it('warns in the log of the computation, naming the year to add', () => {
    const warnings: unknown[][] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (...args: unknown[]) => void warnings.push(args) };
    const validation = validateCommitments({ commitments: [reply] });
    if (!validation.ok) throw new Error('fixture');
    const settings = new Map([['cn', defaultCalendarSettings()]]);
    warnOfCalendarEnd({ clock: { now: () => new Date('2026-12-03T04:00:00Z') }, logger }, validation.commitments, settings);
    expect(warnings).toEqual([[expect.stringContaining('working-day calendar runs out'), { calendar: 'cn', coveredThrough: '2026-12-31', daysLeft: 28, fallback: 'weekends', missingYear: 2027 }]]);
    warnings.length = 0;
    warnOfCalendarEnd({ clock: { now: () => new Date('2026-10-01T04:00:00Z') }, logger }, validation.commitments, settings);
    expect(warnings).toEqual([]);
    // A commitment of exact duration does not depend on the calendar: nothing to warn of.
    const exact = validateCommitments({ commitments: [{ ...reply, target: 'P5D', calendar: undefined }] });
    if (!exact.ok) throw new Error('fixture');
    warnOfCalendarEnd({ clock: { now: () => new Date('2026-12-03T04:00:00Z') }, logger }, exact.commitments, settings);
    expect(warnings).toEqual([]);
  });

  it('recomputes the marked period once the year is in, although it is no longer current or previous', async () => {
    at('2027-03-10T04:00:00Z'); // current 2027-03, previous 2027-02
    await compute();
    // Still no 2027 data: still provisional, still marked.
    expect((await figures('hq')).commitments[0]).toMatchObject({ met: 2, provisional: true });
    expect((await platform.deps.store.listComplianceRecomputes()).map((m) => m.period)).toEqual(['2026-12']);

    platform.deps.calendars = {
      cn: calendarFromData({
        ...cnData,
        years: { ...cnData.years, 2027: { source: 'test data, not a notice', holidays: [{ name: { 'zh-CN': '元旦', en: "New Year's Day" }, from: '2027-01-01', to: '2027-01-03' }], workdays: [] } },
      }),
    };
    await compute();
    const [hq] = (await figures('hq')).commitments;
    expect(hq).toMatchObject({ n: 3, met: 3, missed: 0, provisional: false, provisionalEvents: 0, meanOverrun: null });
    expect((await figures('hq')).calendarNotices).toBeUndefined();
    expect(await platform.deps.store.listComplianceRecomputes()).toEqual([]);
  });

  it('marks the periods a change of the organisation days touches, and computes them once', async () => {
    // Guangdong closes on Tuesday 29 December too: d1 then counts 30, 31, 4, 5, 6 -> still met.
    const moved = await platform.api('POST', '/admin/commitments', { body: { calendars: { cn: { nonWorkingDays: [gxDay, { date: '2026-12-29', units: ['gd'] }] } } } });
    expect(moved.body).toEqual({ commitments: [], calendars: [{ id: 'cn', status: 'updated' }] });
    const marks = await platform.deps.store.listComplianceRecomputes();
    expect(marks.map((m) => m.period)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect(new Set(marks.map((m) => m.reason))).toEqual(new Set(['calendar settings']));
    const again = await platform.api('POST', '/admin/commitments', { body: { calendars: { cn: { nonWorkingDays: [gxDay, { date: '2026-12-29', units: ['gd'] }] } } } });
    expect(again.body.calendars).toEqual([{ id: 'cn', status: 'unchanged' }]);

    await compute();
    expect(await platform.deps.store.listComplianceRecomputes()).toEqual([]);
    expect((await figures('gd')).commitments[0]).toMatchObject({ n: 2, met: 2, provisional: false });
  });
});
