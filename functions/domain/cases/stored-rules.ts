/**
 * Alert rules added through POST /admin/alert-rules, beside those a questionnaire declares: for
 * one questionnaire, for one org unit's subtree, or both. A rule without a questionnaire applies
 * to every questionnaire whose questions it names (one it does not fit is skipped for it).
 */
import * as z from '../zod';
import { alertRuleSchema, type AlertRule } from './alert-rules';

const unitId = z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected an organisation unit id' }));
const surveyId = z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, { error: 'expected a questionnaire id' }));

export const alertRuleRequestSchema = z.strictObject({
  surveyId: z.optional(surveyId),
  /** The subtree the rule applies in (absent: everywhere). */
  orgUnitId: z.optional(unitId),
  rule: alertRuleSchema,
});
export type AlertRuleRequest = z.output<typeof alertRuleRequestSchema>;

export interface StoredAlertRule {
  ruleId: string;
  surveyId?: string;
  orgUnitId?: string;
  rule: AlertRule;
  createdAt: string;
  createdBy: string;
}

/** Whether a stored rule applies to a response of `surveyId` at a unit with this path (root first). */
export const appliesTo = (stored: Pick<StoredAlertRule, 'surveyId' | 'orgUnitId'>, surveyId: string, unitPath: readonly string[]): boolean =>
  (stored.surveyId === undefined || stored.surveyId === surveyId) && (stored.orgUnitId === undefined || unitPath.includes(stored.orgUnitId));
