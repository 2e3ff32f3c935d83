/**
 * The audit trail: appending a write's record (functions/http/admin-route.ts does it for every
 * write through an admin route) and reading it back within the reader's scope.
 */
import { createHash } from 'node:crypto';
import { auditQuerySchema, MAX_AUDIT_QUERY_DAYS, withoutPersonalData, type AuditRecord } from '../domain/access/audit';
import { canonicalJson } from '../domain/canonical-json';
import { invalid, problemsFromZod } from '../domain/errors';
import { offsetMinutes } from '../domain/time-zone';
import type { AccessCheck } from './access';
import type { Deps } from './deps';

const DAY_MS = 86_400_000;

/** sha256 of the body with its personal fields blanked; a body that is not JSON is digested as text. */
export function bodyDigest(body: string): string | undefined {
  if (body.trim() === '') return undefined;
  let digestOf: string;
  try {
    digestOf = canonicalJson(withoutPersonalData(JSON.parse(body)));
  } catch {
    // CSV imports and forms: their personal columns cannot be blanked by name, so the digest is of
    // the length and the first line (the header) only.
    digestOf = `${body.length}\n${body.split('\n', 1)[0] ?? ''}`;
  }
  return createHash('sha256').update(digestOf).digest('hex');
}

export async function appendAudit(deps: Pick<Deps, 'store' | 'config'>, record: AuditRecord): Promise<void> {
  await deps.store.appendAudit(record, deps.config.auditRetentionDays);
}

/** Midnight of a calendar date in the time zone, as an instant. */
function startOfDay(date: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  return utcMidnight - offsetMinutes(utcMidnight, timeZone) * 60_000;
}

/** GET /admin/audit: the records of [from, to] (calendar dates in the platform's zone), newest first, within the reader's scope. */
export async function listAudit(deps: Pick<Deps, 'store' | 'clock' | 'config'>, query: unknown, access: AccessCheck): Promise<{ records: AuditRecord[] }> {
  const parsed = auditQuerySchema.safeParse(query);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid audit query');
  const zone = deps.config.timeZone;
  const now = deps.clock.now();
  const today = new Date(now.getTime() + offsetMinutes(now.getTime(), zone) * 60_000).toISOString().slice(0, 10);
  const to = parsed.data.to ?? today;
  const from = parsed.data.from ?? to;
  const start = startOfDay(from, zone);
  const end = startOfDay(to, zone) + DAY_MS;
  if (end <= start) throw invalid([{ path: 'from', message: '"from" is after "to"' }], 'invalid audit query');
  if (end - start > MAX_AUDIT_QUERY_DAYS * DAY_MS) throw invalid([{ path: 'from', message: `ask for at most ${MAX_AUDIT_QUERY_DAYS} days at once` }], 'invalid audit query');
  if (parsed.data.orgUnit) await access.requireUnits([parsed.data.orgUnit], 'the audit query');

  const days: string[] = [];
  for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS) days.push(new Date(day).toISOString().slice(0, 10));
  const scope = await access.scope();
  const records = (await deps.store.listAudit(days, Math.floor(now.getTime() / 1000))).filter((record) => {
    const at = Date.parse(record.at);
    if (at < start || at >= end) return false;
    if (parsed.data.userId && record.userId !== parsed.data.userId) return false;
    if (parsed.data.orgUnit && !(record.orgUnit && scope.tree.isWithin(record.orgUnit, parsed.data.orgUnit))) return false;
    // A reader scoped below the root sees the records of its subtree only; a record of no unit is the organisation's.
    return record.orgUnit === undefined ? scope.isOrganisationWide : scope.covers(record.orgUnit);
  });
  return { records: records.reverse() };
}
