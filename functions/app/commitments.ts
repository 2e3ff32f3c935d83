/**
 * Service commitments in the platform: declarations (POST /admin/commitments and
 * surveys/commitments/*.yaml), compliance per unit and period computed from the service events,
 * and the report's "promise as recorded beside promise as felt".
 *
 * Storage (docs/storage.md): declarations in one partition (`COMMITMENTS`), events listed
 * by month through GSI1 (`EVENTS#YYYY-MM`, the month of occurredAt in Asia/Shanghai), and one
 * compliance report per period and unit (`COMMITMENTS_REPORT#YYYY-MM` / `UNIT#id`). Every read is
 * a GetItem or a Query.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  accumulateEvent,
  comparePromises,
  commitmentQuestions,
  complianceSummary,
  emptyComplianceAccumulator,
  eventPeriod,
  mergeComplianceAccumulators,
  validateCommitments,
  type Commitment,
  type ComplianceAccumulator,
  type ServiceEvent,
} from '../domain/commitments';
import { DomainError, invalid } from '../domain/errors';
import type { OrgTree } from '../domain/org';
import { periodOf, shiftPeriod } from '../domain/period';
import { canonicalJson, type Questionnaire } from '../domain/questionnaire';
import type { ElementScore } from '../domain/scoring';
import { questionnaireFilesIn } from '../shared/questionnaire-files';
import type { CommitmentFigures, CommitmentsReportRecord, ServiceEventRecord } from '../domain/records';
import type { Deps } from './deps';
import type { ReportCommitment, UnitReport } from './report-model';

export type DeclarationStatus = 'created' | 'updated' | 'unchanged';

export interface DeclareResult {
  commitments: { id: string; status: DeclarationStatus }[];
}

const fingerprintOf = (commitment: Commitment): string => createHash('sha256').update(canonicalJson(commitment)).digest('hex');

/**
 * POST /admin/commitments `{ commitments: [...] }`: validated as a whole (400 with path-named
 * errors, nothing stored), then each declaration replaces the one with its id; other declared
 * commitments stay. The same content again changes nothing (`unchanged`).
 */
export async function declareCommitments(deps: Pick<Deps, 'store' | 'clock'>, input: unknown): Promise<DeclareResult> {
  const result = validateCommitments(input);
  if (!result.ok) throw invalid(result.errors, 'the commitments are invalid');
  const now = deps.clock.now().toISOString();
  const declared: DeclareResult['commitments'] = [];
  for (const commitment of result.commitments) {
    const fingerprint = fingerprintOf(commitment);
    const existing = await deps.store.getCommitment(commitment.id);
    if (existing?.fingerprint === fingerprint) {
      declared.push({ id: commitment.id, status: 'unchanged' });
      continue;
    }
    await deps.store.putCommitment({ commitmentId: commitment.id, definition: commitment, fingerprint, declaredAt: existing?.declaredAt ?? now, updatedAt: now });
    declared.push({ id: commitment.id, status: existing ? 'updated' : 'created' });
  }
  return { commitments: declared };
}

/** GET /admin/commitments: every declared commitment, by id. */
export async function listCommitments(deps: Pick<Deps, 'store'>): Promise<{ commitments: Commitment[] }> {
  const records = await deps.store.listCommitmentRecords();
  return { commitments: records.map((record) => record.definition).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

/** The local runtime declares the commitments of every *.yaml in this directory at start, one line per file. */
export async function publishCommitmentsDirectory(deps: Pick<Deps, 'store' | 'clock'>, dir: string, print: (line: string) => void): Promise<void> {
  for (const file of questionnaireFilesIn(dir)) {
    let document: unknown;
    try {
      document = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      print(`  ${file}: not declared: ${String((error as Error).message).split('\n')[0]}`);
      continue;
    }
    try {
      const { commitments } = await declareCommitments(deps, document);
      const count = (status: DeclarationStatus) => commitments.filter((c) => c.status === status).length;
      const changed = count('created') + count('updated');
      print(
        `  ${file}: ${commitments.length} commitment${commitments.length === 1 ? '' : 's'} ` +
          (changed === 0 ? 'unchanged' : `declared (${count('created')} new, ${count('updated')} updated, ${count('unchanged')} unchanged)`),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      print(`  ${file}: not declared: ${error.problems.map((p) => `${p.path}: ${p.message}`).join('; ') || error.message}`);
    }
  }
}

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

function questionScoresOf(report: UnitReport): Record<string, { score: number | null; n: number }> {
  const scores: Record<string, { score: number | null; n: number }> = {};
  for (const element of (report.elements ?? []) as ElementScore[]) {
    for (const indicator of element.indicators) for (const question of indicator.questions) scores[question.id] = { score: question.score, n: question.n };
  }
  return scores;
}

const noEvents = (id: string): CommitmentFigures => ({
  ...complianceSummary(id, emptyComplianceAccumulator()),
});

/**
 * Adds the unit's commitment figures to a survey report at read time (one GetItem): every
 * commitment with events in the unit's subtree that period, plus those the questionnaire's
 * questions name; `felt` is the score of the first question naming the commitment.
 */
export async function withCommitments(deps: Pick<Deps, 'store'>, report: UnitReport, questionnaire: Questionnaire | undefined): Promise<UnitReport> {
  const stored = await deps.store.getCommitmentsReport(report.period, report.orgUnit);
  const links = questionnaire ? commitmentQuestions(questionnaire) : [];
  if (!stored && links.length === 0) return report;

  const figures = new Map<string, CommitmentFigures>((stored?.commitments ?? []).map((f) => [f.id, f]));
  for (const link of links) {
    if (figures.has(link.commitmentId)) continue;
    const declared = await deps.store.getCommitment(link.commitmentId);
    figures.set(link.commitmentId, { ...noEvents(link.commitmentId), ...(declared?.definition.title ? { title: declared.definition.title } : {}) });
  }
  const felt = new Map<string, NonNullable<ReportCommitment['felt']>>();
  if (questionnaire) {
    for (const comparison of comparePromises(questionnaire, questionScoresOf(report), Object.fromEntries(figures))) {
      if (comparison.felt && !felt.has(comparison.commitmentId)) felt.set(comparison.commitmentId, { questionId: comparison.questionId, ...comparison.felt });
    }
  }
  const commitments: ReportCommitment[] = [...figures.values()].map((f) => {
    const promise = felt.get(f.id);
    return promise ? { ...f, felt: promise } : f;
  });
  return { ...report, commitments };
}
