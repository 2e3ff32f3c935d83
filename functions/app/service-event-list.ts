/**
 * The console's reads of service events and commitment compliance (issue #13, page 6):
 *
 * - GET /admin/service-events?period=&orgUnit=&cursor=&limit=: a month's events in the caller's
 *   scope (optionally one unit's subtree), newest first, cursor-paged. An event's extra fields are
 *   what its source system posted and may hold personal data (a number may be a phone number), so
 *   a caller without `pii` sees only those that are instants or booleans (what a commitment measures).
 * - GET /admin/commitments/compliance?period=&orgUnit=: the compliance figures the monthly
 *   computation stored for a unit (over its subtree), or none yet.
 */
import * as z from '../domain/zod';
import { invalid, problemsFromZod } from '../domain/errors';
import { periodOf } from '../domain/period';
import type { CommitmentFigures, ServiceEventRecord } from '../domain/records';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import { decodePageCursor, encodePageCursor } from './list-pages';

const periodSchema = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'expected a month YYYY-MM' }));
const unitIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected 1-64 letters, digits, "_", "." or "-"' }));

const listQuerySchema = z.strictObject({
  period: z.optional(periodSchema),
  orgUnit: z.optional(unitIdSchema),
  cursor: z.optional(z.string().check(z.maxLength(500))),
  limit: z._default(z.pipe(z.string().check(z.regex(/^\d{1,3}$/, { error: 'expected 1-100' })), z.transform(Number)).check(z.gte(1), z.lte(100)), 50),
});

/** Where a page ended, and of which list: a cursor of another month or unit is refused, not misread. */
const cursorSchema = z.strictObject({ at: z.number(), eventId: z.string(), period: z.string(), orgUnit: z.string() });
type Cursor = z.infer<typeof cursorSchema>;

const encode = (cursor: Cursor) => encodePageCursor(cursor);
const decode = (cursor: string) => decodePageCursor(cursor, cursorSchema);

/** An event as the list shows it: the record without its bookkeeping, fields filtered for the reader. */
export type ServiceEventView = Omit<ServiceEventRecord, 'fingerprint'>;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const measurable = (value: unknown) => typeof value === 'boolean' || (typeof value === 'string' && INSTANT.test(value));

/** An event's instant: texts with different offsets compare as the instants they name. */
const instantOf = (event: Pick<ServiceEventRecord, 'occurredAt'>) => Date.parse(event.occurredAt);
/** Newest first; ties by id, so paging is stable. */
const newestFirst = (a: { at: number; eventId: string }, b: { at: number; eventId: string }) => b.at - a.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

async function unitOrScope(access: AccessCheck, orgUnit: string | undefined): Promise<(unitId: string) => Promise<boolean>> {
  if (!orgUnit) return (unitId) => access.covers(unitId);
  await access.requireUnits([orgUnit], 'the list');
  const scope = await access.scope();
  return async (unitId) => scope.tree.isWithin(unitId, orgUnit);
}

export async function listServiceEvents(deps: Pick<Deps, 'store' | 'clock' | 'config'>, query: unknown, access: AccessCheck): Promise<{ period: string; events: ServiceEventView[]; cursor?: string }> {
  const parsed = listQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid query');
  const { orgUnit, cursor, limit } = parsed.data;
  const period = parsed.data.period ?? periodOf(deps.clock.now(), deps.config.timeZone);
  const after = cursor ? decode(cursor) : undefined;
  if (after && (after.period !== period || after.orgUnit !== (orgUnit ?? ''))) {
    throw invalid([{ path: 'cursor', message: 'the cursor belongs to another month or unit: start again without it' }], 'invalid cursor');
  }
  const included = await unitOrScope(access, orgUnit);
  // A month is one GSI partition, read whole (as the computation reads it); pages are cut from it.
  const events = (await deps.store.serviceEventsOfMonth(period)).map((event) => ({ at: instantOf(event), eventId: event.eventId, event })).sort(newestFirst);
  const page: (typeof events)[number][] = [];
  let more = false;
  for (const entry of events) {
    if (after && newestFirst(entry, after) <= 0) continue;
    if (!(await included(entry.event.orgUnitId))) continue;
    if (page.length === limit) {
      more = true;
      break;
    }
    page.push(entry);
  }
  const last = page[page.length - 1];
  return {
    period,
    events: page.map(({ event }) => ({
      eventId: event.eventId,
      type: event.type,
      orgUnitId: event.orgUnitId,
      ...(event.staffId ? { staffId: event.staffId } : {}),
      contactId: event.contactId,
      occurredAt: event.occurredAt,
      ...(event.closedAt ? { closedAt: event.closedAt } : {}),
      fields: access.pii ? event.fields : Object.fromEntries(Object.entries(event.fields).filter(([, value]) => measurable(value))),
      recordedAt: event.recordedAt,
    })),
    ...(more && last ? { cursor: encode({ at: last.at, eventId: last.eventId, period, orgUnit: orgUnit ?? '' }) } : {}),
  };
}

const complianceQuerySchema = z.strictObject({ period: z.optional(periodSchema), orgUnit: z.optional(unitIdSchema) });

export async function commitmentCompliance(
  deps: Pick<Deps, 'store' | 'clock' | 'config'>,
  query: unknown,
  access: AccessCheck,
): Promise<{ period: string; orgUnitId: string; computedAt: string | null; commitments: CommitmentFigures[] }> {
  const parsed = complianceQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid query');
  const period = parsed.data.period ?? periodOf(deps.clock.now(), deps.config.timeZone);
  const scope = await access.scope();
  // Without a unit: the caller's first unit (the organisation's root for an organisation-wide scope).
  const orgUnitId = parsed.data.orgUnit ?? scope.units.find((unit) => scope.tree.has(unit));
  if (!orgUnitId) throw invalid([{ path: 'orgUnit', message: 'give the unit (your scope holds none of the tree)' }], 'invalid query');
  await access.requireUnits([orgUnitId], 'the compliance figures');
  const report = await deps.store.getCommitmentsReport(period, orgUnitId);
  return { period, orgUnitId, computedAt: report?.computedAt ?? null, commitments: report?.commitments ?? [] };
}
