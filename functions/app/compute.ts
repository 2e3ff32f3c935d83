/**
 * The scheduled computation: per questionnaire and period (the current and the previous one of
 * its time zone by default, or the one asked for), the units' reports from the responses, at the
 * cost of what changed since the last run (functions/app/computation/period.ts says how); then
 * commitment compliance per unit. The HTTP job route and the schedule run this same function.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import { isPeriod, periodOf, shiftPeriod } from '../domain/period';
import { OrgTree, type OrgUnit } from '../domain/org';
import type { ComputedState } from '../domain/records';
import { calendarSettingsOf, computeCommitments, listCommitments, warnOfCalendarEnd } from './commitments';
import { computePeriod, type Organisation } from './computation/period';
import type { Deps } from './deps';

export { CHECKPOINT_OVERLAP_MS } from './computation/period';

export interface ComputeRequest {
  /** One period; by default the current and the previous period of each questionnaire's time zone. */
  period?: string | undefined;
  /** Ignore the checkpoint and read every response again. */
  full?: boolean | undefined;
}

export interface ComputeSummary {
  periods: string[];
  computed: ComputedState[];
  /** Responses read in this run (new since the last checkpoint, or all on a full run). */
  read: number;
  /** Responses whose unit is not in the organisation tree (they cannot be attributed). */
  unattributed: number;
  /** Responses whose questionnaire version could not be read. */
  unreadable: number;
  durationMs: number;
}

const hashOf = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');

/** The organisation as the computation sees it: the tree, and hashes of what reports and subtrees depend on. */
function organisationOf(units: readonly OrgUnit[]): Organisation {
  const sorted = [...units].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    tree: new OrgTree(units),
    treeSignature: hashOf(sorted.map((u) => [u.id, u.name, u.parentId ?? null])),
    structure: hashOf(sorted.map((u) => [u.id, u.parentId ?? null])),
  };
}

export async function computeIndices(deps: Deps, request: ComputeRequest = {}): Promise<ComputeSummary> {
  const started = deps.clock.now();
  if (request.period !== undefined && !isPeriod(request.period)) throw new Error(`invalid period ${request.period}`);
  const organisation = organisationOf(await deps.store.listOrgUnits());
  const { tree } = organisation;
  const summary: ComputeSummary = { periods: [], computed: [], read: 0, unattributed: 0, unreadable: 0, durationMs: 0 };
  const periodsSeen = new Set<string>();

  for (const surveyId of await deps.store.listSurveyIds()) {
    const latest = await deps.store.getLatestSurveyVersion(surveyId);
    if (!latest) continue;
    const current = periodOf(started, latest.definition.timeZone);
    // The previous period first: its roots lend their estimates to the current period's small units.
    const periods = request.period ? [request.period] : [shiftPeriod(current, -1), current];
    for (const period of periods) {
      periodsSeen.add(period);
      await computePeriod(deps, surveyId, period, organisation, request.full === true, summary);
    }
  }
  // Commitment compliance is per unit and period, whatever the questionnaire; periods marked for
  // recomputation (provisional figures, changed non-working days) are computed again too.
  const settings = await calendarSettingsOf(deps);
  const marks = new Map((await deps.store.listComplianceRecomputes()).map((mark) => [mark.period, mark]));
  const commitmentPeriods = request.period ? [request.period] : [...new Set([...periodsSeen, ...marks.keys()])].sort();
  for (const period of commitmentPeriods) await computeCommitments(deps, period, tree, { settings, mark: marks.get(period) });
  warnOfCalendarEnd(deps, (await listCommitments(deps)).commitments, settings);
  summary.periods = [...periodsSeen].sort();
  summary.durationMs = deps.clock.now().getTime() - started.getTime();
  deps.logger.info('indices computed', { ...summary, computed: summary.computed.length });
  return summary;
}
