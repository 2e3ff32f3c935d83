/**
 * Report benchmark: `npx tsx bench/reports.ts [requests] [months]` (defaults 50 and 24).
 *
 * On one in-process dynalite, seeds a bank of 1,000 units (HQ > 10 regions > 100 branches > 889
 * outlets) with 24 months of reports of surveys/bank-branch-csi.yaml, then times GET
 * /admin/reports/{surveyId}?period=P&orgUnit=U through the AdminReports handler in process (server
 * time: middy, the admin guard, the reads, the read-time rules, the JSON) for the head office and
 * for a branch, and prints the median, the p95 and the DynamoDB calls of each request (goal: the
 * HQ report at most 300 ms; at most three calls). Then it times the exports through the
 * ReportExports handler: the head office's report as XLSX, and the league of all 889 outlets
 * (`level=3`) as CSV.
 *
 * Seeding: the computation runs once over 120 responses at two outlets of one branch, which gives
 * a real report for each level (HQ, region, branch, outlet); every unit and month then gets its
 * level's report with its own ids, names, path, children, and n and CSI varied by unit and month,
 * written through the store as the computation writes them (replaceReports and putReportTrend).
 * A report item is about 40 KB and dynalite takes some 20 ms to store one, so 24 months take
 * minutes; `months` 6 seeds only the months a report reads (its trend's six) in a quarter of that.
 */
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { parse } from 'yaml';
import { computeIndices } from '../functions/app/compute';
import type { UnitReport } from '../functions/app/report-model';
import { periodsEndingWith } from '../functions/domain/period';
import type { ReportRecord } from '../functions/domain/records';
import { seededRandom } from '../functions/domain/pls';
import { createAdminReportsHandler } from '../functions/http/admin-reports';
import { createReportExportsHandler } from '../functions/http/report-exports';
import { BREAK_GLASS_ISSUER } from '../functions/http/caller';
import type { HttpEvent } from '../functions/http/middleware';
import { plausibleAnswers } from '../functions/local/demo';
import { startBenchPlatform } from './platform';
import { trendPointOf } from '../functions/app/report-intervals';

const requests = Number(process.argv[2] ?? 50);
const PERIOD = '2026-11';
const PERIODS = periodsEndingWith(PERIOD, Number(process.argv[3] ?? 24));
const { platform, admin } = await startBenchPlatform();
const { store } = platform.deps;

const commands: string[] = [];
store.client.middlewareStack.add(
  (next, context) => async (args) => {
    commands.push(String(context.commandName));
    return next(args);
  },
  { step: 'initialize', name: 'benchCommands' },
);


const milliseconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

// HQ > 10 regions > 100 branches (10 each) > 889 outlets (9 under the first 89 branches, 8 under the rest).
const units: { id: string; name: string; parentId?: string; level: number }[] = [{ id: 'hq', name: 'Head office', level: 0 }];
for (let r = 1; r <= 10; r++) units.push({ id: `region-${pad(r, 2)}`, name: `Region ${r}`, parentId: 'hq', level: 1 });
for (let b = 1; b <= 100; b++) units.push({ id: `branch-${pad(b, 3)}`, name: `Branch ${b}`, parentId: `region-${pad(Math.ceil(b / 10), 2)}`, level: 2 });
let outlet = 0;
for (let b = 1; b <= 100; b++) {
  for (let k = 0; k < (b <= 89 ? 9 : 8); k++) {
    outlet += 1;
    units.push({ id: `outlet-${pad(outlet, 4)}`, name: `Outlet ${outlet}`, parentId: `branch-${pad(b, 3)}`, level: 3 });
  }
}
const byId = new Map(units.map((u) => [u.id, u]));
const childrenOf = new Map<string, string[]>();
for (const u of units) if (u.parentId) childrenOf.set(u.parentId, [...(childrenOf.get(u.parentId) ?? []), u.id]);
const pathOf = (id: string): string[] => {
  const unit = byId.get(id)!;
  return unit.parentId ? [...pathOf(unit.parentId), id] : [id];
};

try {
  const seedStart = process.hrtime.bigint();
  await admin('/admin/surveys', parse(readFileSync(new URL('../surveys/bank-branch-csi.yaml', import.meta.url), 'utf8')));
  await admin('/admin/org-units', { units: units.map(({ level: _level, ...unit }) => unit) });
  const questionnaire = (await store.getLatestSurveyVersion('bank-branch-csi'))!.definition;
  const { id: surveyId, version } = questionnaire;

  // Real report bodies: 120 responses at outlets 1 and 2 (branch 1, region 1), computed once.
  const random = seededRandom(20261123);
  const templatePeriod = PERIODS[0]!;
  for (let i = 0; i < 120; i++) {
    await store.putResponseOnce(`token-bench-${i}`, {
      responseId: `rsp-bench-${i}`,
      invitationId: `inv-bench-${i}`,
      campaignId: 'cmp-bench',
      surveyId,
      version,
      orgUnitId: i % 2 === 0 ? 'outlet-0001' : 'outlet-0002',
      channel: 'link',
      period: templatePeriod,
      submittedAt: `${templatePeriod}-15T02:${pad(Math.floor(i / 60), 2)}:${pad(i % 60, 2)}.000Z`,
      lang: 'zh-CN',
      answers: plausibleAnswers(questionnaire, 0.7, random) as Record<string, number>,
    });
  }
  await computeIndices(platform.deps, { period: templatePeriod });
  const templates = await Promise.all(['hq', 'region-01', 'branch-001', 'outlet-0001'].map((id) => store.getReport<UnitReport>(surveyId, templatePeriod, version, id)));
  if (templates.some((t) => !t)) throw new Error('the computation gave no template report');
  const templateBytes = templates.map((t) => JSON.stringify(t).length);

  // Every unit and month: its level's report, its own identity, n and CSI varied.
  const figures = (id: string, month: number) => {
    const level = byId.get(id)!.level;
    const h = [...id].reduce((acc, c) => (acc * 31 + c.charCodeAt(0)) % 9973, month * 7919);
    const n = [2400, 240, 24, 12][level]! + (h % 7);
    const csi = Math.round((72 + (h % 150) / 10 + month * 0.1) * 100) / 100;
    return { n, csi };
  };
  let written = 0;
  for (const [month, period] of PERIODS.entries()) {
    const computedAt = `${period}-28T00:00:00.000Z`;
    const reports: ReportRecord<UnitReport>[] = units.map((unit) => {
      const template = templates[unit.level]!.report;
      const own = figures(unit.id, month);
      return {
        surveyId,
        version,
        period,
        orgUnitId: unit.id,
        computedAt,
        report: {
          ...template,
          period,
          orgUnit: unit.id,
          orgUnitName: unit.name,
          path: pathOf(unit.id),
          ...own,
          children: (childrenOf.get(unit.id) ?? []).map((child) => ({ orgUnit: child, name: byId.get(child)!.name, ...figures(child, month) })),
          computedAt,
        },
      };
    });
    await store.replaceReports(surveyId, period, version, reports);
    await store.putReportTrend(surveyId, period, version, reports.map((r) => ({ orgUnitId: r.orgUnitId, point: trendPointOf(r.report) })));
    written += reports.length;
  }
  const seedMs = milliseconds(seedStart);

  const handler = createAdminReportsHandler(platform.deps);
  const context = { awsRequestId: 'bench', functionName: 'AdminReports' } as Context;
  const request = async (orgUnit: string, accept = 'application/json') => {
    const event = {
      version: '2.0',
      routeKey: 'GET /admin/reports/{surveyId}',
      rawPath: `/admin/reports/${surveyId}`,
      rawQueryString: `period=${PERIOD}&orgUnit=${orgUnit}`,
      headers: { accept },
      queryStringParameters: { period: PERIOD, orgUnit },
      pathParameters: { surveyId },
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: `/admin/reports/${surveyId}` }, requestId: 'bench', routeKey: 'GET /admin/reports/{surveyId}', authorizer: { jwt: { claims: { sub: 'bench', iss: BREAK_GLASS_ISSUER } } } },
    } as unknown as HttpEvent;
    const before = commands.length;
    const start = process.hrtime.bigint();
    const result = await handler(event, context);
    const ms = milliseconds(start);
    if (result.statusCode !== 200) throw new Error(`report answered ${result.statusCode}: ${result.body}`);
    return { ms, calls: commands.slice(before), bytes: String(result.body ?? '').length };
  };

  console.log(`seeded ${units.length} units x ${PERIODS.length} months = ${written} reports (level templates ${templateBytes.map((b) => `${Math.round(b / 1000)} KB`).join(', ')}) in ${(seedMs / 1000).toFixed(1)} s`);
  console.log(`${requests} requests each after 5 warm-up, period ${PERIOD}, server time in process:`);
  console.log('| unit | median | p95 | calls per request | response |');
  console.log('| --- | ---: | ---: | --- | ---: |');
  for (const [orgUnit, accept] of [['hq', 'application/json'], ['branch-042', 'application/json'], ['hq', 'text/html'], ['branch-042', 'text/html']] as const) {
    for (let i = 0; i < 5; i++) await request(orgUnit, accept);
    const times: number[] = [];
    const calls = new Set<string>();
    let bytes = 0;
    for (let i = 0; i < requests; i++) {
      const r = await request(orgUnit, accept);
      times.push(r.ms);
      calls.add(`${r.calls.length} (${r.calls.map((c) => c.replace(/Command$/, '')).join(', ')})`);
      bytes = r.bytes;
    }
    console.log(`| ${orgUnit}${accept === 'text/html' ? ' (summary page)' : ''} | ${quantile(times, 0.5).toFixed(2)} ms | ${quantile(times, 0.95).toFixed(2)} ms | ${[...calls].join('; ')} | ${Math.round(bytes / 1000)} KB |`);
  }

  // The exports: a workbook of the head office, and the league of every outlet.
  const exportsHandler = createReportExportsHandler(platform.deps);
  const exportOnce = async (query: Record<string, string>) => {
    const event = {
      version: '2.0',
      routeKey: 'GET /admin/reports/{surveyId}/export',
      rawPath: `/admin/reports/${surveyId}/export`,
      rawQueryString: new URLSearchParams(query).toString(),
      headers: {},
      queryStringParameters: query,
      pathParameters: { surveyId },
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: `/admin/reports/${surveyId}/export` }, requestId: 'bench', routeKey: 'GET /admin/reports/{surveyId}/export', authorizer: { jwt: { claims: { sub: 'bench', iss: BREAK_GLASS_ISSUER } } } },
    } as unknown as HttpEvent;
    const start = process.hrtime.bigint();
    const result = await exportsHandler(event, { ...context, functionName: 'ReportExports' } as Context);
    const ms = milliseconds(start);
    if (result.statusCode !== 200) throw new Error(`export answered ${result.statusCode}: ${result.body}`);
    const body = String(result.body ?? '');
    const file = result.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body);
    // A PDF's pages: its page objects (the page tree node is /Type /Pages).
    const pages = query.format === 'pdf' ? (file.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length : 0;
    return { ms, bytes: file.length, pages };
  };
  console.log('| export | median | p95 | first call | file |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [label, query] of [
    ['hq, xlsx', { period: PERIOD, orgUnit: 'hq', format: 'xlsx' }],
    ['hq, league of all outlets (level=3), csv', { period: PERIOD, orgUnit: 'hq', format: 'csv', level: '3' }],
    ['hq, monthly PDF (服务监督报告), zh-CN', { period: PERIOD, orgUnit: 'hq', format: 'pdf', layout: 'monthly', lang: 'zh-CN' }],
    ['hq, PDF with the league of all branches (level=2)', { period: PERIOD, orgUnit: 'hq', format: 'pdf', level: '2', lang: 'zh-CN' }],
    ['hq, PDF with the league of all outlets (level=3)', { period: PERIOD, orgUnit: 'hq', format: 'pdf', level: '3', lang: 'zh-CN' }],
  ] as const) {
    // The first call of a kind: for the PDF it includes reading and parsing the 10 MB font.
    const first = await exportOnce(query);
    await exportOnce(query);
    const times: number[] = [];
    let bytes = 0;
    let pages = 0;
    for (let i = 0; i < Math.max(5, Math.ceil(requests / 5)); i++) {
      const r = await exportOnce(query);
      times.push(r.ms);
      bytes = r.bytes;
      pages = r.pages;
    }
    console.log(`| ${label} | ${quantile(times, 0.5).toFixed(1)} ms | ${quantile(times, 0.95).toFixed(1)} ms | ${first.ms.toFixed(1)} ms | ${Math.round(bytes / 1000)} KB${pages ? `, ${pages} pages` : ''} |`);
  }
} finally {
  await platform.stop();
}
