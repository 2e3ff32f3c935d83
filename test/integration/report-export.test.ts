/**
 * GET /admin/reports/{surveyId}/export (issue #15) through HTTP on dynalite: the league table as CSV
 * ranked by CSI with the withheld and empty units last, the response-level data of a subtree with
 * text answers only for callers who may see personal data and formulas neutralised, the workbook,
 * the PDF read back (text extracted by PDF.js), the same bytes twice, the response-level data
 * refused to executives, and unknown formats and layouts refused by name.
 */
process.env.MANYI_MINIMUM_N = '2';

import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { createTestUser, type TestUser } from '../helpers/users';

let platform: TestPlatform;
let analyst: TestUser;
let executive: TestUser;
const tokenOf = async (user: TestUser) => (await platform.tokens.forUser((await platform.deps.store.getUser(user.userId))!)).token;

const units = [
  // Rare characters of GB2312's second level (亳 鄞 濮 衢) beside common ones: the PDF must show them all.
  { id: 'hq', name: '亳州·鄞州·濮阳·衢州总部' },
  { id: 'b1', name: 'Branch One', parentId: 'hq' },
  { id: 'b2', name: 'Branch Two', parentId: 'hq' },
  { id: 'b3', name: 'Branch Three', parentId: 'hq' },
  { id: 'b4', name: 'Branch Four', parentId: 'hq' },
];

async function answerAt(orgUnitId: string, answers: Record<string, unknown>): Promise<void> {
  const created = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId }] } });
  expect(created.status, created.text).toBe(201);
  const token = (created.body.invitations as { token: string }[])[0]!.token;
  const res = await platform.api('POST', `/s/${token}`, { token: null, body: { answers, lang: 'zh-CN' } });
  expect(res.status, res.text).toBe(201);
}

const exportOf = (query: string, token?: string) => platform.api('GET', `/admin/reports/mini-csi/export?period=2026-11&orgUnit=hq&${query}`, token ? { token } : {});

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/org-units', { body: { units } })).status).toBe(200);
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  // b1 lower than b2, both with two answers; b3 one answer (withheld at n 2); b4 none.
  for (const q of [2, 3]) await answerAt('b1', { q1: q, q2: q, q3: 3, q4: q, q5: q, channel: 'counter', comment: '=HYPERLINK("http://x")' });
  for (const q of [4, 5]) await answerAt('b2', { q1: q, q2: q, q3: 2, q4: q, q5: q, channel: 'app' });
  await answerAt('b3', { q1: 5, q4: 5 });
  expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } })).status).toBe(200);
  analyst = await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'], pii: true });
  executive = await createTestUser(platform, { role: 'executive', orgUnits: ['hq'] });
});
afterAll(async () => {
  await platform?.stop();
});

const lines = (text: string) => text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');

describe('report exports', () => {
  it('gives the league table ranked by CSI, withheld and empty units last, to executives too', async () => {
    const res = await exportOf('format=csv', await tokenOf(executive));
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="mini-csi-2026-11-hq-league.csv"');
    const [header, ...rows] = lines(res.text);
    expect(header).toBe('rank,orgUnit,name,n,csi,ciLower,ciUpper,change,versusReference,note');
    const cells = rows.map((row) => row.split(','));
    // Ranked by CSI: b2 above b1; then the units without a figure by name: b4 (no answers), b3 (withheld).
    expect(cells.map((c) => [c[0], c[1], c[3], c[9]])).toEqual([
      ['1', 'b2', '2', ''],
      ['2', 'b1', '2', ''],
      ['', 'b4', '0', 'no answers'],
      ['', 'b3', '1', 'withheld'],
    ]);
    expect(Number(cells[0]![4])).toBeGreaterThan(Number(cells[1]![4]));
    const again = await exportOf('format=csv', await tokenOf(executive));
    expect(again.text).toBe(res.text);
    // Every unit at depth 1 of the tree: here the same units, from their stored trend points.
    const level = await exportOf('format=csv&level=1', await tokenOf(executive));
    expect(level.status, level.text).toBe(200);
    expect(level.text).toBe(res.text);
    expect((await exportOf('format=csv&level=2')).text.trimEnd().split('\r\n')).toHaveLength(1);
    expect((await exportOf('format=csv&table=responses&level=1')).status).toBe(400);
    // A level at or above the unit's own depth is refused by name.
    const above = await platform.api('GET', '/admin/reports/mini-csi/export?period=2026-11&orgUnit=b1&format=csv&level=1');
    expect(above.status).toBe(400);
    expect(above.body.errors[0].path).toBe('level');
  });

  it('gives analysts one row per response, text answers only with pii and formulas neutralised', async () => {
    const withPii = await exportOf('format=csv&table=responses', await tokenOf(analyst));
    expect(withPii.status, withPii.text).toBe(200);
    const [header, ...rows] = lines(withPii.text);
    expect(header).toBe('responseId,submittedAt,orgUnitId,staffId,channel,lang,version,q1,q2,q3,q4,q5,answer.channel,comment');
    // b3's one response is left out: b3 is below the minimum n of 2, as in the reports.
    expect(rows).toHaveLength(4);
    expect(rows.some((row) => row.split(',')[2] === 'b3')).toBe(false);
    expect(rows.filter((row) => row.includes('"\'=HYPERLINK(""http://x"")"'))).toHaveLength(2);
    // The break-glass token has no pii: no comment column.
    const withoutPii = await exportOf('format=csv&table=responses');
    expect(lines(withoutPii.text)[0]).toBe('responseId,submittedAt,orgUnitId,staffId,channel,lang,version,q1,q2,q3,q4,q5,answer.channel');
    expect(withoutPii.text).not.toContain('HYPERLINK');
    expect((await exportOf('format=csv&table=responses', await tokenOf(analyst))).text).toBe(withPii.text);
  });

  it('gives the report as a workbook: a sheet per section, numbers as numbers with formats, header rows frozen, the same bytes twice', async () => {
    const fetchBytes = async () => {
      const res = await fetch(`${platform.url}/admin/reports/mini-csi/export?period=2026-11&orgUnit=hq&format=xlsx&lang=en`, { headers: { authorization: `Bearer ${await tokenOf(executive)}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="mini-csi-2026-11-hq.xlsx"');
      return Buffer.from(await res.arrayBuffer());
    };
    const bytes = await fetchBytes();
    expect((await fetchBytes()).equals(bytes)).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((ws) => ws.name)).toEqual(['Summary', 'Index tree', 'League', 'Trend']);
    const league = workbook.getWorksheet('League')!;
    expect(league.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((league.getRow(2).values as unknown[]).slice(1, 6)).toEqual([1, 'b2', 'Branch Two', 2, expect.any(Number)]);
    expect(league.getColumn(5).numFmt).toBe('0.0');
    const csi = (await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq')).body.csi as number;
    expect(workbook.getWorksheet('Summary')!.getRow(7).getCell(2).value).toBe(csi);
  });

  it('gives the report as an A4 PDF: the unit names in an embedded CJK subset, the CSI, 服务监督报告, the same bytes twice', async () => {
    const fetchBytes = async (query: string) => {
      const res = await fetch(`${platform.url}/admin/reports/mini-csi/export?period=2026-11&orgUnit=hq&format=pdf&${query}`, { headers: { authorization: `Bearer ${await tokenOf(executive)}` } });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      return { bytes: Buffer.from(await res.arrayBuffer()), disposition: res.headers.get('content-disposition') };
    };
    const monthly = await fetchBytes('layout=monthly&lang=zh-CN');
    expect(monthly.disposition).toBe('attachment; filename="mini-csi-2026-11-hq-monthly.pdf"');
    expect(monthly.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await fetchBytes('layout=monthly&lang=zh-CN')).bytes.equals(monthly.bytes)).toBe(true);
    // A subset of the font, not its 10 MB.
    expect(monthly.bytes.length).toBeLessThan(300_000);
    const { text, totalPages } = await extractText(await getDocumentProxy(new Uint8Array(monthly.bytes)), { mergePages: true });
    expect(totalPages).toBeGreaterThanOrEqual(4);
    const json = (await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq')).body;
    expect(text).toContain('服务监督报告');
    // Extracted text of a line may break between glyph runs: look for the names without spaces.
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('亳州·鄞州·濮阳·衢州总部');
    for (const name of ['BranchOne', 'BranchTwo']) expect(flat).toContain(name);
    expect(flat).toContain(json.csi.toFixed(1));
    const english = await fetchBytes('lang=en');
    const englishText = (await extractText(await getDocumentProxy(new Uint8Array(english.bytes)), { mergePages: true })).text;
    expect(englishText).toContain('Satisfaction report');
    expect(englishText).not.toContain('服务监督报告');
  });

  it('refuses the response-level data to executives and the formats not built yet by name', async () => {
    expect((await exportOf('format=csv&table=responses', await tokenOf(executive))).status).toBe(403);
    expect((await exportOf('format=xlsx&table=responses')).status).toBe(400);
    expect((await exportOf('format=pdf&table=responses')).status).toBe(400);
    expect((await exportOf('format=pdf&layout=weekly')).body.errors[0]).toMatchObject({ path: 'layout' });
    expect((await exportOf('format=doc')).status).toBe(400);
    expect((await platform.api('GET', '/admin/reports/mini-csi/export?period=2026-11&orgUnit=hq')).status).toBe(400);
  });
});
