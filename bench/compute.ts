/**
 * Computation benchmark: `npx tsx bench/compute.ts [N ...]` (default 10000 50000).
 *
 * The shipped bank questionnaire (surveys/bank-branch-csi.yaml) over an organisation of 1,011 units
 * (HQ > 10 regions > 100 branches > 900 outlets), on one in-process dynalite. For each N (growing on
 * the same table: the responses of the smaller N stay), the responses are spread at random over the
 * outlets in one month and written straight to the table; then, in process, a full run and
 * incremental runs after k = 0, 100 and 1,000 new responses. For every run it prints the wall time,
 * the DynamoDB calls, the items and bytes read and written (counted at the client: items in the
 * answers of reads, items in the requests of writes, bytes of the requests and answers' JSON), and
 * the process's peak RSS so far, and CPU time. Unless `--first-month`, October holds 10,000
 * responses, computed before the runs: its HQ estimates are what November's small units borrow
 * (functions/app/computation/period.ts), as in any month but a questionnaire's first. At the end: the full run's time per response at each N and their
 * ratio to the smallest N's (flat is the goal), and the goals of issue 10 beside the figures.
 * It prints figures; it is not a test.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { computeIndices } from '../functions/app/compute';
import { plausibleAnswers } from '../functions/local/demo';
import { startBenchPlatform } from './platform';
import { seededRandom } from '../functions/domain/pls';
import { AdjustableClock } from '../functions/shared/clock';
import { keys } from '../functions/store/keys';
import { Table } from '../functions/store/table';
import type { ResponseRecord } from '../functions/domain/records';

const args = process.argv.slice(2);
const sizes = args.map(Number).filter((n) => n > 0);
/** Without a computed previous month, small units borrow this month's root estimates (see below). */
const firstMonth = args.includes('--first-month');
const targets = sizes.length > 0 ? sizes : [10_000, 50_000];
const PERIOD = '2026-11';
const SURVEY = 'bank-branch-csi';

const clock = new AdjustableClock();
clock.freeze(new Date('2026-11-20T00:00:00Z'));
const { platform, admin } = await startBenchPlatform(clock);
const { deps } = platform;

// Counting at the client: every call, what it read and what it wrote.
const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand']);
/** The size of a request or answer as it travels (binary attributes as base64, as the HTTP API carries them). */
const wireBytes = (value: unknown) => JSON.stringify(value, (_key, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)).length;
const counts = { calls: 0, itemsRead: 0, bytesRead: 0, itemsWritten: 0, bytesWritten: 0 };
const itemsIn = (output: Record<string, any>): unknown[] => [
  ...(output.Items ?? []),
  ...(output.Item ? [output.Item] : []),
  ...Object.values((output.Responses ?? {}) as Record<string, unknown[]>).flat(),
];
deps.store.client.middlewareStack.add(
  (next, context) => async (args) => {
    const name = String(context.commandName);
    const input = args.input as Record<string, any>;
    counts.calls += 1;
    if (!READS.has(name)) {
      counts.bytesWritten += wireBytes(input);
      counts.itemsWritten += name === 'BatchWriteItemCommand' ? Object.values(input.RequestItems as Record<string, unknown[]>).flat().length : 1;
    }
    const result = await next(args);
    if (READS.has(name)) {
      const items = itemsIn(result.output as Record<string, any>);
      counts.itemsRead += items.length;
      counts.bytesRead += wireBytes(items);
    }
    return result;
  },
  // After the document client's marshalling: the figures are those of the wire format.
  { step: 'serialize', name: 'benchCounts', priority: 'low' },
);


const regions = Array.from({ length: 10 }, (_, r) => `r${r}`);
const branches = Array.from({ length: 100 }, (_, b) => ({ id: `b${b}`, parentId: regions[b % 10]! }));
const outlets = Array.from({ length: 900 }, (_, o) => ({ id: `o${o}`, parentId: branches[o % 100]!.id }));
const units = [
  { id: 'hq', name: 'HQ' },
  ...regions.map((id) => ({ id, name: `Region ${id}`, parentId: 'hq' })),
  ...branches.map(({ id, parentId }) => ({ id, name: `Branch ${id}`, parentId })),
  ...outlets.map(({ id, parentId }) => ({ id, name: `Outlet ${id}`, parentId })),
];

// Seeding writes straight to the table (the runs' counts are reset before each run).
const table = new Table(deps.store.client, deps.store.tableName);
const random = seededRandom(20261202);
let seeded = 0;
const monthStart = Date.parse('2026-11-01T00:00:00Z');

/** Writes `count` responses, submitted in order after the ones before (at `from` onwards, a second apart). */
async function seed(count: number, from: number, period = PERIOD): Promise<void> {
  const questionnaire = (await deps.store.getLatestSurveyVersion(SURVEY))!.definition;
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const invitationId = `inv-${period}-${String(seeded + i).padStart(8, '0')}`;
    const submittedAt = new Date(from + i * 1000).toISOString();
    const outlet = outlets[Math.floor(random() * outlets.length)]!.id;
    const response: ResponseRecord = {
      responseId: `rsp-${invitationId}`,
      invitationId,
      campaignId: 'bench',
      surveyId: SURVEY,
      version: questionnaire.version,
      orgUnitId: outlet,
      channel: 'link',
      period,
      submittedAt,
      lang: 'zh-CN',
      answers: plausibleAnswers(questionnaire, 0.4 + random() * 0.5, random),
    } as ResponseRecord;
    items.push({ ...keys.response(invitationId), ...keys.responseBySurveyPeriod(SURVEY, period, submittedAt, invitationId), entity: 'Response', ...response });
  }
  for (let start = 0; start < items.length; start += 2000) await table.batchPut(items.slice(start, start + 2000));
  seeded += count;
}

interface Row { run: string; n: number; wallMs: number; cpuMs: number; calls: number; itemsRead: number; bytesRead: number; itemsWritten: number; bytesWritten: number; rssMb: number; read: number }
const rows: Row[] = [];

async function run(label: string, n: number, full: boolean): Promise<Row> {
  Object.assign(counts, { calls: 0, itemsRead: 0, bytesRead: 0, itemsWritten: 0, bytesWritten: 0 });
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const summary = await computeIndices(deps, { period: PERIOD, full });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const row = { run: label, n, wallMs, ...counts, rssMb: process.resourceUsage().maxRSS / 1024, read: summary.read, cpuMs: (process.cpuUsage(cpuBefore).user + process.cpuUsage(cpuBefore).system) / 1000 };
  rows.push(row);
  console.log(
    [label.padEnd(18), String(n).padStart(8), `${(wallMs / 1000).toFixed(2)} s`.padStart(9), `${(row.cpuMs / 1000).toFixed(2)} s`.padStart(8), String(row.calls).padStart(7), String(row.itemsRead).padStart(8), mb(row.bytesRead).padStart(9), String(row.itemsWritten).padStart(7), mb(row.bytesWritten).padStart(9), `${row.rssMb.toFixed(0)} MB`.padStart(8), String(row.read).padStart(7)].join(' '),
  );
  return row;
}
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

try {
  await admin('/admin/surveys', parse(readFileSync(new URL('../surveys/bank-branch-csi.yaml', import.meta.url), 'utf8')));
  await admin('/admin/org-units', { units });
  console.log(`bank questionnaire, ${units.length} units, period ${PERIOD}, node ${process.version}`);
  console.log(['run'.padEnd(18), 'N'.padStart(8), 'wall'.padStart(9), 'CPU'.padStart(8), 'calls'.padStart(7), 'read'.padStart(8), 'bytes'.padStart(9), 'written'.padStart(7), 'bytes'.padStart(9), 'peak RSS'.padStart(8), 'resp.'.padStart(7)].join(' '));
  if (!firstMonth) {
    const october = Date.parse('2026-10-01T00:00:00Z');
    await seed(10_000, october, '2026-10');
    seeded -= 10_000; // November's count starts at 0
    clock.freeze(new Date(october + 10_000 * 1000 + 3_600_000));
    const started = process.hrtime.bigint();
    await computeIndices(deps, { period: '2026-10' });
    console.log(`(October: 10,000 responses computed in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s; November's small units borrow its HQ estimates)`);
  } else console.log('(first month: no previous month to borrow from)');
  const fullRuns: Row[] = [];
  for (const target of targets) {
    // The base responses of this N, a second apart from the start of the month; new ones after them.
    if (target > seeded) await seed(target - seeded, monthStart + seeded * 1000);
    const n = seeded;
    clock.freeze(new Date(monthStart + n * 1000 + 3_600_000));
    fullRuns.push(await run('full', n, true));
    await run('incremental k=0', n, false);
    for (const k of [100, 1000]) {
      await seed(k, clock.now().getTime() + 60_000);
      clock.freeze(new Date(clock.now().getTime() + 60_000 + k * 1000 + 3_600_000));
      await run(`incremental k=${k}`, seeded, false);
    }
  }
  const base = fullRuns[0]!;
  console.log('\nfull run, time per response:');
  for (const row of fullRuns) console.log(`  N = ${row.n}: ${((row.wallMs / row.n) * 1000).toFixed(1)} µs, ${(row.wallMs / row.n / (base.wallMs / base.n)).toFixed(2)}x N = ${base.n}'s`);
  const last = fullRuns.at(-1)!;
  console.log(`\n1M responses extrapolated from N = ${last.n} at that time per response: ${((last.wallMs / last.n) * 1e6 / 60_000).toFixed(1)} min`);
  console.log('goals (issue 10, at N = 50,000): incremental k=100 < 2 s, k=0 < 0.5 s, full < 15 s; time per response flat from 10,000 to 200,000');
} finally {
  await platform.stop();
}
