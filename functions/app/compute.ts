/**
 * The scheduled computation: for each questionnaire and period, fold every response into its
 * unit's accumulator, roll the accumulators up the organisation tree, score every unit and store
 * one report per unit. The HTTP job route and the schedule run this same function.
 */
import { isPeriod, periodOf, shiftPeriod } from '../domain/period';
import { OrgTree } from '../domain/org';
import { accumulate, emptyAccumulator, mergeAccumulators, scoreTree, scoringPlan, type ScoreAccumulator } from '../domain/scoring';
import type { Questionnaire } from '../domain/questionnaire';
import type { ReportRecord } from '../store/dynamo-store';
import type { Deps } from './deps';
import type { UnitReport } from './reports';

export interface ComputeRequest {
  /** One period; by default the current and the previous period of each questionnaire's time zone. */
  period?: string | undefined;
}

export interface ComputeSummary {
  periods: string[];
  computed: { surveyId: string; version: number; period: string; responses: number; units: number }[];
  /** Responses whose unit is not in the organisation tree (they cannot be attributed). */
  unattributed: number;
  /** Responses whose questionnaire version could not be read. */
  unreadable: number;
  durationMs: number;
}

function buildReports(
  questionnaire: Questionnaire,
  period: string,
  tree: OrgTree,
  ownByUnit: Map<string, ScoreAccumulator>,
  computedAt: string,
): ReportRecord<UnitReport>[] {
  const totals = tree.rollUp(ownByUnit, emptyAccumulator, mergeAccumulators);
  const scores = new Map([...totals].map(([unitId, acc]) => [unitId, scoreTree(questionnaire, acc)]));
  const reports: ReportRecord<UnitReport>[] = [];
  for (const [unitId, unitScores] of scores) {
    if (unitScores.n === 0) continue; // nothing to report below this unit
    const children = tree.children(unitId).map((childId) => {
      const child = scores.get(childId);
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
        period,
        orgUnit: unitId,
        orgUnitName: tree.unit(unitId)?.name ?? unitId,
        path: tree.path(unitId),
        n: unitScores.n,
        csi: unitScores.csi,
        elements: unitScores.elements,
        children,
        notes: unitScores.notes,
        computedAt,
      },
    });
  }
  return reports;
}

export async function computeIndices(deps: Deps, request: ComputeRequest = {}): Promise<ComputeSummary> {
  const started = deps.clock.now();
  if (request.period !== undefined && !isPeriod(request.period)) throw new Error(`invalid period ${request.period}`);
  const tree = new OrgTree(await deps.store.listOrgUnits());
  const summary: ComputeSummary = { periods: [], computed: [], unattributed: 0, unreadable: 0, durationMs: 0 };
  const periodsSeen = new Set<string>();

  for (const surveyId of await deps.store.listSurveyIds()) {
    const latest = await deps.store.getLatestSurveyVersion(surveyId);
    if (!latest) continue;
    const current = periodOf(started, latest.definition.timeZone);
    const periods = request.period ? [request.period] : [current, shiftPeriod(current, -1)];
    for (const period of periods) {
      periodsSeen.add(period);
      // Per version, per unit: the accumulator of the unit's own responses.
      const byVersion = new Map<number, Map<string, ScoreAccumulator>>();
      const plans = new Map<number, ReturnType<typeof scoringPlan>>();
      let responses = new Map<number, number>();
      for await (const page of deps.store.responsesOf(surveyId, period)) {
        for (const response of page) {
          if (!tree.has(response.orgUnitId)) {
            summary.unattributed += 1;
            continue;
          }
          let plan = plans.get(response.version);
          if (!plan) {
            const survey = response.version === latest.version ? latest : await deps.store.getSurveyVersion(surveyId, response.version);
            if (!survey) {
              summary.unreadable += 1; // a response of a version that cannot be read is counted, not lost silently
              continue;
            }
            plan = scoringPlan(survey.definition);
            plans.set(response.version, plan);
          }
          const units = byVersion.get(response.version) ?? new Map<string, ScoreAccumulator>();
          byVersion.set(response.version, units);
          const acc = units.get(response.orgUnitId) ?? emptyAccumulator();
          units.set(response.orgUnitId, acc);
          accumulate(plan, acc, response.answers);
          responses.set(response.version, (responses.get(response.version) ?? 0) + 1);
        }
      }
      for (const [version, units] of byVersion) {
        const plan = plans.get(version);
        if (!plan) continue;
        const reports = buildReports(plan.questionnaire, period, tree, units, deps.clock.now().toISOString());
        await deps.store.replaceReports(surveyId, period, version, reports);
        summary.computed.push({ surveyId, version, period, responses: responses.get(version) ?? 0, units: reports.length });
      }
      responses = new Map();
    }
  }
  summary.periods = [...periodsSeen].sort();
  summary.durationMs = deps.clock.now().getTime() - started.getTime();
  deps.logger.info('indices computed', { ...summary });
  return summary;
}
