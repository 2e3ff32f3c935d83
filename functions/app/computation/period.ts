/**
 * One questionnaire and period of the scheduled computation: what it costs follows what changed.
 * (One concern, over 450 lines: the incremental run and its commit protocol, which must be read
 * together to see that two runs cannot both win.)
 *
 * The checkpoint (CheckpointMeta, docs/performance.md "The computation") holds per unit the
 * accumulators of its whole subtree. A run
 * 1. reads the responses submitted since the checkpoint's read-through instant (less an overlap,
 *    skipping those it counted already) and folds each into its unit and every ancestor: only those
 *    units are read from the checkpoint, computed and reported;
 * 2. stores them as its own items (a layer) and commits the META with one conditional write, so of
 *    two runs that read the same checkpoint one wins and the other deletes only its own items; then
 *    copies the layer into the base (each item only over an older one), which any later run
 *    finishes if this one stops before;
 * 3. writes the reports of the units it computed.
 * When a root's results that its units borrow (PLS weights, derived weights, for units with too few
 * responses of their own) move, those units are computed and reported again as well. A run with
 * nothing new writes nothing; a full run (asked for, or the first, or after the organisation's shape
 * or the analyses changed) reads every response and writes a new base.
 */
import type { OrgTree } from '../../domain/org';
import { shiftPeriod } from '../../domain/period';
import type { CheckpointMeta, CheckpointUnit, ComputedState, RecentResponse, ReportRecord, ResponseRecord } from '../../domain/records';
import { unstorableNumbers } from '../../domain/storable-numbers';
import { newId } from '../../shared/ids';
import type { Deps } from '../deps';
import type { UnitReport } from '../report-model';
import { computeResults, LOGGED_PATHS, reportOf, rootBasisOf, type Lending, type UnitResults } from './results';
import { trendPointOf } from '../report-intervals';
import { checkpointSignature, emptyUnit, stateKey, unitFromCheckpoint, unitToCheckpoint, versionState, type States, type SubtreeUnit, type VersionState } from './state';

/** Responses are re-read this far before the checkpoint: index entries can become visible late. */
export const CHECKPOINT_OVERLAP_MS = 5 * 60_000;

export interface Organisation {
  tree: OrgTree;
  /** Ids, names and parents: the reports' view of the tree. */
  treeSignature: string;
  /** Ids and parents: what subtree accumulators follow. */
  structure: string;
}

/** What the run adds to the job's summary. */
export interface PeriodSummary {
  computed: ComputedState[];
  read: number;
  unattributed: number;
  unreadable: number;
}

type UsableMeta = CheckpointMeta & { generationKey: string; base: string };

/**
 * Where a run resumes reading: the overlap before the checkpoint's read-through instant; nothing
 * (read all) without a checkpoint, or for one taken before any response arrived (empty readThrough).
 */
const overlapStart = (meta: Pick<CheckpointMeta, 'readThrough'> | undefined): string | undefined =>
  meta?.readThrough ? new Date(Date.parse(meta.readThrough) - CHECKPOINT_OVERLAP_MS).toISOString() : undefined;

/** The responses counted within the overlap before `readThrough`: the next run skips them. */
function recentWindow(deps: Deps, readThrough: string, recent: readonly RecentResponse[]): RecentResponse[] {
  const windowStart = new Date(Date.parse(readThrough || deps.clock.now().toISOString()) - CHECKPOINT_OVERLAP_MS).toISOString();
  return recent.filter((entry) => entry.submittedAt >= windowStart);
}

/** The stored checkpoint if this run can build on it (same analyses, same organisation shape, this layout). */
function usableMeta(stored: CheckpointMeta | undefined, full: boolean, organisation: Organisation): UsableMeta | undefined {
  if (full || !stored || stored.generationKey === undefined || stored.base === undefined) return undefined;
  if (stored.signature !== checkpointSignature() || stored.structure !== organisation.structure) return undefined;
  return stored as UsableMeta;
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

const computedOf = (surveyId: string, period: string, state: VersionState): ComputedState => ({
  surveyId,
  version: state.version,
  ...(state.panel ? { panel: state.panel } : {}),
  period,
  responses: state.responses,
  units: state.reported,
});

const metaStates = (surveyId: string, period: string, states: States) =>
  [...states.values()].flatMap((state) => (state ? [{ ...computedOf(surveyId, period, state), unattributed: state.unattributed }] : []));

/**
 * What each root lends its small units: its results of the previous period, when that period has
 * a report of the root for this version (a whole month's estimate, which no response of this
 * period moves, so a unit's figures move only with its own subtree's answers); roots without one
 * lend their results of this period.
 */
async function lendingOf(deps: Deps, surveyId: string, period: string, tree: OrgTree, state: VersionState): Promise<Lending> {
  const lendingAnalyses = state.applicable.filter((analysis) => analysis.sharedWithUnits);
  const lending = { period: shiftPeriod(period, -1), roots: new Map<string, UnitResults>(), borrowed: new Set<string>() };
  if (lendingAnalyses.length === 0) return lending;
  for (const root of tree.roots) {
    const previous = await deps.store.getReport<Record<string, unknown>>(surveyId, lending.period, state.version, root, state.panel);
    const lent = lendingAnalyses.flatMap((analysis) => (previous?.report[analysis.id] === undefined ? [] : [[analysis.id, previous.report[analysis.id]]]));
    if (lent.length > 0) lending.roots.set(root, Object.fromEntries(lent));
  }
  return lending;
}

const lentBasis = (state: VersionState, root: string, results: ReadonlyMap<string, UnitResults>, lending: Lending) =>
  rootBasisOf(state, lending.roots.get(root), results.get(root));

/** The META a run commits: what it read through, where its units are, and what the states hold. */
function metaOf(
  deps: Deps,
  surveyId: string,
  period: string,
  organisation: Organisation,
  states: States,
  run: Pick<CheckpointMeta, 'generation' | 'generationKey' | 'readThrough' | 'base' | 'staleBase' | 'pending' | 'rootBases' | 'reportUnits'> & { units: number; recent: number },
): CheckpointMeta {
  const { units, recent, ...fields } = run;
  return {
    ...fields,
    unitCount: units,
    recentCount: recent,
    signature: checkpointSignature(),
    updatedAt: deps.clock.now().toISOString(),
    structure: organisation.structure,
    states: metaStates(surveyId, period, states),
  };
}

const shapeOf = (unit: SubtreeUnit) => JSON.stringify([unit.borrows, unit.children]);

/**
 * Counts a response in its state and folds it into its unit and every ancestor, one response at a
 * time in the order read: a full and an incremental run then do the same arithmetic in the same
 * order at every unit, so their figures are equal to the last bit even where an accumulator's
 * arithmetic is floating-point (merging children's totals would add in another order).
 */
function foldIn(state: VersionState, tree: OrgTree, response: ResponseRecord): void {
  state.responses += 1;
  if (!tree.has(response.orgUnitId)) {
    state.unattributed += 1;
    return;
  }
  for (const id of tree.path(response.orgUnitId)) {
    let unit = state.units.get(id);
    if (!unit) {
      state.units.set(id, (unit = emptyUnit(state)));
      state.reported += 1;
    }
    unit.responses += 1;
    unit.changed = true;
    for (const analysis of state.applicable) analysis.add(state.questionnaire, unit.accumulators.get(analysis.id), response);
  }
}

export async function computePeriod(deps: Deps, surveyId: string, period: string, organisation: Organisation, full: boolean, summary: PeriodSummary): Promise<void> {
  const stored = await deps.store.getCheckpointMeta(surveyId, period);
  if (stored?.staleBase) await deps.store.deleteCheckpointBase(surveyId, period, stored.staleBase);
  let meta = usableMeta(stored, full, organisation);
  let layer: { units: CheckpointUnit[]; recent: RecentResponse[] } | undefined;
  if (meta?.pending) {
    // The committed run stopped before its layer was all in the base: finish it (idempotent).
    layer = await deps.store.checkpointUnits(surveyId, period, meta.generation, meta.generationKey);
    if (layer.units.length !== meta.unitCount || layer.recent.length !== meta.recentCount) {
      deps.logger.warn('checkpoint layer incomplete, recomputing in full', { surveyId, period, generationKey: meta.generationKey });
      meta = undefined;
    } else {
      await deps.store.applyToBase(surveyId, period, meta.base, layer.units);
      await deps.store.markApplied(surveyId, period, meta.generationKey);
    }
  }
  if (meta && (await incrementalRun(deps, surveyId, period, organisation, meta, layer, summary))) return;
  await fullRun(deps, surveyId, period, organisation, stored, summary);
}

/** Loads the base units of `ids` (or all) that the state does not hold yet; false if some could not be read whole. */
async function load(deps: Deps, surveyId: string, period: string, base: string, state: VersionState, ids: Iterable<string> | 'all'): Promise<boolean> {
  const missing = ids === 'all' ? undefined : [...ids].filter((id) => !state.units.has(id));
  if (missing?.length === 0) return true;
  const { units, incomplete } = missing
    ? await deps.store.baseUnitsOf(surveyId, period, base, state.version, state.panel, missing)
    : await deps.store.allBaseUnits(surveyId, period, base, state.version, state.panel);
  if (incomplete > 0) return false;
  for (const storedUnit of units) {
    if (state.units.has(storedUnit.orgUnitId)) continue;
    const unit = unitFromCheckpoint(state, storedUnit);
    if (!unit) return false;
    state.units.set(storedUnit.orgUnitId, unit);
  }
  return true;
}

/**
 * A run on a usable checkpoint. False when the checkpoint turns out unreadable (a unit with parts
 * missing): the caller recomputes in full.
 */
async function incrementalRun(deps: Deps, surveyId: string, period: string, organisation: Organisation, meta: UsableMeta, layer: { recent: RecentResponse[] } | undefined, summary: PeriodSummary): Promise<boolean> {
  const { tree, treeSignature } = organisation;
  const reportsOf = meta.reportsOf;
  const reportsCurrent = reportsOf?.generationKey === meta.generationKey && reportsOf.computed !== undefined;
  const renamed = reportsOf !== undefined && reportsOf.treeSignature !== treeSignature;
  const recent = layer?.recent ?? (await deps.store.checkpointRecent(surveyId, period, meta.generation, meta.generationKey));
  const alreadyCounted = new Set(recent.map((entry) => entry.invitationId));

  // The run of the previous period whose reports lend their roots' estimates (see lendingOf): when
  // it is not the one these reports were computed with, the units that borrow are computed again.
  const lenderRun = (await deps.store.getCheckpointMeta(surveyId, shiftPeriod(period, -1)))?.reportsOf?.generationKey;
  const lenderCurrent = reportsOf?.lenderRun === lenderRun;

  // The reports stand, under the same tree, and nothing new: the run reads only the META, the
  // recent list and the ids of the overlap window, and writes nothing.
  if (reportsCurrent && !renamed && lenderCurrent) {
    let anythingNew = false;
    for await (const page of deps.store.responseIdsOf(surveyId, period, overlapStart(meta))) {
      if (page.some((invitationId) => !alreadyCounted.has(invitationId))) {
        anythingNew = true;
        break;
      }
    }
    if (!anythingNew) {
      summary.computed.push(...reportsOf.computed!);
      summary.unattributed += reportsOf.unattributed ?? 0;
      return true;
    }
  }

  const states: States = new Map();
  for (const known of meta.states ?? []) {
    const state = await versionState(deps, states, surveyId, known.version, known.panel);
    if (state) Object.assign(state, { responses: known.responses, unattributed: known.unattributed, reported: known.units });
  }
  const fresh = new Map<string, ResponseRecord[]>(); // state key -> its new responses
  let readThrough = meta.readThrough;
  const counted: ResponseRecord[] = [];
  for await (const page of deps.store.responsesOf(surveyId, period, overlapStart(meta))) {
    for (const response of page) {
      if (alreadyCounted.has(response.invitationId)) continue;
      const state = await versionState(deps, states, surveyId, response.version, response.panel);
      if (!state) {
        summary.unreadable += 1; // counted, not lost silently
        continue;
      }
      const key = stateKey(state.version, state.panel);
      let ofState = fresh.get(key);
      if (!ofState) fresh.set(key, (ofState = []));
      ofState.push(response);
      counted.push(response);
      if (response.submittedAt > readThrough) readThrough = response.submittedAt;
    }
  }
  summary.read += counted.length;

  // Besides the units the new responses touch: every unit when a unit was renamed; and when the
  // committed run's reports were not all written (it stopped between), the units it changed.
  const redoAll = renamed || (!reportsCurrent && meta.reportUnits === 'all');
  const redoLayer = !reportsCurrent && !redoAll ? (await deps.store.checkpointUnits(surveyId, period, meta.generation, meta.generationKey)).units : [];

  const generation = meta.generation + 1;
  const computedAt = deps.clock.now().toISOString();
  const rootBases = { ...(meta.rootBases ?? {}) };
  const changed: CheckpointUnit[] = [];
  const reports = new Map<string, ReportRecord<UnitReport>[]>();
  let everyUnit = redoAll;
  for (const [key, state] of states) {
    if (!state) continue;
    const responses = fresh.get(key) ?? [];
    const wanted = new Set<string>();
    for (const response of responses) if (tree.has(response.orgUnitId)) for (const id of tree.path(response.orgUnitId)) wanted.add(id);
    for (const unit of redoLayer) if (unit.version === state.version && unit.panel === state.panel) for (const id of tree.path(unit.orgUnitId)) wanted.add(id);
    const lending = await lendingOf(deps, surveyId, period, tree, state);
    const lenderMoved = tree.roots.some((root) => {
      const basis = lentBasis(state, root, new Map(), lending);
      return basis !== undefined && basis !== (rootBases[`${key}#${root}`] ?? null);
    });
    if (wanted.size === 0 && !redoAll && !lenderMoved) continue;
    if (!(await load(deps, surveyId, period, meta.base, state, redoAll ? 'all' : wanted))) return false;
    const shapes = new Map([...state.units].map(([id, unit]) => [id, shapeOf(unit)]));

    for (const response of responses) foldIn(state, tree, response);

    const results = new Map<string, UnitResults>();
    computeResults(deps.logger, state, period, tree, redoAll ? state.units.keys() : wanted, results, lending);
    // Roots whose lent figures moved (no previous period to lend them, or it was recomputed): the
    // units that borrowed them, and their parents (whose list of children shows them), are
    // computed again.
    const moved = new Set<string>();
    for (const root of tree.roots) {
      const basis = lentBasis(state, root, results, lending);
      if (basis === undefined) continue;
      const basisKey = `${key}#${root}`;
      if (basis !== (rootBases[basisKey] ?? null)) moved.add(root);
      if (basis === null) delete rootBases[basisKey];
      else rootBases[basisKey] = basis;
    }
    if (moved.size > 0 && !redoAll) {
      if (!(await load(deps, surveyId, period, meta.base, state, 'all'))) return false;
      for (const [id, unit] of state.units) if (!shapes.has(id)) shapes.set(id, shapeOf(unit));
      const again = new Set<string>();
      for (const [id, unit] of state.units) {
        if (results.has(id) || !unit.borrows || !moved.has(tree.path(id)[0] ?? id)) continue;
        again.add(id);
        const parentId = tree.unit(id)?.parentId;
        if (parentId && !results.has(parentId)) again.add(parentId);
      }
      computeResults(deps.logger, state, period, tree, again, results, lending);
      everyUnit = true;
    }

    reports.set(key, [...results.keys()].map((id) => reportOf(state, period, tree, id, results, computedAt, lending)));
    for (const [id, unit] of state.units) {
      if (unit.changed || (results.has(id) && shapes.get(id) !== shapeOf(unit))) changed.push(unitToCheckpoint(state, id, unit, generation));
    }
  }

  // The run whose checkpoint these figures come from: the one read, or ours once committed.
  let current: string | undefined = meta.generationKey;
  if (counted.length > 0 || changed.length > 0) {
    const unstorable = unstorableAccumulators(changed);
    if (unstorable.length > 0) {
      // The figures are still reported from this run's state; the stored checkpoint stands, so
      // the next run reads these responses again instead of losing them.
      deps.logger.error('checkpoint not written: accumulators hold numbers that cannot be stored', { surveyId, period, count: unstorable.length, units: unstorable.slice(0, LOGGED_PATHS) });
      current = undefined;
    } else {
      const generationKey = `${generation}-${newId('run')}`;
      const recentNext = recentWindow(deps, readThrough, [...recent, ...counted.map(({ invitationId, submittedAt }) => ({ invitationId, submittedAt }))]);
      await deps.store.putCheckpointUnits(surveyId, period, generation, generationKey, changed, recentNext);
      const committed = await deps.store.commitCheckpointMeta(
        surveyId,
        period,
        metaOf(deps, surveyId, period, organisation, states, {
          generation,
          generationKey,
          readThrough,
          base: meta.base,
          units: changed.length,
          recent: recentNext.length,
          rootBases,
          pending: true,
          reportUnits: everyUnit ? 'all' : 'layer',
        }),
        meta.generation,
      );
      if (!committed) {
        // Another run committed first: its checkpoint stands; ours is discarded (only our own
        // items, the winner's are under its key) and our reports are not written.
        await deps.store.deleteCheckpointGeneration(surveyId, period, generation, generationKey);
        deps.logger.warn('a concurrent computation committed first', { surveyId, period });
        return true;
      }
      await deps.store.applyToBase(surveyId, period, meta.base, changed);
      await deps.store.markApplied(surveyId, period, generationKey);
      // No run can commit the previous generation any more: its items are garbage.
      await deps.store.deleteCheckpointGeneration(surveyId, period, meta.generation);
      current = generationKey;
    }
  }
  await writeReports(deps, surveyId, period, organisation, states, reports, current, 'put', lenderRun, summary);
  return true;
}

/** A run that reads every response and writes a new base. */
async function fullRun(deps: Deps, surveyId: string, period: string, organisation: Organisation, stored: CheckpointMeta | undefined, summary: PeriodSummary): Promise<void> {
  const { tree } = organisation;
  const lenderRun = (await deps.store.getCheckpointMeta(surveyId, shiftPeriod(period, -1)))?.reportsOf?.generationKey;
  const states: States = new Map();
  let readThrough = '';
  const counted: ResponseRecord[] = [];
  for await (const page of deps.store.responsesOf(surveyId, period)) {
    for (const response of page) {
      const state = await versionState(deps, states, surveyId, response.version, response.panel);
      if (!state) {
        summary.unreadable += 1;
        continue;
      }
      counted.push(response);
      if (response.submittedAt > readThrough) readThrough = response.submittedAt;
      foldIn(state, tree, response);
    }
  }
  summary.read += counted.length;

  const generation = (stored?.generation ?? 0) + 1;
  // Unique per run: two runs that read the same generation never write the same item.
  const generationKey = `${generation}-${newId('run')}`;
  const computedAt = deps.clock.now().toISOString();
  const rootBases: Record<string, string> = {};
  const units: CheckpointUnit[] = [];
  const reports = new Map<string, ReportRecord<UnitReport>[]>();
  for (const [key, state] of states) {
    if (!state) continue;
    const results = new Map<string, UnitResults>();
    const lending = await lendingOf(deps, surveyId, period, tree, state);
    computeResults(deps.logger, state, period, tree, state.units.keys(), results, lending);
    for (const root of tree.roots) {
      const basis = lentBasis(state, root, results, lending);
      if (basis !== undefined && basis !== null) rootBases[`${key}#${root}`] = basis;
    }
    reports.set(key, [...results.keys()].map((id) => reportOf(state, period, tree, id, results, computedAt, lending)));
    state.reported = reports.get(key)!.length;
    for (const [id, unit] of state.units) units.push(unitToCheckpoint(state, id, unit, generation));
  }

  let current: string | undefined = stored?.generationKey;
  const unstorable = unstorableAccumulators(units);
  if (unstorable.length > 0) {
    deps.logger.error('checkpoint not written: accumulators hold numbers that cannot be stored', { surveyId, period, count: unstorable.length, units: unstorable.slice(0, LOGGED_PATHS) });
  } else {
    const base = generationKey;
    const recent = recentWindow(deps, readThrough, counted.map(({ invitationId, submittedAt }) => ({ invitationId, submittedAt })));
    await deps.store.putBaseUnits(surveyId, period, base, units);
    await deps.store.putCheckpointUnits(surveyId, period, generation, generationKey, [], recent);
    const committed = await deps.store.commitCheckpointMeta(
      surveyId,
      period,
      metaOf(deps, surveyId, period, organisation, states, {
        generation,
        generationKey,
        readThrough,
        base,
        ...(stored?.base ? { staleBase: stored.base } : {}),
        units: 0,
        recent: recent.length,
        rootBases,
        reportUnits: 'all',
      }),
      stored?.generation,
    );
    if (!committed) {
      await deps.store.deleteCheckpointGeneration(surveyId, period, generation, generationKey);
      await deps.store.deleteCheckpointBase(surveyId, period, base);
      deps.logger.warn('a concurrent computation committed first', { surveyId, period });
      return;
    }
    // No run can commit the previous generation any more: delete all of it (the previous
    // checkpoint, and the items of runs that lost to it or crashed before committing), and the
    // base it replaced.
    if (stored) await deps.store.deleteCheckpointGeneration(surveyId, period, stored.generation);
    if (stored?.base) await deps.store.deleteCheckpointBase(surveyId, period, stored.base);
    current = generationKey;
  }
  await writeReports(deps, surveyId, period, organisation, states, reports, current, 'replace', lenderRun, summary);
}

/**
 * Writes the computed reports (replacing the version's others on a full run) unless a newer run
 * committed meanwhile (its reports are newer), and records them as the checkpoint's.
 */
async function writeReports(
  deps: Deps,
  surveyId: string,
  period: string,
  organisation: Organisation,
  states: States,
  reports: ReadonlyMap<string, ReportRecord<UnitReport>[]>,
  current: string | undefined,
  mode: 'put' | 'replace',
  lenderRun: string | undefined,
  summary: PeriodSummary,
): Promise<void> {
  // This narrows the window in which older figures could overwrite newer ones to the writes themselves.
  if (current !== undefined && (await deps.store.getCheckpointMeta(surveyId, period))?.generationKey !== current) {
    deps.logger.warn('a newer computation committed meanwhile, reports left to it', { surveyId, period });
    return;
  }
  const computed: ComputedState[] = [];
  let unattributed = 0;
  for (const [key, state] of states) {
    if (!state) continue;
    const records = reports.get(key) ?? [];
    if (mode === 'replace') await deps.store.replaceReports(surveyId, period, state.version, records, state.panel);
    else if (records.length > 0) await deps.store.putReports(surveyId, period, state.version, records, state.panel);
    if (records.length > 0) await deps.store.putReportTrend(surveyId, period, state.version, records.map((r) => ({ orgUnitId: r.orgUnitId, point: trendPointOf(r.report) })), state.panel);
    computed.push(computedOf(surveyId, period, state));
    unattributed += state.unattributed;
  }
  summary.computed.push(...computed);
  summary.unattributed += unattributed;
  if (current !== undefined) {
    await deps.store.markReportsWritten(surveyId, period, { generationKey: current, treeSignature: organisation.treeSignature, computed, unattributed, ...(lenderRun ? { lenderRun } : {}) });
  }
}
