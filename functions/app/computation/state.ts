/**
 * What a computation holds per questionnaire version (and panel) while it runs: the questionnaire,
 * the analyses that apply to it, and per unit the accumulators of its whole subtree.
 */
import type { Questionnaire } from '../../domain/questionnaire';
import type { CheckpointUnit } from '../../domain/records';
import { analyses } from '../analyses';
import type { AnyAnalysis } from '../analyses/analysis';
import type { Deps } from '../deps';

/** Part of the checkpoint signature: bump when an accumulator's stored form changes. */
const ACCUMULATOR_FORMAT = 2;
export const checkpointSignature = () => `${ACCUMULATOR_FORMAT}:panels:${analyses.map((a) => a.id).join(',')}`;

/** A unit's figures over its subtree: how many responses, each analysis's accumulator, and what its last computation left. */
export interface SubtreeUnit {
  responses: number;
  accumulators: Map<string, unknown>; // analysis id -> accumulator
  borrows: boolean;
  children: Record<string, { n: number; csi: number | null }>;
  /** Whether its accumulators changed in this run (new responses in its subtree). */
  changed: boolean;
}

/**
 * The responses of one questionnaire version; mystery customers (a panel) form a state of their
 * own, so their answers are reported separately and stay out of the main figures.
 */
export interface VersionState {
  version: number;
  panel: string | undefined;
  questionnaire: Questionnaire;
  applicable: AnyAnalysis[];
  /** Units loaded or computed in this run, by id. */
  units: Map<string, SubtreeUnit>;
  /** Every response counted so far (unattributed ones included), and those whose unit is not in the tree. */
  responses: number;
  unattributed: number;
  /** Units with a report. */
  reported: number;
}

export type States = Map<string, VersionState | null>;

export const stateKey = (version: number, panel: string | undefined) => (panel ? `${version}#${panel}` : String(version));

/** The state of a version and panel, read once per run (null: the questionnaire version is missing). */
export async function versionState(deps: Pick<Deps, 'store'>, states: States, surveyId: string, version: number, panel: string | undefined): Promise<VersionState | null> {
  const key = stateKey(version, panel);
  if (states.has(key)) return states.get(key) ?? null;
  const sibling = [...states.values()].find((s) => s?.version === version);
  const questionnaire = sibling?.questionnaire ?? (await deps.store.getSurveyVersion(surveyId, version))?.definition;
  const state = questionnaire
    ? { version, panel, questionnaire, applicable: analyses.filter((a) => a.applies(questionnaire)), units: new Map(), responses: 0, unattributed: 0, reported: 0 }
    : null;
  states.set(key, state);
  return state;
}

export const emptyUnit = (state: VersionState): SubtreeUnit => ({
  responses: 0,
  accumulators: new Map(state.applicable.map((a) => [a.id, a.empty(state.questionnaire)])),
  borrows: false,
  children: {},
  changed: false,
});

/** A stored unit as the run holds it; undefined when it lacks an accumulator of an applicable analysis. */
export function unitFromCheckpoint(state: VersionState, stored: CheckpointUnit): SubtreeUnit | undefined {
  const accumulators = new Map<string, unknown>();
  for (const analysis of state.applicable) {
    const json = stored.accumulators[analysis.id];
    if (json === undefined) return undefined;
    accumulators.set(analysis.id, analysis.deserialize(state.questionnaire, json));
  }
  return { responses: stored.responses, accumulators, borrows: stored.borrows ?? false, children: stored.children ?? {}, changed: false };
}

export function unitToCheckpoint(state: VersionState, orgUnitId: string, unit: SubtreeUnit, generation: number): CheckpointUnit {
  return {
    version: state.version,
    ...(state.panel ? { panel: state.panel } : {}),
    orgUnitId,
    responses: unit.responses,
    generation,
    borrows: unit.borrows,
    children: unit.children,
    accumulators: Object.fromEntries(state.applicable.map((a) => [a.id, a.serialize(unit.accumulators.get(a.id))])),
  };
}
