/**
 * The scheduled computation. Per questionnaire and period:
 *
 * 1. Read the responses submitted since the last checkpoint (all of them the first time) through
 *    GSI1, and fold each into every applicable analysis's accumulator of its unit (own responses).
 * 2. Store the unit accumulators as a new checkpoint generation and commit it with one conditional
 *    write, so the next run reads only newer responses and a crash never counts one twice.
 *    Every run writes its items under a key of its own (`generationKey`): of two runs that read
 *    the same checkpoint (the schedule and POST /admin/jobs/compute-indices run concurrently),
 *    the one whose commit fails deletes only its own items and writes no reports, and the
 *    winner's checkpoint stays whole.
 * 3. Roll the accumulators up the organisation tree (a unit's figures come from every response in
 *    its subtree), compute every analysis's result per unit, roots first, and store one report per
 *    unit.
 *
 * The HTTP job route and the schedule run this same function.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import { isPeriod, periodOf, shiftPeriod } from '../domain/period';
import { OrgTree, type OrgUnit } from '../domain/org';
import type { Questionnaire } from '../domain/questionnaire';
import type { TreeScores } from '../domain/scoring';
import type { CheckpointMeta, CheckpointUnit, RecentResponse, ReportRecord, ResponseRecord } from '../domain/records';
import { unstorableNumbers, withStorableNumbers } from '../domain/storable-numbers';
import type { AppLogger } from '../shared/logger';
import { newId } from '../shared/ids';
import { analyses } from './analyses';
import { computeCommitments } from './commitments';
import type { AnyAnalysis } from './analyses/analysis';
import type { Deps } from './deps';
import type { UnitReport } from './report-model';

export interface ComputeRequest {
  /** One period; by default the current and the previous period of each questionnaire's time zone. */
  period?: string | undefined;
  /** Ignore the checkpoint and read every response again. */
  full?: boolean | undefined;
}

export interface ComputeSummary {
  periods: string[];
  computed: { surveyId: string; version: number; panel?: string; period: string; responses: number; units: number }[];
  /** Responses read in this run (new since the last checkpoint, or all on a full run). */
  read: number;
  /** Responses whose unit is not in the organisation tree (they cannot be attributed). */
  unattributed: number;
  /** Responses whose questionnaire version could not be read. */
  unreadable: number;
  durationMs: number;
}

/** Responses are re-read this far before the checkpoint: index entries can become visible late. */
export const CHECKPOINT_OVERLAP_MS = 5 * 60_000;
/** Part of the checkpoint signature: bump when an accumulator's stored form changes. */
const ACCUMULATOR_FORMAT = 1;

type UnitAccumulators = Map<string, unknown>; // analysis id -> accumulator

/**
 * The responses of one questionnaire version; mystery customers (a panel) form a state of their
 * own, so their answers are reported separately and stay out of the main figures.
 */
interface VersionState {
  version: number;
  panel: string | undefined;
  questionnaire: Questionnaire;
  applicable: AnyAnalysis[];
  units: Map<string, { responses: number; accumulators: UnitAccumulators }>;
}

const signatureOf = () => `${ACCUMULATOR_FORMAT}:panels:${analyses.map((a) => a.id).join(',')}`;

type States = Map<string, VersionState | null>;

const stateKey = (version: number, panel: string | undefined) => (panel ? `${version}#${panel}` : String(version));

async function versionState(deps: Deps, states: States, surveyId: string, version: number, panel: string | undefined): Promise<VersionState | null> {
  const key = stateKey(version, panel);
  if (states.has(key)) return states.get(key) ?? null;
  const sibling = [...states.values()].find((s) => s?.version === version);
  const questionnaire = sibling?.questionnaire ?? (await deps.store.getSurveyVersion(surveyId, version))?.definition;
  const state = questionnaire ? { version, panel, questionnaire, applicable: analyses.filter((a) => a.applies(questionnaire)), units: new Map() } : null;
  states.set(key, state);
  return state;
}

function unitOf(state: VersionState, orgUnitId: string) {
  let unit = state.units.get(orgUnitId);
  if (!unit) {
    unit = { responses: 0, accumulators: new Map(state.applicable.map((a) => [a.id, a.empty(state.questionnaire)])) };
    state.units.set(orgUnitId, unit);
  }
  return unit;
}

/** How many places of one figure set a log entry names (the count says how many there were). */
const LOGGED_PATHS = 10;

/**
 * An analysis's result for a unit, with every figure DynamoDB would refuse (NaN, ±Infinity, beyond
 * ±2^53) replaced by null: degenerate data at one unit costs that figure, not the run's reports.
 */
function storableResult(logger: AppLogger, where: { surveyId: string; period: string; orgUnitId: string; analysis: string }, result: unknown): unknown {
  const { value, replaced } = withStorableNumbers(result);
  if (replaced.length > 0) {
    logger.warn('figures that cannot be stored replaced by null', { ...where, count: replaced.length, figures: replaced.slice(0, LOGGED_PATHS) });
  }
  return value;
}

/** The accumulators (by unit and analysis) holding numbers DynamoDB would refuse. */
function unstorableAccumulators(units: readonly CheckpointUnit[]) {
  return units.flatMap((unit) =>
    Object.entries(unit.accumulators).flatMap(([analysis, json]) => {
      const found = unstorableNumbers(json);
      return found.length === 0 ? [] : [{ orgUnitId: unit.orgUnitId, version: unit.version, analysis, count: found.length, figures: found.slice(0, LOGGED_PATHS) }];
    }),
  );
}

function buildReports(logger: AppLogger, state: VersionState, period: string, tree: OrgTree, computedAt: string): ReportRecord<UnitReport>[] {
  const { questionnaire, applicable } = state;
  // Per analysis: every unit's accumulator over its whole subtree.
  const totals = new Map<string, Map<string, unknown>>();
  for (const analysis of applicable) {
    const own = new Map([...state.units].map(([unitId, unit]) => [unitId, unit.accumulators.get(analysis.id)]));
    totals.set(analysis.id, tree.rollUp(own, () => analysis.empty(questionnaire), (a, b) => analysis.merge(a, b)));
  }
  const responsesIn = tree.rollUp(new Map([...state.units].map(([id, u]) => [id, u.responses])), () => 0, (a, b) => a + b);

  // Results per unit, roots first, each analysis after the ones it may build on.
  const results = new Map<string, Record<string, unknown>>();
  const topDown = [...tree.bottomUp()].reverse();
  for (const unitId of topDown) {
    if ((responsesIn.get(unitId) ?? 0) === 0) continue;
    const root = tree.path(unitId)[0] ?? unitId;
    const unitResults: Record<string, unknown> = {};
    for (const analysis of applicable) {
      const result = analysis.result(totals.get(analysis.id)?.get(unitId), {
        questionnaire,
        period,
        unitId,
        tree,
        rootResult: root === unitId ? undefined : results.get(root)?.[analysis.id],
        earlier: unitResults,
      });
      unitResults[analysis.id] = storableResult(logger, { surveyId: questionnaire.id, period, orgUnitId: unitId, analysis: analysis.id }, result);
    }
    results.set(unitId, unitResults);
  }

  const reports: ReportRecord<UnitReport>[] = [];
  for (const [unitId, unitResults] of results) {
    const { scores, ...sections } = unitResults as { scores: TreeScores } & Record<string, unknown>;
    const children = tree.children(unitId).map((childId) => {
      const child = results.get(childId)?.scores as TreeScores | undefined;
      return { orgUnit: childId, name: tree.unit(childId)?.name ?? childId, n: child?.n ?? 0, csi: child?.csi ?? null };
    });
    reports.push({
      surveyId: questionnaire.id,
      version: questionnaire.version,
      period,
      orgUnitId: unitId,
      computedAt,
      report: {
        surveyId: questionnaire.id,
        version: questionnaire.version,
        ...(state.panel ? { panel: state.panel } : {}),
        period,
        orgUnit: unitId,
        orgUnitName: tree.unit(unitId)?.name ?? unitId,
        path: tree.path(unitId),
        n: scores.n,
        csi: scores.csi,
        elements: scores.elements,
        children,
        notes: scores.notes,
        computedAt,
        ...sections,
      },
    });
  }
  return reports;
}

/**
 * Reads the committed run's items back into per-version state; gives the recent responses, or
 * undefined when the checkpoint cannot be used (then the run recomputes in full).
 */
async function restore(deps: Deps, surveyId: string, period: string, meta: CheckpointMeta & { generationKey: string }, states: States): Promise<RecentResponse[] | undefined> {
  const { units, recent } = await deps.store.checkpointUnits(surveyId, period, meta.generation, meta.generationKey);
  if (units.length !== meta.unitCount || recent.length !== meta.recentCount) {
    // Never expected (the items are written before the commit and read strongly consistent), but
    // a checkpoint with items missing would give wrong figures silently: recompute instead.
    deps.logger.warn('checkpoint items missing, recomputing in full', { surveyId, period, generationKey: meta.generationKey });
    return undefined;
  }
  for (const stored of units) {
    const state = await versionState(deps, states, surveyId, stored.version, stored.panel);
    if (!state) return undefined;
    const unit = unitOf(state, stored.orgUnitId);
    unit.responses = stored.responses;
    for (const analysis of state.applicable) {
      const json = stored.accumulators[analysis.id];
      if (json === undefined) return undefined; // an analysis the checkpoint does not hold
      unit.accumulators.set(analysis.id, analysis.deserialize(state.questionnaire, json));
    }
  }
  return recent;
}

/** The organisation tree as the reports see it (ids, names, parents), as one hash. */
function treeSignatureOf(units: readonly OrgUnit[]): string {
  const shape = [...units].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((u) => [u.id, u.name, u.parentId ?? null]);
  return createHash('sha256').update(canonicalJson(shape)).digest('hex');
}

/**
 * Where a run resumes reading: the overlap before the checkpoint's read-through instant; nothing
 * (read all) without a checkpoint, or for one taken before any response arrived (empty readThrough).
 */
const overlapStart = (meta: Pick<CheckpointMeta, 'readThrough'> | undefined): string | undefined =>
  meta?.readThrough ? new Date(Date.parse(meta.readThrough) - CHECKPOINT_OVERLAP_MS).toISOString() : undefined;

async function computePeriod(
  deps: Deps,
  surveyId: string,
  period: string,
  { tree, treeSignature }: { tree: OrgTree; treeSignature: string },
  full: boolean,
  summary: ComputeSummary,
): Promise<void> {
  const states: States = new Map();
  const storedMeta = await deps.store.getCheckpointMeta(surveyId, period);
  // A checkpoint stored before run keys (no generationKey) is not read: this run recomputes in
  // full once, which is exact and simpler than reading the old layout; its commit then deletes the
  // old generation's items like any previous generation's.
  let meta =
    !full && storedMeta?.generationKey !== undefined && storedMeta.signature === signatureOf() ? { ...storedMeta, generationKey: storedMeta.generationKey } : undefined;
  // A checkpoint whose reports are stored, under the same tree, and nothing new since: its figures
  // stand, and the run reads only the META, the recent list and the responses of the overlap window.
  const storedReports = meta?.reportsOf;
  if (meta && storedReports?.computed && storedReports.generationKey === meta.generationKey && storedReports.treeSignature === treeSignature) {
    const recent = new Set((await deps.store.checkpointRecent(surveyId, period, meta.generation, meta.generationKey)).map((entry) => entry.invitationId));
    let anythingNew = false;
    for await (const page of deps.store.responseIdsOf(surveyId, period, overlapStart(meta))) {
      if (page.some((invitationId) => !recent.has(invitationId))) {
        anythingNew = true;
        break;
      }
    }
    if (!anythingNew) {
      summary.computed.push(...storedReports.computed);
      summary.unattributed += storedReports.unattributed ?? 0;
      return;
    }
  }
  const computedBefore = summary.computed.length;
  const unattributedBefore = summary.unattributed;

  let restoredRecent: RecentResponse[] = [];
  if (meta) {
    const recent = await restore(deps, surveyId, period, meta, states);
    if (recent) restoredRecent = recent;
    else {
      meta = undefined;
      states.clear();
    }
  }

  const after = overlapStart(meta);
  const alreadyCounted = new Set(restoredRecent.map((entry) => entry.invitationId));
  let readThrough = meta?.readThrough ?? '';
  const counted: ResponseRecord[] = [];
  for await (const page of deps.store.responsesOf(surveyId, period, after)) {
    for (const response of page) {
      if (alreadyCounted.has(response.invitationId)) continue;
      const state = await versionState(deps, states, surveyId, response.version, response.panel);
      if (!state) {
        summary.unreadable += 1; // counted, not lost silently
        continue;
      }
      const unit = unitOf(state, response.orgUnitId);
      unit.responses += 1;
      for (const analysis of state.applicable) analysis.add(state.questionnaire, unit.accumulators.get(analysis.id), response);
      counted.push(response);
      if (response.submittedAt > readThrough) readThrough = response.submittedAt;
    }
  }
  summary.read += counted.length;

  // The run whose checkpoint these figures come from: the one restored, or ours once committed.
  let current = meta?.generationKey;
  if (counted.length > 0 || !meta) {
    const generation = (storedMeta?.generation ?? 0) + 1;
    // Unique per run: two runs that read the same generation never write the same item.
    const generationKey = `${generation}-${newId('run')}`;
    const units: CheckpointUnit[] = [];
    for (const state of states.values()) {
      if (!state) continue;
      for (const [orgUnitId, unit] of state.units) {
        units.push({
          version: state.version,
          ...(state.panel ? { panel: state.panel } : {}),
          orgUnitId,
          responses: unit.responses,
          accumulators: Object.fromEntries(state.applicable.map((a) => [a.id, a.serialize(unit.accumulators.get(a.id))])),
        });
      }
    }
    const unstorable = unstorableAccumulators(units);
    if (unstorable.length > 0) {
      // The figures are still reported from this run's state; the stored checkpoint (if any)
      // stands, so the next run reads these responses again instead of losing them.
      deps.logger.error('checkpoint not written: accumulators hold numbers that cannot be stored', { surveyId, period, count: unstorable.length, units: unstorable.slice(0, LOGGED_PATHS) });
      current = storedMeta?.generationKey;
    } else {
      // The next run re-reads from readThrough - overlap and skips these: every response counted
      // that it can read again, exactly (no double counting, and nothing dropped to save space).
      // However many there are: they are items of the run in bounded chunks, not a list in META.
      const windowStart = new Date(Date.parse(readThrough || deps.clock.now().toISOString()) - CHECKPOINT_OVERLAP_MS).toISOString();
      const recent = [...restoredRecent, ...counted.map(({ invitationId, submittedAt }) => ({ invitationId, submittedAt }))].filter(
        (entry) => entry.submittedAt >= windowStart,
      );
      await deps.store.putCheckpointUnits(surveyId, period, generation, generationKey, units, recent);
      const committed = await deps.store.commitCheckpointMeta(
        surveyId,
        period,
        { generation, generationKey, readThrough, unitCount: units.length, recentCount: recent.length, signature: signatureOf(), updatedAt: deps.clock.now().toISOString() },
        storedMeta?.generation,
      );
      if (!committed) {
        // Another run committed first: its checkpoint stands; ours is discarded (only our own items,
        // the winner's are under its key) and our reports are not written.
        await deps.store.deleteCheckpointGeneration(surveyId, period, generation, generationKey);
        deps.logger.warn('a concurrent computation committed first', { surveyId, period });
        return;
      }
      // No run can commit the previous generation any more: delete all of it (the previous
      // checkpoint, and the items of runs that lost to it or crashed before committing).
      if (storedMeta) await deps.store.deleteCheckpointGeneration(surveyId, period, storedMeta.generation);
      current = generationKey;
    }
  }

  // A run that committed a newer checkpoint meanwhile writes (or wrote) newer reports: ours would
  // overwrite them with older figures. This narrows that window to the report writes themselves.
  if ((await deps.store.getCheckpointMeta(surveyId, period))?.generationKey !== current) {
    deps.logger.warn('a newer computation committed meanwhile, reports left to it', { surveyId, period });
    return;
  }
  // Nothing new, the same tree, and this checkpoint's reports stored: they are these figures already,
  // so a run with nothing to do writes nothing (on DynamoDB, no write units every five minutes).
  const stored = storedMeta?.reportsOf;
  const reportsStored = counted.length === 0 && stored !== undefined && stored.generationKey === current && stored.treeSignature === treeSignature;
  const computedAt = deps.clock.now().toISOString();
  for (const state of states.values()) {
    if (!state) continue;
    for (const [unitId, unit] of state.units) if (!tree.has(unitId)) summary.unattributed += unit.responses;
    const reports = buildReports(deps.logger, state, period, tree, computedAt);
    if (!reportsStored) await deps.store.replaceReports(surveyId, period, state.version, reports, state.panel);
    if (!reportsStored) await deps.store.putReportTrend(surveyId, period, state.version, reports, state.panel);
    summary.computed.push({
      surveyId,
      version: state.version,
      ...(state.panel ? { panel: state.panel } : {}),
      period,
      responses: [...state.units.values()].reduce((n, u) => n + u.responses, 0),
      units: reports.length,
    });
  }
  // Once per checkpoint: a META from before the run summary was kept gets it now too.
  if (current !== undefined && (!reportsStored || stored?.computed === undefined)) {
    await deps.store.markReportsWritten(surveyId, period, {
      generationKey: current,
      treeSignature,
      computed: summary.computed.slice(computedBefore),
      unattributed: summary.unattributed - unattributedBefore,
    });
  }
}

export async function computeIndices(deps: Deps, request: ComputeRequest = {}): Promise<ComputeSummary> {
  const started = deps.clock.now();
  if (request.period !== undefined && !isPeriod(request.period)) throw new Error(`invalid period ${request.period}`);
  const orgUnits = await deps.store.listOrgUnits();
  const organisation = { tree: new OrgTree(orgUnits), treeSignature: treeSignatureOf(orgUnits) };
  const { tree } = organisation;
  const summary: ComputeSummary = { periods: [], computed: [], read: 0, unattributed: 0, unreadable: 0, durationMs: 0 };
  const periodsSeen = new Set<string>();

  for (const surveyId of await deps.store.listSurveyIds()) {
    const latest = await deps.store.getLatestSurveyVersion(surveyId);
    if (!latest) continue;
    const current = periodOf(started, latest.definition.timeZone);
    const periods = request.period ? [request.period] : [current, shiftPeriod(current, -1)];
    for (const period of periods) {
      periodsSeen.add(period);
      await computePeriod(deps, surveyId, period, organisation, request.full === true, summary);
    }
  }
  // Commitment compliance is per unit and period, whatever the questionnaire.
  for (const period of request.period ? [request.period] : [...periodsSeen]) await computeCommitments(deps, period, tree);
  summary.periods = [...periodsSeen].sort();
  summary.durationMs = deps.clock.now().getTime() - started.getTime();
  deps.logger.info('indices computed', { ...summary, computed: summary.computed.length });
  return summary;
}
