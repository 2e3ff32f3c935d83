/**
 * What GET /admin/reports costs the table, counted at the DynamoDB client through HTTP against
 * dynalite: with a period and a unit, at most three calls (the latest computed version, one
 * BatchGetItem of the unit's report, previous report, trend points, compliance figures and, once
 * per container, the questionnaire version, and one BatchGetItem of the parent's report with the
 * declarations of commitments the questions name). The trend comes from the points the
 * computation stores beside each report, and follows the reports when a month is recomputed.
 * Beside these, in parallel, the cases section's two index Queries (the month's cases and the open
 * ones, projected; functions/app/case-figures.ts) and the scorecard's one (the period's operating
 * figures; functions/app/scorecard.ts): this fixture has neither, so nothing more.
 */
process.env.MANYI_MINIMUM_N = '1'; // a handful of responses per unit: nothing withheld

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseRecord } from '../../functions/domain/records';
import { dynamoStore } from '../../functions/store/dynamo-store';
import { Table } from '../../functions/store/table';
import { getReport, TREND_PERIODS } from '../../functions/app/reports';
import { trendPointOf } from '../../functions/app/report-intervals';
import type { UnitReport } from '../../functions/app/report-model';
import { periodsEndingWith } from '../../functions/domain/period';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;
let version: number;
const SURVEY = 'gap-commitments';
const PERIODS = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

// hq > r1 > {b1, b2}; hq > r2 > b3. b1 answers in every month but August, one more each month;
// b2 once a month; b3 only in September; r2 itself only in November.
const units = [
  { id: 'hq', name: 'Head office' },
  { id: 'r1', name: 'Region 1', parentId: 'hq' },
  { id: 'b1', name: 'Branch 1', parentId: 'r1' },
  { id: 'b2', name: 'Branch 2', parentId: 'r1' },
  { id: 'r2', name: 'Region 2', parentId: 'hq' },
  { id: 'b3', name: 'Branch 3', parentId: 'r2' },
];
const answerSets = [
  { r1a: 4, r1e: 7, r1p: 5, r2e: 6, r2p: 6, m1e: 5, m1p: 6, t1: 5 },
  { r1a: 5, r1e: 6, r1p: 6, r2e: 7, r2p: 4, m1e: 6, m1p: 4, t1: 2 },
  { r1a: 3, r1e: 5, r1p: 6, r2e: 5, r2p: 5, m1e: 4, m1p: 7, t1: 4 },
];

let serial = 0;
async function respond(orgUnitId: string, period: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    serial += 1;
    const id = `inv-${String(serial).padStart(4, '0')}`;
    const response: ResponseRecord = {
      responseId: `rsp-${id}`,
      invitationId: id,
      campaignId: 'cmp-reads',
      surveyId: SURVEY,
      version,
      orgUnitId,
      channel: 'link',
      period,
      submittedAt: `${period}-15T02:00:00.${String(serial % 1000).padStart(3, '0')}Z`,
      lang: 'en',
      answers: answerSets[serial % answerSets.length]!,
    };
    expect(await platform.deps.store.putResponseOnce(`token-${response.invitationId}`, response)).toBe('created');
  }
}

const compute = async (period: string) => {
  const res = await platform.api('POST', '/admin/jobs/compute-indices', { body: { period } });
  expect(res.status, res.text).toBe(200);
};

beforeAll(async () => {
  platform = await startTestPlatform();
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('gap-commitments.yaml') })).status).toBe(201);
  version = (await platform.deps.store.getLatestSurveyVersion(SURVEY))!.version;
  expect((await platform.api('POST', '/admin/org-units', { body: { units } })).status).toBe(200);
  // t1 names gas.repair.handle; no service events, so its title comes from the declaration.
  const declared = await platform.api('POST', '/admin/commitments', {
    body: { commitments: [{ id: 'gas.repair.handle', title: { 'zh-CN': '6小时内处理', en: 'Handled within 6 hours' }, eventType: 'repair', from: 'reportedAt', to: 'handledAt', target: 'PT6H' }] },
  });
  expect(declared.status, declared.text).toBe(200);
  for (const [i, period] of PERIODS.entries()) {
    if (period !== '2026-08') await respond('b1', period, i + 1);
    await respond('b2', period, 1);
    if (period === '2026-09') await respond('b3', period, 2);
    if (period === '2026-11') await respond('r2', period, 3);
    await compute(period);
  }
});
afterAll(async () => {
  await platform?.stop();
});

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand']);

async function callsOf<T>(request: () => Promise<T>): Promise<{ result: T; reads: string[]; writes: string[] }> {
  const before = platform.commands.length;
  const result = await request();
  const commands = platform.commands.slice(before);
  return { result, reads: commands.filter((c) => READS.has(c)), writes: commands.filter((c) => !READS.has(c)) };
}

/** The reads of a report: its own, and the cases section's two Queries and the scorecard's one beside them (order not fixed). */
const reportReads = (own: string[]) => [...own, 'QueryCommand', 'QueryCommand', 'QueryCommand'].sort();
const sorted = (reads: string[]) => [...reads].sort();

const get = (unit: string, extra = '', headers: Record<string, string> = {}) =>
  platform.api('GET', `/admin/reports/${SURVEY}?period=2026-11&orgUnit=${unit}${extra}`, { headers });

/** The trend as the stored reports give it: each month's report of the unit, read one by one. */
async function trendFromReports(unit: string) {
  return Promise.all(
    periodsEndingWith('2026-11', TREND_PERIODS).map(async (period) => {
      const stored = await platform.deps.store.getReport<UnitReport>(SURVEY, period, version, unit);
      return { period, ...(stored ? trendPointOf(stored.report) : { n: 0, csi: null }) };
    }),
  );
}

describe('report reads', () => {
  it('a branch: the version, one batch, the parent batch; nothing written', async () => {
    const { result: res, reads, writes } = await callsOf(() => get('b1'));
    expect(res.status, res.text).toBe(200);
    expect(sorted(reads)).toEqual(reportReads(['QueryCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']));
    expect(writes).toEqual([]);
    expect(res.body.trend).toEqual(await trendFromReports('b1'));
    expect(res.body.trend).toHaveLength(24);
    expect(res.body.trend.map((p: { n: number }) => p.n).slice(-6)).toEqual([1, 2, 0, 4, 5, 6]);
    // The points keep the CSI's interval and the elements' scores: the summary's chart draws them.
    const november = res.body.trend.at(-1);
    expect(november.ci95).toEqual(res.body.csiCi95);
    expect(november.ci95[0]).toBeLessThan(november.csi);
    expect(november.ci95[1]).toBeGreaterThan(november.csi);
    expect(Object.keys(november.elements)).toEqual(res.body.elements.map((e: { id: string }) => e.id));
    expect(res.body.trend.at(-2).ci95).toEqual(expect.any(Array));
    // The previous month's report and the parent's were both read: the marks name them.
    expect(res.body.significance.previous).toEqual({ period: '2026-10' });
    expect(res.body.significance.parent).toEqual({ orgUnit: 'r1', rest: 1 });
    expect(res.body.commitments).toEqual([expect.objectContaining({ id: 'gas.repair.handle', title: { 'zh-CN': '6小时内处理', en: 'Handled within 6 hours' } })]);
  });

  it('the head office without a parent, and a named version without the version query', async () => {
    const hq = await callsOf(() => get('hq'));
    expect(hq.result.status).toBe(200);
    // No parent; the second batch holds only the declaration of the commitment t1 names.
    expect(sorted(hq.reads)).toEqual(reportReads(['QueryCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']));
    expect(hq.result.body.trend).toEqual(await trendFromReports('hq'));
    expect(hq.result.body.significance.parent).toBeNull();

    const named = await callsOf(() => get('b2', `&version=${version}`));
    expect(named.result.status).toBe(200);
    expect(sorted(named.reads)).toEqual(reportReads(['BatchGetItemCommand', 'BatchGetItemCommand']));
    expect(named.result.body.trend).toEqual(await trendFromReports('b2'));
  });

  it('without a commitment to declare, a root reads two: the version and one batch', async () => {
    // A container whose questionnaire names no commitment (the stored version, its link removed
    // in this store's memory): nothing to declare, so no second batch at a root.
    const store = dynamoStore(new Table(platform.deps.store.client, platform.deps.store.tableName));
    const stored = (await store.getSurveyVersion(SURVEY, version))!;
    for (const question of stored.definition.questions) delete (question as { commitment?: string }).commitment;
    const { result, reads } = await callsOf(() => getReport({ ...platform.deps, store }, { surveyId: SURVEY, period: '2026-11', orgUnit: 'hq' }));
    expect(sorted(reads)).toEqual(reportReads(['QueryCommand', 'BatchGetItemCommand']));
    expect(result.commitments).toBeUndefined();
    expect(result.trend).toEqual(await trendFromReports('hq'));
  });

  it('a fresh container reads the questionnaire version in its first batch, then keeps it (the page too)', async () => {
    const store = dynamoStore(new Table(platform.deps.store.client, platform.deps.store.tableName));
    const deps = { ...platform.deps, store };
    const first = await callsOf(() => getReport(deps, { surveyId: SURVEY, period: '2026-11', orgUnit: 'b1' }));
    expect(sorted(first.reads)).toEqual(reportReads(['QueryCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']));
    expect(first.result.commitments?.[0]?.title?.en).toBe('Handled within 6 hours'); // the questionnaire was read: t1 names it
    const version = await callsOf(() => store.getSurveyVersion(SURVEY, first.result.version));
    expect(version.result?.version).toBe(first.result.version);
    expect(version.reads).toEqual([]);

    // The HTML page reads the questionnaire again through the platform's store: from memory.
    const page = await callsOf(() => get('b1', '&lang=en', { accept: 'text/html' }));
    expect(page.result.status).toBe(200);
    // The page names the units of its breadcrumb and ranks the units below: one Query of the tree
    // and one BatchGetItem of the league's trend points more than the JSON.
    expect(sorted(page.reads)).toEqual(reportReads(['QueryCommand', 'BatchGetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'BatchGetItemCommand']));
    expect(page.result.text).toContain('Region 1</a>');
  });

  it('the trend follows a recomputed month, and a month whose report went shows nothing', async () => {
    const before = (await get('r2')).body.trend;
    expect(before.find((p: { period: string }) => p.period === '2026-09')).toMatchObject({ n: 2 });

    // More answers in July at b1: July's points are rewritten with its reports.
    await respond('b1', '2026-07', 3);
    await compute('2026-07');
    const b1 = (await get('b1')).body.trend;
    expect(b1.find((p: { period: string }) => p.period === '2026-07')).toMatchObject({ n: 5 });
    expect(b1).toEqual(await trendFromReports('b1'));

    // b3 moves to r1: recomputed, September has no report of r2 any more, nor a trend point.
    expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'b3', name: 'Branch 3', parentId: 'r1' }] } })).status).toBe(200);
    await compute('2026-09');
    expect(await platform.deps.store.getReport(SURVEY, '2026-09', version, 'r2')).toBeUndefined();
    const r2 = (await get('r2')).body.trend;
    expect(r2.find((p: { period: string }) => p.period === '2026-09')).toEqual({ period: '2026-09', n: 0, csi: null });
    expect(r2).toEqual(await trendFromReports('r2'));
  });

  it('nothing computed, or an unknown questionnaire: 404 as before (asking for the questionnaire then)', async () => {
    const none = await callsOf(() => platform.api('GET', `/admin/reports/${SURVEY}?period=2025-01&orgUnit=hq`));
    expect(none.result.status).toBe(404);
    expect(none.result.text).toContain('nothing computed');
    // A page reader gets a page saying so, not JSON.
    const page = await platform.api('GET', `/admin/reports/${SURVEY}?period=2025-01&orgUnit=hq&lang=en`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('No report for this period');
    const unknownPage = await platform.api('GET', '/admin/reports/no-such-survey?period=2026-11&orgUnit=hq&lang=en', { headers: { accept: 'text/html' } });
    expect(unknownPage.status).toBe(404);
    expect(unknownPage.text).toContain('No such questionnaire');
    const unknown = await platform.api('GET', '/admin/reports/no-such-survey?period=2026-11&orgUnit=hq');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('unknown questionnaire');
    const badPeriod = await platform.api('GET', '/admin/reports/no-such-survey?period=2026-13&orgUnit=hq');
    expect(badPeriod.status).toBe(404);
  });
});
