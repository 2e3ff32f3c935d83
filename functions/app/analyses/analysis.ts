/**
 * An analysis turns a unit's responses into report figures. The computation (functions/app/compute.ts)
 * folds every response into each applicable analysis's accumulator per unit, rolls accumulators up
 * the organisation (merge), stores them as a checkpoint (serialize) so the next run only reads new
 * responses, and asks each analysis for its result per unit, roots first, so a unit can use its
 * root's estimate (the PLS weights of a small branch come from the whole organisation).
 *
 * Each analysis lives in its own module and puts its result under its own key of the unit report;
 * the report's type follows from the list of analyses (functions/app/report-model.ts).
 */
import type { OrgTree } from '../../domain/org';
import type { Questionnaire } from '../../domain/questionnaire';
import type { ResponseRecord } from '../../domain/records';

/** What the analyses that ran before one see of each other's results (the list's order guarantees them). */
export type EarlierResults = Readonly<Record<string, unknown>>;

export interface AnalysisContext<Earlier = EarlierResults, Out = unknown> {
  questionnaire: Questionnaire;
  period: string;
  unitId: string;
  tree: OrgTree;
  /** The results of this analysis at the unit's root (undefined for the root itself). */
  rootResult: Out | undefined;
  /** The results of the analyses that ran before this one for the same unit, by id. */
  earlier: Earlier;
}

/**
 * `Earlier` names the results of earlier analyses this one builds on (by id); the list in
 * `index.ts` puts those analyses first.
 */
export interface ResponseAnalysis<Acc, Out, Id extends string = string, Earlier = EarlierResults> {
  /** Key of the result in the unit report. */
  readonly id: Id;
  /**
   * The section holds figures of the unit's own responses: a unit below the minimum n shows a
   * withholding notice in its place (its responses still count in the parent's figures).
   */
  readonly withheldWhenSmall: boolean;
  applies(questionnaire: Questionnaire): boolean;
  empty(questionnaire: Questionnaire): Acc;
  add(questionnaire: Questionnaire, acc: Acc, response: ResponseRecord): void;
  /** Exact: merging the accumulators of two sets of responses equals accumulating both. */
  merge(a: Acc, b: Acc): Acc;
  serialize(acc: Acc): unknown;
  deserialize(questionnaire: Questionnaire, json: unknown): Acc;
  result(acc: Acc, context: AnalysisContext<Earlier, Out>): Out;
  /**
   * For an analysis whose units may use their root's result (`rootResult`): the part of a root's
   * result they use. When it changes, the units that used it are computed again.
   */
  sharedWithUnits?(result: Out): unknown;
  /** Whether this unit's result used its root's (see sharedWithUnits). */
  borrowsFromRoot?(result: Out): boolean;
}

// Analyses of different accumulator types live in one list.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAnalysis = ResponseAnalysis<any, any, string, any>;
