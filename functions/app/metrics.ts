/**
 * POST /admin/metrics and GET /admin/metrics: the operating figures per unit and period
 * (functions/domain/metrics.ts), JSON or CSV with the same column names. A request is taken whole
 * or refused whole: every problem names its row (`metrics[3].marketShare`, in CSV `row 4.marketShare`).
 */
import { invalid, problemsFromZod, type Problem } from '../domain/errors';
import { metricsFromCsv, metricsRequestSchema, type UnitMetrics } from '../domain/metrics';
import { OrgTree } from '../domain/org';
import { periodOf, PERIOD_PATTERN } from '../domain/period';
import { MAX_ID_LENGTH } from '../domain/primitives';
import * as z from '../domain/zod';
import type { AccessCheck } from './access';
import type { Deps } from './deps';

const csvRowPath = (path: string): string => path.replace(/^metrics\[(\d+)\]/, (_, i: string) => `row ${Number(i) + 1}`);

export async function postMetrics(deps: Pick<Deps, 'store' | 'clock'>, input: { json: unknown } | { csv: string }, access: AccessCheck): Promise<{ stored: number }> {
  const fromCsv = 'csv' in input;
  const located = (problems: readonly Problem[]) => (fromCsv ? problems.map((problem) => ({ ...problem, path: csvRowPath(problem.path) })) : [...problems]);
  const parsed = metricsRequestSchema.safeParse(fromCsv ? metricsFromCsv(input.csv) : input.json);
  if (!parsed.success) throw invalid(located(problemsFromZod(parsed.error.issues)), 'invalid metrics');
  const rows = parsed.data.metrics;
  // Scope first: a caller below the root learns nothing of units outside it (unknown or not, 403).
  await access.requireUnits(new Set(rows.map((row) => row.orgUnitId)), 'the units of these figures');
  const tree = new OrgTree(await deps.store.listOrgUnits());
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    if (!tree.has(row.orgUnitId)) problems.push({ path: `metrics[${i}].orgUnitId`, message: `unknown org unit "${row.orgUnitId}"` });
    const key = `${row.period}\u0000${row.orgUnitId}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push({ path: `metrics[${i}]`, message: `the same unit and period as ${fromCsv ? `row ${first + 1}` : `metrics[${first}]`}: give each once` });
    else seen.set(key, i);
  });
  if (problems.length > 0) throw invalid(located(problems), 'invalid metrics');
  await deps.store.putMetrics(rows, deps.clock.now().toISOString());
  return { stored: rows.length };
}

const metricsQuerySchema = z.strictObject({
  period: z.optional(z.string().check(z.regex(PERIOD_PATTERN, { error: 'expected a month written YYYY-MM' }))),
  orgUnit: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH))),
});

/** GET /admin/metrics?period=&orgUnit=: the figures of a period (default: this month) of the units in scope, or of one unit's subtree. */
export async function listMetrics(deps: Pick<Deps, 'store' | 'clock' | 'config'>, query: unknown, access: AccessCheck): Promise<{ period: string; metrics: UnitMetrics[] }> {
  const parsed = metricsQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid query');
  const period = parsed.data.period ?? periodOf(deps.clock.now(), deps.config.timeZone);
  if (parsed.data.orgUnit) await access.requireUnits([parsed.data.orgUnit], 'the figures');
  const tree = new OrgTree(await deps.store.listOrgUnits());
  const root = parsed.data.orgUnit;
  const metrics: UnitMetrics[] = [];
  for (const row of await deps.store.metricsOf(period)) {
    if (root !== undefined && !tree.isWithin(row.orgUnitId, root)) continue;
    if (await access.covers(row.orgUnitId)) metrics.push(row);
  }
  return { period, metrics: metrics.sort((a, b) => a.orgUnitId.localeCompare(b.orgUnitId)) };
}
