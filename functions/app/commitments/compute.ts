/**
 * Compliance per commitment, unit and period, computed from the service events as part of the
 * scheduled computation. Events are listed by month through GSI1 (`EVENTS#YYYY-MM`, the month of
 * occurredAt in Asia/Shanghai); one compliance report is stored per period and unit
 * (`COMMITMENTS_REPORT#YYYY-MM` / `UNIT#id`, docs/storage.md). Every read is a GetItem or a Query.
 */
import {
  accumulateEvent,
  complianceSummary,
  emptyComplianceAccumulator,
  eventPeriod,
  mergeComplianceAccumulators,
  type Commitment,
  type ComplianceAccumulator,
  type ServiceEvent,
} from '../../domain/commitments';
import type { OrgTree } from '../../domain/org';
import { periodOf, shiftPeriod } from '../../domain/period';
import type { CommitmentFigures, CommitmentsReportRecord, ServiceEventRecord } from '../../domain/records';
import type { Deps } from '../deps';
import { listCommitments } from './declare';

/** A stored event as the domain sees it: the posted timestamp fields, occurredAt and closedAt. */
export function domainEvent(record: ServiceEventRecord): ServiceEvent {
  const timestamps: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(record.fields ?? {})) {
    if (typeof value === 'string') timestamps[name] = value;
    else if (value === null) timestamps[name] = null;
  }
  timestamps.occurredAt = record.occurredAt;
  timestamps.closedAt = record.closedAt ?? null;
  return { eventId: record.eventId, type: record.type, orgUnitId: record.orgUnitId, timestamps };
}

/**
 * The period an event counts in for a commitment: the month of its `from` in the commitment's time
 * zone; an event without a readable `from` (unmeasurable) counts in the month it occurred.
 */
function periodFor(commitment: Commitment, event: ServiceEvent, occurredAt: string): string | null {
  const byFrom = eventPeriod(commitment, event);
  if (byFrom) return byFrom;
  const occurred = new Date(occurredAt);
  return Number.isNaN(occurred.getTime()) ? null : periodOf(occurred, commitment.timeZone);
}

const eventsCounted = (acc: ComplianceAccumulator): number => acc.met + acc.missed + acc.pending + acc.unmeasurable;

/**
 * Part of the scheduled computation: compliance per commitment, unit and period. Events are read
 * by month through GSI1 (the period and the months either side, since `from` and occurredAt may
 * fall in different months or time zones), kept when their period for the commitment is this
 * one, folded per unit, rolled up the organisation (a unit's figures come from every event in its
 * subtree; percentiles from all the durations), and stored as one report per unit.
 */
export async function computeCommitments(deps: Deps, period: string, tree: OrgTree): Promise<void> {
  const commitments = (await listCommitments(deps)).commitments;
  if (commitments.length === 0) return;
  const now = deps.clock.now();

  const records = new Map<string, ServiceEventRecord>();
  for (const month of [shiftPeriod(period, -1), period, shiftPeriod(period, 1)]) {
    for (const record of await deps.store.serviceEventsOfMonth(month)) records.set(record.eventId, record);
  }

  // commitment id -> unit id -> the unit's own events folded in
  const own = new Map<string, Map<string, ComplianceAccumulator>>(commitments.map((c) => [c.id, new Map()]));
  let unattributed = 0;
  for (const record of records.values()) {
    const event = domainEvent(record);
    for (const commitment of commitments) {
      if (event.type !== commitment.eventType || periodFor(commitment, event, record.occurredAt) !== period) continue;
      if (!tree.has(event.orgUnitId)) {
        unattributed += 1;
        continue;
      }
      const byUnit = own.get(commitment.id) as Map<string, ComplianceAccumulator>;
      let acc = byUnit.get(event.orgUnitId);
      if (!acc) byUnit.set(event.orgUnitId, (acc = emptyComplianceAccumulator()));
      accumulateEvent(commitment, acc, event, now);
    }
  }

  const totals = commitments.map((commitment) => ({
    commitment,
    byUnit: tree.rollUp(own.get(commitment.id) as Map<string, ComplianceAccumulator>, emptyComplianceAccumulator, mergeComplianceAccumulators),
  }));
  const computedAt = now.toISOString();
  const reports: CommitmentsReportRecord[] = [];
  for (const unitId of tree.bottomUp()) {
    const figures: CommitmentFigures[] = totals.flatMap(({ commitment, byUnit }) => {
      const acc = byUnit.get(unitId);
      if (!acc || eventsCounted(acc) === 0) return [];
      return [{ ...complianceSummary(commitment.id, acc), ...(commitment.title ? { title: commitment.title } : {}) }];
    });
    if (figures.length > 0) reports.push({ period, orgUnitId: unitId, computedAt, commitments: figures });
  }
  await deps.store.replaceCommitmentsReports(period, reports);
  deps.logger.info('commitments computed', { period, commitments: commitments.length, events: records.size, units: reports.length, unattributed });
}
