/**
 * Opening cases: from a stored response whose answers match an alert rule (the questionnaire's
 * own `alerts` and those added through POST /admin/alert-rules), and by hand (POST /admin/cases).
 *
 * Exactly one case per response and rule: its id is derived from the two, and it is created by one
 * conditional put, so a retried, crashed or concurrent evaluation finds it there. The evaluation
 * runs right after the submit's write; the case timers' sweep (./case-timers.ts) evaluates every
 * response again from where it last got to, which catches a submit that stopped between its two
 * writes and a rule a warm container had not seen yet.
 */
import { createHash } from 'node:crypto';
import { checkAlertRules, evaluateAlerts, type AlertRule } from '../domain/cases/alert-rules';
import { type CaseRecord, type EscalationTimer } from '../domain/cases/case';
import { defaultCaseSettings, type CaseSettings } from '../domain/cases/settings';
import { addWorkingTime, slaDeadlines, type SlaClock } from '../domain/cases/sla';
import type { Sla } from '../domain/cases/sla-schema';
import { appliesTo, type StoredAlertRule } from '../domain/cases/stored-rules';
import { CALENDARS, defaultCalendarSettings, effectiveCalendar, parseDurationMs } from '../domain/commitments';
import { OrgTree } from '../domain/org';
import type { Questionnaire } from '../domain/questionnaire/schema';
import type { ResponseRecord } from '../domain/records';
import type { UserRecord } from '../domain/access/users';
import { calendarSettingsOf } from './commitments';
import type { Deps } from './deps';

/** How long a container keeps the stored rules and settings (the sweep uses fresh ones). */
const CONFIG_TTL_MS = 60_000;

interface CaseConfig {
  settings: CaseSettings;
  rules: StoredAlertRule[];
  readAt: number;
}

const configs = new WeakMap<object, CaseConfig>();

/** The case settings and stored rules, read at most once a minute per container (`fresh`: now). */
export async function caseConfig(deps: Pick<Deps, 'store' | 'clock'>, fresh = false): Promise<CaseConfig> {
  const now = deps.clock.now().getTime();
  const cached = configs.get(deps.store);
  if (!fresh && cached && now - cached.readAt < CONFIG_TTL_MS) return cached;
  const { settings, rules } = await deps.store.getCaseConfig();
  const config = { settings: settings ?? defaultCaseSettings(), rules, readAt: now };
  configs.set(deps.store, config);
  return config;
}

/** Forget the cached config (a write through the API, in this container). */
export const forgetCaseConfig = (deps: Pick<Deps, 'store'>): void => void configs.delete(deps.store);

/** The deadlines of a case no rule declares (by hand, from an SMS reply, from a breach): first contact in a working day, resolution in five. */
export const DEFAULT_CASE_SLA: Sla = { firstContact: 'P1D', resolve: 'P5D', calendar: 'working-days' };

/** Their escalation: the owner's manager on a missed first contact, the parent unit on a missed resolution. */
export const DEFAULT_ESCALATION: NonNullable<AlertRule['escalate']> = [
  { after: 'firstContact', notify: 'owner-manager' },
  { after: 'resolve', to: 'parent-unit' },
];

/** Case ids of rule cases: one per response (or reply, or breach) and rule, whatever retries. */
export const derivedCaseId = (...parts: string[]): string => `case_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;

/** The working-time clock deadlines count by at a unit: its calendar with the organisation's own days. */
export async function slaClockAt(deps: Pick<Deps, 'store' | 'calendars'>, settings: CaseSettings, unitPath: readonly string[]): Promise<SlaClock> {
  const base = (deps.calendars ?? CALENDARS)[settings.calendar];
  if (!base) throw new Error(`case settings name calendar "${settings.calendar}", which is not shipped`);
  const calendarSettings = (await calendarSettingsOf(deps)).get(settings.calendar) ?? defaultCalendarSettings();
  return { calendar: effectiveCalendar(base, calendarSettings, unitPath), workingHours: settings.workingHours, timeZone: settings.timeZone };
}

/** The manager who owns a unit's cases: of the unit, else of the nearest unit above that has one. */
export function ownerOf(tree: OrgTree, users: readonly UserRecord[], orgUnitId: string): { ownerUnit: string; owner?: string } {
  const path = tree.path(orgUnitId);
  for (const unit of [...path].reverse()) {
    const manager = users
      .filter((user) => user.role === 'manager' && !user.disabled && user.orgUnits.includes(unit))
      .sort((a, b) => a.userId.localeCompare(b.userId))[0];
    if (manager) return { ownerUnit: unit, owner: manager.userId };
  }
  return { ownerUnit: orgUnitId };
}

/** Deadlines and escalation timers from the opening instant. */
export function armedTimers(openedAt: Date, sla: Sla | undefined, escalate: AlertRule['escalate'], clock: SlaClock): Pick<CaseRecord, 'firstContactDueAt' | 'resolveDueAt' | 'escalations'> {
  if (!sla) return { escalations: [] };
  const { firstContactDueAt, resolveDueAt } = slaDeadlines(openedAt, sla, clock);
  const escalations: EscalationTimer[] = [];
  (escalate ?? []).forEach((step, index) => {
    const deadline = step.after === 'firstContact' ? firstContactDueAt : resolveDueAt;
    if (!deadline) return;
    const dueAt = step.delay ? (sla.calendar === 'working-days' ? addWorkingTime(deadline, step.delay, clock) : new Date(deadline.getTime() + parseDurationMs(step.delay))) : deadline;
    escalations.push({ step: index, after: step.after, ...(step.notify ? { notify: step.notify } : {}), ...(step.to ? { to: step.to } : {}), dueAt: dueAt.toISOString() });
  });
  return {
    ...(firstContactDueAt ? { firstContactDueAt: firstContactDueAt.toISOString() } : {}),
    ...(resolveDueAt ? { resolveDueAt: resolveDueAt.toISOString() } : {}),
    escalations,
  };
}

/** A reopened case gets a new resolution deadline from now, with the steps after it armed again. */
export async function rearmResolution(deps: Pick<Deps, 'store' | 'calendars'>, c: CaseRecord, settings: CaseSettings, now: Date): Promise<CaseRecord> {
  if (!c.sla?.resolve) return c;
  const tree = new OrgTree(await deps.store.listOrgUnits());
  const clock = await slaClockAt(deps, settings, tree.path(c.orgUnitId));
  const sla = { calendar: c.sla.calendar, resolve: c.sla.resolve };
  const pending = c.escalations.filter((step) => step.after === 'resolve' && !step.firedAt);
  const armed = armedTimers(now, sla, pending.map((step) => ({ after: step.after, ...(step.notify ? { notify: step.notify } : {}), ...(step.to ? { to: step.to } : {}) })), clock);
  const rearmed = pending.map((step, i) => ({ ...step, dueAt: armed.escalations[i]?.dueAt ?? step.dueAt }));
  return {
    ...c,
    ...(armed.resolveDueAt ? { resolveDueAt: armed.resolveDueAt } : {}),
    // The promise first made stays what the reports measure the resolution against.
    ...(c.firstResolveDueAt ?? c.resolveDueAt ? { firstResolveDueAt: (c.firstResolveDueAt ?? c.resolveDueAt)! } : {}),
    overdueNoticed: c.overdueNoticed.filter((deadline) => deadline !== 'resolve'),
    escalations: [...c.escalations.filter((step) => !pending.includes(step)), ...rearmed].sort((a, b) => a.step - b.step),
  };
}

/** The rules that apply to a response: the questionnaire's, then the stored ones for its survey and unit. */
export function rulesFor(questionnaire: Questionnaire, stored: readonly StoredAlertRule[], unitPath: readonly string[]): AlertRule[] {
  const own = questionnaire.alerts ?? [];
  // A rule for every questionnaire applies only where the questions it names exist as it expects.
  const added = stored
    .filter((rule) => appliesTo(rule, questionnaire.id, unitPath) && !own.some((r) => r.id === rule.ruleId))
    .map((rule) => rule.rule)
    .filter((rule) => checkAlertRules([rule], questionnaire).length === 0);
  return [...own, ...added];
}

/**
 * Evaluates a stored response and opens a case for every rule it matches (each once). Without a
 * match it reads nothing beyond the cached config; a match reads the tree, the users and the
 * calendar settings to find the owner and the deadlines.
 */
export async function openCasesForResponse(
  deps: Pick<Deps, 'store' | 'clock' | 'calendars' | 'logger'>,
  response: ResponseRecord,
  questionnaire: Questionnaire,
  options: { fresh?: boolean } = {},
): Promise<{ opened: string[]; existing: string[] }> {
  // Mystery shoppers and managers answering expectations are not customers with a problem.
  if (response.panel || response.audience) return { opened: [], existing: [] };
  const config = await caseConfig(deps, options.fresh);
  if (!questionnaire.alerts?.length && config.rules.length === 0) return { opened: [], existing: [] };
  let tree: OrgTree | undefined;
  const treeOf = async () => (tree ??= new OrgTree(await deps.store.listOrgUnits()));
  // Stored rules may be bound to a subtree: only then is the unit's path needed before a match.
  const rules = rulesFor(questionnaire, config.rules, config.rules.length > 0 ? (await treeOf()).path(response.orgUnitId) : []);
  const matches = evaluateAlerts(rules, questionnaire, response.answers);
  if (matches.length === 0) return { opened: [], existing: [] };

  const [units, users] = await Promise.all([treeOf(), deps.store.listUsers()]);
  tree = units;
  const clock = await slaClockAt(deps, config.settings, tree.path(response.orgUnitId));
  const openedAt = new Date(response.submittedAt);
  const { ownerUnit, owner } = ownerOf(tree, users, response.orgUnitId);
  const opened: string[] = [];
  const existing: string[] = [];
  for (const match of matches) {
    const rule = rules.find((r) => r.id === match.ruleId)!;
    const record: CaseRecord = {
      caseId: derivedCaseId('response', response.responseId, rule.id),
      version: 1,
      source: 'response',
      surveyId: response.surveyId,
      responseId: response.responseId,
      campaignId: response.campaignId,
      invitationId: response.invitationId,
      ...(response.eventId ? { eventId: response.eventId } : {}),
      ruleId: rule.id,
      reasons: match.reasons,
      orgUnitId: response.orgUnitId,
      ...(response.staffId ? { staffId: response.staffId } : {}),
      ...(response.channel === 'sms' || response.channel === 'link' ? { channel: response.channel } : {}),
      lang: response.lang,
      priority: match.priority,
      state: 'new',
      ownerUnit,
      ...(owner ? { owner } : {}),
      openedAt: openedAt.toISOString(),
      ...(rule.sla ? { sla: rule.sla } : {}),
      ...armedTimers(openedAt, rule.sla, rule.escalate, clock),
      overdueNoticed: [],
      notifications: [],
      ...(rule.followUp ? { followUp: rule.followUp } : {}),
      reopenedCount: 0,
      timeline: [{ at: openedAt.toISOString(), by: 'system', type: 'opened', state: 'new', ownerUnit, ...(owner ? { owner } : {}), note: `rule ${rule.id}: ${match.reasons.join('; ')}` }],
    };
    const result = await deps.store.createCaseOnce(record);
    (result.created ? opened : existing).push(record.caseId);
    if (result.created) deps.logger.info('case opened', { caseId: record.caseId, ruleId: rule.id, surveyId: response.surveyId, orgUnitId: response.orgUnitId });
  }
  return { opened, existing };
}

/** What a case the platform opens on its own (an SMS reply, a commitment breach) is about. */
export type SystemCase = Pick<CaseRecord, 'caseId' | 'source' | 'orgUnitId' | 'reasons' | 'priority'> &
  Partial<Pick<CaseRecord, 'surveyId' | 'campaignId' | 'invitationId' | 'eventId' | 'commitmentId' | 'staffId' | 'contactId' | 'channel' | 'lang' | 'replies'>> & {
    openedAt: Date;
    /** The opening entry's note (in words that quote no free text). */
    note: string;
  };

/** Opens a case with the default deadlines and escalation, once per caseId (a derived id makes a retry find it). */
export async function openSystemCase(deps: Pick<Deps, 'store' | 'clock' | 'calendars' | 'logger'>, opening: SystemCase): Promise<{ created: boolean; existing?: CaseRecord; record: CaseRecord }> {
  const { openedAt, note, ...about } = opening;
  const [config, units, users] = await Promise.all([caseConfig(deps), deps.store.listOrgUnits(), deps.store.listUsers()]);
  const tree = new OrgTree(units);
  const clock = await slaClockAt(deps, config.settings, tree.path(about.orgUnitId));
  const { ownerUnit, owner } = ownerOf(tree, users, about.orgUnitId);
  const at = openedAt.toISOString();
  const record: CaseRecord = {
    ...about,
    version: 1,
    state: 'new',
    ownerUnit,
    ...(owner ? { owner } : {}),
    openedAt: at,
    sla: DEFAULT_CASE_SLA,
    ...armedTimers(openedAt, DEFAULT_CASE_SLA, DEFAULT_ESCALATION, clock),
    overdueNoticed: [],
    notifications: [],
    reopenedCount: 0,
    timeline: [{ at, by: 'system', type: 'opened', state: 'new', ownerUnit, ...(owner ? { owner } : {}), note }],
  };
  const result = await deps.store.createCaseOnce(record);
  if (result.created) deps.logger.info('case opened', { caseId: record.caseId, source: record.source, orgUnitId: record.orgUnitId });
  return { ...result, record };
}
