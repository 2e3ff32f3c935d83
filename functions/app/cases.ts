/**
 * The case routes' use cases: a case by hand (POST /admin/cases), its events (POST
 * /admin/cases/{caseId}/events), the inbox and a case (GET /admin/cases, GET
 * /admin/cases/{caseId}), the alert rules added through the API and the case settings.
 *
 * Who may do what on a case: a user with `cases:own` (managers, admins) whose scope holds the
 * case's unit takes every event; a user with only `cases:work` (agents) sees and works the cases
 * assigned to them (acknowledge, comment, start, resolve), never assigns, closes or reopens.
 */
import { roleMay } from '../domain/access/policy';
import { applyCaseEvent, CASE_EVENT_TYPES, CASE_PRIORITIES, CASE_STATES, caseEventSchema, isOpen, isOverdue, mayTake, type CaseEventType, type CaseRecord, type CaseSummary, CASE_SUMMARY_FIELDS } from '../domain/cases/case';
import { caseSettingsSchema, type CaseSettings } from '../domain/cases/settings';
import { slaSchema } from '../domain/cases/sla-schema';
import { alertRuleRequestSchema, type StoredAlertRule } from '../domain/cases/stored-rules';
import { checkAlertRules } from '../domain/cases/alert-rules';
import { CALENDARS } from '../domain/commitments';
import { conflict, forbidden, formatPath, invalid, notFound, problemsFromZod } from '../domain/errors';
import { OrgTree } from '../domain/org';
import { PERIOD_PATTERN } from '../domain/period';
import { CalendarCoverageError } from '../domain/commitments/calendar';
import { hideIdentifiers } from '../domain/privacy/redact';
import * as z from '../domain/zod';
import { maskEmail, maskName, maskPhone } from '../shared/privacy';
import type { AccessCheck } from './access';
import { armedTimers, caseConfig, DEFAULT_CASE_SLA, DEFAULT_ESCALATION, derivedCaseId, forgetCaseConfig, ownerOf, rearmResolution, slaClockAt } from './case-opening';
import type { Deps } from './deps';
import { decodePageCursor, encodePageCursor } from './list-pages';
import { newId } from '../shared/ids';
import { normalisePhone, type CountryCode } from '../domain/distribution/phone';

type CaseDeps = Pick<Deps, 'store' | 'clock' | 'calendars' | 'logger'>;
type ManualCaseDeps = CaseDeps & Pick<Deps, 'config'>;

const OWNER_ONLY: ReadonlySet<CaseEventType> = new Set(['assign', 'close', 'reopen']);

async function mayOwn(access: AccessCheck, c: CaseRecord): Promise<boolean> {
  return access.can('cases:own', { units: [c.orgUnitId] });
}

/** Whether the caller may see the case at all (403 otherwise, as for every resource outside a scope). */
async function requireReadable(access: AccessCheck, c: CaseRecord): Promise<void> {
  if (await mayOwn(access, c)) return;
  if (roleMay(access.role, 'cases:work') && c.assignee === access.userId && (await access.covers(c.orgUnitId))) return;
  throw forbidden('the case is outside your scope, or your role works only the cases assigned to you');
}

/** The events the caller may take on the case now (the console offers these). */
async function actionsOf(access: AccessCheck, c: CaseRecord): Promise<CaseEventType[]> {
  const owns = await mayOwn(access, c);
  const works = owns || (c.assignee === access.userId && roleMay(access.role, 'cases:work'));
  return CASE_EVENT_TYPES.filter((type) => mayTake(type, c.state) && (OWNER_ONLY.has(type) ? owns : works));
}

async function readCase(deps: Pick<Deps, 'store'>, caseId: string): Promise<CaseRecord> {
  const found = await deps.store.getCase(caseId);
  if (!found) throw notFound(`unknown case "${caseId}"`);
  return found;
}

export type { CaseSummary };

const summaryOf = (c: CaseRecord, now: Date): CaseSummary => ({
  ...(Object.fromEntries(CASE_SUMMARY_FIELDS.filter((field) => c[field] !== undefined).map((field) => [field, c[field]])) as Omit<CaseSummary, 'overdue'>),
  overdue: isOverdue(c, now),
});

const maskedContact = (contact: { name?: string; phone?: string; email?: string } | undefined, pii: boolean) =>
  !contact || pii
    ? contact
    : { ...(contact.name ? { name: maskName(contact.name) } : {}), ...(contact.phone ? { phone: maskPhone(contact.phone) } : {}), ...(contact.email ? { email: maskEmail(contact.email) } : {}) };

/** GET /admin/cases/{caseId}: the case, its timeline, the response that opened it and what the caller may do. */
export async function caseView(deps: CaseDeps, caseId: string, access: AccessCheck) {
  const c = await readCase(deps, caseId);
  await requireReadable(access, c);
  let contact = c.contact;
  let response: { submittedAt: string; answers: Record<string, unknown> } | undefined;
  if (c.invitationId) {
    const token = await deps.store.invitationTokenOf(c.invitationId, c.campaignId);
    const found = token ? await deps.store.getInvitationWithResponse(token) : undefined;
    // An erased person's invitation keeps an empty snapshot: nobody to show.
    const snapshot = found?.invitation.contact;
    if (snapshot && Object.keys(snapshot).length > 0) contact ??= snapshot;
    if (found?.response) {
      const questionnaire = c.surveyId ? (await deps.store.getSurveyVersion(found.response.surveyId, found.response.version))?.definition : undefined;
      // Free text may name people or numbers: only callers who see personal data read it.
      const textQuestions = new Set((questionnaire?.questions ?? []).filter((q) => q.type === 'text').map((q) => q.id));
      const answers = Object.fromEntries(Object.entries(found.response.answers).filter(([id]) => access.pii || !textQuestions.has(id)));
      response = { submittedAt: found.response.submittedAt, answers };
    }
  }
  if (!contact && c.contactId) {
    // A breach case names the event's contact; the contact record is read when the case is shown.
    const stored = await deps.store.getContact(c.contactId);
    if (stored) contact = { ...(stored.name ? { name: stored.name } : {}), ...(stored.phone ? { phone: stored.phone } : {}), ...(stored.email ? { email: stored.email } : {}) };
  }
  // Staff write notes freely: a caller who may not see personal data reads them without the identifiers.
  const person = contact ? { phones: contact.phone ? [contact.phone] : [], emails: contact.email ? [contact.email] : [], names: contact.name ? [contact.name] : [] } : undefined;
  const shown = (text: string) => (access.pii ? text : hideIdentifiers(text, person));
  const now = deps.clock.now();
  return {
    ...summaryOf(c, now),
    ...(c.sla ? { sla: c.sla } : {}),
    ...(c.rootCause ? { rootCause: c.rootCause } : {}),
    ...(c.resolution ? { resolution: shown(c.resolution) } : {}),
    reopenedCount: c.reopenedCount,
    escalations: c.escalations,
    ...(contact ? { contact: maskedContact(contact, access.pii) } : {}),
    ...(response ? { response } : {}),
    ...(c.responseId ? { responseId: c.responseId } : {}),
    ...(c.eventId ? { eventId: c.eventId } : {}),
    ...(c.commitmentId ? { commitmentId: c.commitmentId } : {}),
    ...(c.replies ? { replies: c.replies.map((reply) => ({ at: reply.at, text: shown(reply.text) })) } : {}),
    timeline: access.pii ? c.timeline : c.timeline.map((entry) => (entry.note ? { ...entry, note: shown(entry.note) } : entry)),
    ...(c.followUps ? { followUps: c.followUps } : {}),
    actions: await actionsOf(access, c),
  };
}

/** POST /admin/cases/{caseId}/events: one event, on the version the caller read. */
export async function takeCaseEvent(deps: CaseDeps, caseId: string, body: unknown, access: AccessCheck) {
  const parsed = caseEventSchema.safeParse(body);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid case event');
  const event = parsed.data;
  const c = await readCase(deps, caseId);
  await requireReadable(access, c);
  const allowed = await actionsOf(access, c);
  if (!allowed.includes(event.type)) {
    if (!mayTake(event.type, c.state)) throw conflict(`a ${c.state.replace('_', ' ')} case cannot take "${event.type}"`);
    throw forbidden(OWNER_ONLY.has(event.type) ? `your role may not ${event.type} a case: it needs cases:own for the case's unit` : 'your role works only the cases assigned to you');
  }
  if (event.version !== undefined && event.version !== c.version) throw conflict(`the case changed since you read it (now version ${c.version}): read it again`);
  const { settings } = await caseConfig(deps, true);
  if (event.type === 'assign') await requireAssignable(deps, event.assignee!, c);
  const now = deps.clock.now();
  let next = applyCaseEvent(c, event, { by: access.userId, at: now, rootCauses: settings.rootCauses.map((cause) => cause.id) });
  if (event.type === 'reopen') next = await rearmResolution(deps, next, settings, now);
  if (!(await deps.store.replaceCase(next, c.version))) throw conflict('the case changed while you worked on it: read it again');
  deps.logger.info('case event', { caseId, type: event.type, version: next.version });
  return caseView(deps, caseId, access);
}

/** An assignee works cases (`cases:work`), is enabled, and has the case's unit in scope. */
async function requireAssignable(deps: Pick<Deps, 'store'>, userId: string, c: CaseRecord): Promise<void> {
  const user = await deps.store.getUser(userId);
  const problem = { path: 'assignee', message: `"${userId}" cannot work this case: not an enabled user who works cases of unit ${c.orgUnitId}` };
  if (!user || user.disabled || !roleMay(user.role, 'cases:work')) throw invalid([problem], 'invalid assignee');
  const tree = new OrgTree(await deps.store.listOrgUnits());
  if (!user.orgUnits.some((unit) => tree.isWithin(c.orgUnitId, unit))) throw invalid([problem], 'invalid assignee');
}

/** Deadlines computed from now, or a 400 naming the sla when the calendar cannot place them. */
function deadlinesOrInvalid<T>(compute: () => T, summary: string, path = 'sla'): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof CalendarCoverageError || error instanceof RangeError) throw invalid([{ path, message: error.message }], summary);
    throw error;
  }
}

const unitIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected an organisation unit id' }));

const manualCaseSchema = z.strictObject({
  orgUnitId: unitIdSchema,
  /** What the customer said (an agent's note of a phone complaint). */
  note: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
  priority: z._default(z.enum(CASE_PRIORITIES), 'normal'),
  contactId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  contact: z.optional(
    z.strictObject({
      name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
      phone: z.optional(z.string().check(z.maxLength(40))),
      email: z.optional(z.pipe(z.string().check(z.trim(), z.maxLength(254)), z.email({ error: 'not a valid e-mail address' }))),
    }),
  ),
  staffId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  surveyId: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,64}$/))),
  sla: z._default(slaSchema, DEFAULT_CASE_SLA),
});

/**
 * POST /admin/cases: a case by hand (an agent logging a phone complaint). An `Idempotency-Key`
 * makes a retry return the case it created instead of a second one.
 */
export async function openManualCase(deps: ManualCaseDeps, body: unknown, access: AccessCheck, idempotencyKey?: string): Promise<{ status: 'created' | 'existing'; case: Awaited<ReturnType<typeof caseView>> }> {
  const parsed = manualCaseSchema.safeParse(body);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid case');
  const input = parsed.data;
  await access.requireUnits([input.orgUnitId], 'the case');
  // The customer's number as contacts keep it (E.164), so a person's erasure by number finds the case.
  let contact = input.contact;
  if (contact?.phone !== undefined) {
    const phone = normalisePhone(contact.phone, deps.config.defaultRegion as CountryCode);
    if (!phone.ok) throw invalid([{ path: 'contact.phone', message: phone.reason }], 'invalid case');
    contact = { ...contact, phone: phone.e164 };
  }
  if (contact?.email !== undefined) contact = { ...contact, email: contact.email.toLowerCase() };
  // A stored contact named by id is shown on the case: it must exist and be the caller's to see.
  if (input.contactId !== undefined) {
    const stored = await deps.store.getContact(input.contactId);
    if (!stored) throw invalid([{ path: 'contactId', message: `unknown contact "${input.contactId}"` }], 'invalid case');
    await access.requireUnits([stored.orgUnitId], 'the contact');
  }
  const [units, users, { settings }] = await Promise.all([deps.store.listOrgUnits(), deps.store.listUsers(), caseConfig(deps)]);
  const tree = new OrgTree(units);
  if (!tree.unit(input.orgUnitId)) throw invalid([{ path: 'orgUnitId', message: `unknown org unit "${input.orgUnitId}"` }], 'invalid case');
  const now = deps.clock.now();
  const clock = await slaClockAt(deps, settings, tree.path(input.orgUnitId));
  const { ownerUnit, owner } = ownerOf(tree, users, input.orgUnitId);
  const caseId = idempotencyKey ? derivedCaseId('manual', access.userId, idempotencyKey) : newId('case');
  const record: CaseRecord = {
    caseId,
    version: 1,
    source: 'manual',
    ...(input.surveyId ? { surveyId: input.surveyId } : {}),
    reasons: ['logged by hand'],
    orgUnitId: input.orgUnitId,
    ...(input.staffId ? { staffId: input.staffId } : {}),
    ...(input.contactId ? { contactId: input.contactId } : {}),
    ...(contact ? { contact } : {}),
    priority: input.priority,
    state: 'new',
    ownerUnit,
    ...(owner ? { owner } : {}),
    // The agent who logged it works it unless a manager assigns someone else.
    ...(roleMay(access.role, 'cases:own') ? {} : { assignee: access.userId }),
    openedAt: now.toISOString(),
    sla: input.sla,
    ...deadlinesOrInvalid(() => armedTimers(now, input.sla, DEFAULT_ESCALATION, clock), 'invalid case'),
    overdueNoticed: [],
    notifications: [],
    reopenedCount: 0,
    timeline: [{ at: now.toISOString(), by: access.userId, type: 'opened', state: 'new', note: input.note, ownerUnit, ...(owner ? { owner } : {}) }],
  };
  const result = await deps.store.createCaseOnce(record);
  return { status: result.created ? 'created' : 'existing', case: await caseView(deps, caseId, access) };
}

const listQuerySchema = z.strictObject({
  orgUnit: z.optional(unitIdSchema),
  state: z.optional(z.enum([...CASE_STATES, 'open'] as const, { error: `expected open or one of ${CASE_STATES.join(', ')}` })),
  /** A user id, or "me". */
  owner: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  overdue: z.optional(z.enum(['true', 'false'])),
  period: z.optional(z.string().check(z.regex(PERIOD_PATTERN, { error: 'expected a month YYYY-MM' }))),
  cursor: z.optional(z.string().check(z.maxLength(500))),
  limit: z._default(z.pipe(z.string().check(z.regex(/^\d{1,3}$/, { error: 'expected 1-100' })), z.transform(Number)).check(z.gte(1), z.lte(100)), 50),
});

const cursorSchema = z.strictObject({ after: z.string(), query: z.string() });

/**
 * GET /admin/cases: open cases (overdue first, then by the next deadline) or, with `period`, the
 * cases opened that month (newest first), within the caller's scope; an agent sees the cases
 * assigned to them. Cursor pages; a cursor belongs to its query.
 */
export async function listCases(deps: CaseDeps, query: unknown, access: AccessCheck): Promise<{ cases: CaseSummary[]; cursor?: string }> {
  const parsed = listQuerySchema.safeParse(query ?? {});
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid query');
  const { orgUnit, state, owner, overdue, period, cursor, limit } = parsed.data;
  if (state === 'closed' && !period) throw invalid([{ path: 'period', message: 'closed cases are listed by the month they opened: give period=YYYY-MM' }], 'invalid query');
  const fingerprint = JSON.stringify([orgUnit, state, owner, overdue, period]);
  const after = cursor ? decodePageCursor(cursor, cursorSchema) : undefined;
  if (after && after.query !== fingerprint) throw invalid([{ path: 'cursor', message: 'the cursor belongs to another query: start again without it' }], 'invalid cursor');
  if (orgUnit) await access.requireUnits([orgUnit], 'the list');
  const scope = await access.scope();
  const owns = roleMay(access.role, 'cases:own');
  const ownerId = owner === 'me' ? access.userId : owner;
  const now = deps.clock.now();
  const cases = period ? await deps.store.casesOfMonth(period) : await deps.store.listOpenCases();
  const keyOf = (c: CaseRecord, due: boolean) =>
    period ? `${String(9e15 - Date.parse(c.openedAt)).padStart(16, '0')}|${c.caseId}` : `${due ? 0 : 1}|${c.firstContactAt ? (c.resolveDueAt ?? '~') : (c.firstContactDueAt ?? c.resolveDueAt ?? '~')}|${c.caseId}`;
  const listed = cases
    .filter((c) => scope.covers(c.orgUnitId) && (owns || c.assignee === access.userId))
    .filter((c) => !orgUnit || scope.tree.isWithin(c.orgUnitId, orgUnit))
    .filter((c) => (state === undefined ? period !== undefined || isOpen(c) : state === 'open' ? isOpen(c) : c.state === state))
    .filter((c) => !ownerId || c.owner === ownerId || c.assignee === ownerId)
    .map((c) => ({ c, due: isOverdue(c, now) }))
    .filter(({ due }) => overdue === undefined || due === (overdue === 'true'))
    .map(({ c, due }) => ({ key: keyOf(c, due), c }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .filter(({ key }) => !after || key > after.after);
  const page = listed.slice(0, limit);
  const last = page[page.length - 1];
  return {
    cases: page.map(({ c }) => summaryOf(c, now)),
    ...(listed.length > limit && last ? { cursor: encodePageCursor({ after: last.key, query: fingerprint }) } : {}),
  };
}

/** POST /admin/alert-rules: adds (or replaces, by id) a rule for a questionnaire, a subtree or both. */
export async function putAlertRule(deps: CaseDeps, body: unknown, access: AccessCheck): Promise<{ status: 'created' | 'replaced'; rule: StoredAlertRule }> {
  const parsed = alertRuleRequestSchema.safeParse(body);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid alert rule');
  const { surveyId, orgUnitId, rule } = parsed.data;
  if (orgUnitId) await access.requireUnits([orgUnitId], 'the rule');
  if (surveyId) {
    const latest = await deps.store.getLatestSurveyVersion(surveyId);
    if (!latest) throw invalid([{ path: 'surveyId', message: `unknown questionnaire "${surveyId}"` }], 'invalid alert rule');
    // Paths name the rule in the request: alerts[0].when... becomes rule.when...
    const problems = checkAlertRules([rule], latest.definition).map((p) => ({ path: formatPath(['rule', ...p.path.slice(2)]), message: p.message }));
    if (problems.length > 0) throw invalid(problems, `the rule does not fit questionnaire "${surveyId}" v${latest.version}`);
  }
  // The deadlines must be computable: a rule whose targets run past the calendar's data is refused now, not at each answer.
  const { settings } = await caseConfig(deps);
  const clock = await slaClockAt(deps, settings, orgUnitId ? new OrgTree(await deps.store.listOrgUnits()).path(orgUnitId) : []);
  const now = deps.clock.now();
  deadlinesOrInvalid(() => armedTimers(now, rule.sla, rule.escalate, clock), 'invalid alert rule', 'rule.sla');
  const stored: StoredAlertRule = { ruleId: rule.id, ...(surveyId ? { surveyId } : {}), ...(orgUnitId ? { orgUnitId } : {}), rule, createdAt: deps.clock.now().toISOString(), createdBy: access.userId };
  const status = await deps.store.putAlertRule(stored);
  forgetCaseConfig(deps);
  return { status, rule: stored };
}

/** GET /admin/alert-rules. */
/** GET /admin/alert-rules: the organisation-wide rules, and those of subtrees in the caller's scope. */
export async function listAlertRules(deps: Pick<Deps, 'store'>, access: AccessCheck): Promise<{ rules: StoredAlertRule[] }> {
  const rules: StoredAlertRule[] = [];
  for (const rule of await deps.store.listAlertRules()) if (rule.orgUnitId === undefined || (await access.covers(rule.orgUnitId))) rules.push(rule);
  return { rules: rules.sort((a, b) => a.ruleId.localeCompare(b.ruleId)) };
}

/** GET /admin/case-settings: the organisation's (or the defaults). */
export async function readCaseSettings(deps: Pick<Deps, 'store' | 'clock'>): Promise<CaseSettings> {
  return (await caseConfig(deps, true)).settings;
}

/** PUT /admin/case-settings: replaces them whole. Root causes already used by cases may be dropped; those cases keep theirs. */
export async function writeCaseSettings(deps: Pick<Deps, 'store' | 'calendars'>, body: unknown, access: AccessCheck): Promise<CaseSettings> {
  if (!(await access.scope()).isOrganisationWide) throw forbidden('the case settings are the whole organisation\'s: your scope must hold the root of the organisation');
  const parsed = caseSettingsSchema.safeParse(body);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid case settings');
  if (!(deps.calendars ?? CALENDARS)[parsed.data.calendar]) throw invalid([{ path: 'calendar', message: `unknown calendar "${parsed.data.calendar}" (shipped: ${Object.keys(deps.calendars ?? CALENDARS).join(', ')})` }], 'invalid case settings');
  await deps.store.putCaseSettings(parsed.data);
  forgetCaseConfig(deps);
  return parsed.data;
}
