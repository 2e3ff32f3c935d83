/**
 * Service commitments in the platform (issue 6): declarations (POST /admin/commitments and
 * surveys/commitments/*.yaml), compliance per unit and period computed from the service events,
 * and the report's "promise as recorded beside promise as felt".
 */
import type { OrgTree } from '../domain/org';
import type { Questionnaire } from '../domain/questionnaire';
import type { Deps } from './deps';
import type { UnitReport } from './reports';

/** POST /admin/commitments. */
export async function declareCommitments(_deps: Deps, _input: unknown): Promise<unknown> {
  throw new Error('not implemented yet');
}

/** GET /admin/commitments. */
export async function listCommitments(_deps: Deps): Promise<unknown> {
  return { commitments: [] };
}

/** The local runtime publishes the declarations in this directory at start. */
export async function publishCommitmentsDirectory(_deps: Deps, _dir: string, _print: (line: string) => void): Promise<void> {}

/** Part of the scheduled computation: compliance per unit for the period. */
export async function computeCommitments(_deps: Deps, _period: string, _tree: OrgTree): Promise<void> {}

/** Adds the unit's commitment figures to a survey report at read time. */
export async function withCommitments(_deps: Pick<Deps, 'store'>, report: UnitReport, _questionnaire: Questionnaire | undefined): Promise<UnitReport> {
  return report;
}
