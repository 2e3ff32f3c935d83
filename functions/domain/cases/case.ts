/**
 * A case: what a low score, a complaint or a broken promise opens, and what someone must close.
 * The record, its states and the one function that moves it (`applyCaseEvent`), and the timers it
 * carries (deadlines and escalation steps, as instants computed when they were armed).
 *
 * States: new -> acknowledged -> in_progress -> resolved -> closed, and reopened from resolved or
 * closed (then on as from new). The first acknowledge, start or resolve is the first contact: the
 * owner confirms the customer was reached (回访). Resolving needs a root cause and a note.
 */
import * as z from '../zod';
import { conflict, invalid } from '../errors';
import { parseDurationMs } from '../commitments/duration';
import type { Sla } from './sla-schema';

export const CASE_STATES = ['new', 'acknowledged', 'in_progress', 'resolved', 'closed', 'reopened'] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const CASE_SOURCES = ['response', 'reply', 'breach', 'manual'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const CASE_PRIORITIES = ['high', 'normal', 'low'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_EVENT_TYPES = ['acknowledge', 'comment', 'assign', 'start', 'resolve', 'close', 'reopen'] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

const userIdSchema = z.string().check(z.minLength(1), z.maxLength(100));
const noteSchema = z.string().check(z.trim(), z.minLength(1, { error: 'a note must not be empty' }), z.maxLength(2000));
const rootCauseIdSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'expected a root-cause id such as staff-attitude' }));

/** POST /admin/cases/{caseId}/events. `version`: the case version the caller read (409 if it moved on). */
export const caseEventSchema = z.strictObject({
  type: z.enum(CASE_EVENT_TYPES, { error: `expected one of ${CASE_EVENT_TYPES.join(', ')}` }),
  note: z.optional(noteSchema),
  assignee: z.optional(userIdSchema),
  rootCause: z.optional(rootCauseIdSchema),
  version: z.optional(z.int().check(z.positive())),
});
export type CaseEvent = z.output<typeof caseEventSchema>;

/** A root cause the organisation reports by (configurable; ./settings.ts ships defaults). */
export interface RootCause {
  id: string;
  label: Record<string, string>;
}

/** What the timers do: an escalation step as declared, and when it fires (deadline plus delay). */
export interface EscalationTimer {
  step: number;
  after: 'firstContact' | 'resolve';
  notify?: 'owner' | 'owner-manager';
  to?: 'parent-unit';
  dueAt: string;
  /** When it fired (once), and what it did. */
  firedAt?: string;
}

/** A notification the timers send: at most once per step (the key is the idempotency key). */
export interface CaseNotification {
  key: string;
  to: string;
  state: 'pending' | 'sending' | 'sent' | 'failed' | 'no-channel';
  /** When it entered that state. */
  at: string;
}

/** A notification left "sending" longer than this is taken as crashed around the provider call. */
export const STALE_SENDING_MS = 5 * 60_000;

/** A follow-up questionnaire sent after a resolution (round = the case's reopenedCount then). */
export interface FollowUp {
  round: number;
  at: string;
  /** Its invitation, or why none could be made (no SMS reaches the customer; the questionnaire is not published). */
  invitationId?: string;
  outcome?: 'no-channel' | 'no-survey';
  /** The customer's answer, once attached: whether it is solved, and the handling rated 1-5. */
  responseId?: string;
  answeredAt?: string;
  solved?: boolean;
  handled?: number;
}

export interface TimelineEntry {
  at: string;
  /** A user id, or "system" for rules and timers. */
  by: string;
  type: CaseEventType | 'opened' | 'overdue' | 'escalated' | 'notified' | 'follow-up' | 'follow-up-answered' | 'reply';
  note?: string;
  state?: CaseState;
  assignee?: string;
  owner?: string;
  ownerUnit?: string;
  rootCause?: string;
  /** For overdue: which deadline. */
  deadline?: 'firstContact' | 'resolve';
}

export interface CaseRecord {
  caseId: string;
  /** Incremented by every change: updates are conditional on it. */
  version: number;
  source: CaseSource;
  surveyId?: string;
  responseId?: string;
  campaignId?: string;
  invitationId?: string;
  eventId?: string;
  ruleId?: string;
  /** What opened it, in words that quote no free text. */
  reasons: string[];
  orgUnitId: string;
  staffId?: string;
  contactId?: string;
  /**
   * The customer as a manual case was given them (personal data: sealed, masked unless `pii`). A
   * case a response or reply opened keeps none: its views read the invitation's, so an erasure of
   * the person leaves nothing behind here.
   */
  contact?: { name?: string; phone?: string; email?: string };
  channel?: 'sms' | 'link';
  lang?: string;
  priority: CasePriority;
  state: CaseState;
  /** The unit whose manager owns the case (escalation moves it up), and that manager. */
  ownerUnit: string;
  owner?: string;
  assignee?: string;
  openedAt: string;
  sla?: Sla;
  firstContactDueAt?: string;
  resolveDueAt?: string;
  /** The resolution deadline first armed, kept when a reopening arms a new one (the reports measure against it). */
  firstResolveDueAt?: string;
  firstContactAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  /** Deadlines whose passing the timers have noticed (each once). */
  overdueNoticed: ('firstContact' | 'resolve')[];
  escalations: EscalationTimer[];
  notifications: CaseNotification[];
  followUp?: { survey: string; channel: 'same' | 'sms' | 'link'; delay: string };
  /** When the follow-up of the latest resolution is due (armed by resolve, cleared once it is made). */
  followUpDueAt?: string;
  /** The follow-ups made, one per resolution, and what the customer answered. */
  followUps?: FollowUp[];
  /** The commitment a breach case is about (with `eventId`, the service event that missed it). */
  commitmentId?: string;
  /**
   * What the customer wrote back by SMS (a reply case: the messages of its day, at most
   * MAX_CASE_REPLIES of at most MAX_REPLY_CHARACTERS each): shown to callers without `pii` with
   * identifiers hidden.
   */
  replies?: { at: string; text: string; messageId?: string }[];
  rootCause?: string;
  resolution?: string;
  reopenedCount: number;
  timeline: TimelineEntry[];
  /** When a person's erasure last removed them from the case (./erasure.ts). */
  erasedAt?: string;
  /** When the retention purge expired its free text (./erasure.ts). */
  textExpiredAt?: string;
}

/** The fields of a case the figures read (the store reads only these: no contact, no timeline). */
export const CASE_FIGURE_FIELDS = [
  'caseId', 'source', 'orgUnitId', 'state', 'openedAt', 'firstContactDueAt', 'resolveDueAt', 'firstResolveDueAt', 'firstContactAt', 'resolvedAt', 'closedAt', 'reopenedCount', 'followUps', 'rootCause',
] as const satisfies readonly (keyof CaseRecord)[];
export type CaseFigureInput = Pick<CaseRecord, (typeof CASE_FIGURE_FIELDS)[number]>;

/** The fields the inbox lists (GET /admin/cases): an allow-list, so a field added to cases (free text, a contact) stays out until chosen. */
export const CASE_SUMMARY_FIELDS = [
  'caseId', 'version', 'source', 'surveyId', 'ruleId', 'orgUnitId', 'staffId', 'priority', 'state', 'ownerUnit', 'owner', 'assignee',
  'openedAt', 'firstContactDueAt', 'resolveDueAt', 'firstContactAt', 'resolvedAt', 'closedAt', 'reasons',
] as const satisfies readonly (keyof CaseRecord)[];

/** A case as the inbox lists it: the API's shape, which the console reads too. */
export type CaseSummary = Pick<CaseRecord, (typeof CASE_SUMMARY_FIELDS)[number]> & { overdue: boolean };

export const MAX_CASE_REPLIES = 20;
export const MAX_REPLY_CHARACTERS = 640;

/**
 * A timeline keeps its opening entry and its latest ones, at most 200 and 256 KB of JSON (notes
 * of 2,000 Chinese characters are 6 KB each): the case item stays below DynamoDB's 400 KB.
 */
export const MAX_TIMELINE_ENTRIES = 200;
export const MAX_TIMELINE_BYTES = 256 * 1024;

const OPEN_STATES: ReadonlySet<CaseState> = new Set(['new', 'acknowledged', 'in_progress', 'reopened']);
export const isOpen = (c: Pick<CaseRecord, 'state'>): boolean => c.state !== 'closed';
/** Still to be resolved (resolved and closed cases are not). */
export const isUnresolved = (c: Pick<CaseRecord, 'state'>): boolean => OPEN_STATES.has(c.state);

/** The states each event may leave from, and where it goes (undefined: the state stays). */
const TRANSITIONS: Record<CaseEventType, { from: ReadonlySet<CaseState>; to?: CaseState }> = {
  acknowledge: { from: new Set(['new', 'reopened']), to: 'acknowledged' },
  start: { from: new Set(['new', 'acknowledged', 'reopened']), to: 'in_progress' },
  resolve: { from: new Set(['new', 'acknowledged', 'in_progress', 'reopened']), to: 'resolved' },
  close: { from: new Set(['resolved']), to: 'closed' },
  reopen: { from: new Set(['resolved', 'closed']), to: 'reopened' },
  comment: { from: new Set(CASE_STATES) },
  assign: { from: new Set(['new', 'acknowledged', 'in_progress', 'reopened', 'resolved']) },
};

/** Whether an event can be taken in a state (the console offers only those). */
export const mayTake = (type: CaseEventType, state: CaseState): boolean => TRANSITIONS[type].from.has(state);

export interface EventContext {
  by: string;
  at: Date;
  rootCauses: readonly string[];
}

const utf8 = new TextEncoder();
const bytesOf = (entry: TimelineEntry) => utf8.encode(JSON.stringify(entry)).length;

function withEntry(c: CaseRecord, entry: TimelineEntry): TimelineEntry[] {
  const [opening, ...rest] = [...c.timeline, entry];
  const kept: TimelineEntry[] = [];
  let bytes = bytesOf(opening!);
  // Newest first, until either bound is reached; the oldest after the opening go.
  for (let i = rest.length - 1; i >= 0 && kept.length < MAX_TIMELINE_ENTRIES - 1; i -= 1) {
    bytes += bytesOf(rest[i]!);
    if (bytes > MAX_TIMELINE_BYTES) break;
    kept.push(rest[i]!);
  }
  return [opening!, ...kept.reverse()];
}

/**
 * The case after an event (a new record, version + 1). Illegal transitions are conflicts (409);
 * a missing note, root cause or assignee is invalid (400). Who may take it is the caller's check.
 */
export function applyCaseEvent(c: CaseRecord, event: CaseEvent, context: EventContext): CaseRecord {
  const rule = TRANSITIONS[event.type];
  if (!rule.from.has(c.state)) throw conflict(`a ${c.state.replace('_', ' ')} case cannot take "${event.type}"`);
  const problems: { path: string; message: string }[] = [];
  if (event.type === 'resolve') {
    if (!event.rootCause) problems.push({ path: 'rootCause', message: 'resolving needs a root cause' });
    else if (!context.rootCauses.includes(event.rootCause)) problems.push({ path: 'rootCause', message: `unknown root cause "${event.rootCause}" (one of ${context.rootCauses.join(', ')})` });
    if (!event.note) problems.push({ path: 'note', message: 'resolving needs a note saying what was done' });
  }
  if (event.type === 'comment' && !event.note) problems.push({ path: 'note', message: 'a comment needs a note' });
  if (event.type === 'assign' && !event.assignee) problems.push({ path: 'assignee', message: 'assign needs an assignee' });
  if (problems.length > 0) throw invalid(problems, `invalid ${event.type}`);

  const at = context.at.toISOString();
  const next: CaseRecord = { ...c, version: c.version + 1 };
  if (rule.to) next.state = rule.to;
  const firstContact = ['acknowledge', 'start', 'resolve'].includes(event.type) && !c.firstContactAt;
  if (firstContact) next.firstContactAt = at;
  if (event.type === 'assign') next.assignee = event.assignee!;
  if (event.type === 'resolve') {
    next.resolvedAt = at;
    next.rootCause = event.rootCause!;
    next.resolution = event.note!;
    // The customer is asked afterwards whether it was solved (./case-timers sends it).
    if (c.followUp) next.followUpDueAt = new Date(context.at.getTime() + parseDurationMs(c.followUp.delay)).toISOString();
  }
  if (event.type === 'close') next.closedAt = at;
  if (event.type === 'reopen') {
    next.reopenedCount = c.reopenedCount + 1;
    delete next.resolvedAt;
    delete next.closedAt;
    delete next.followUpDueAt;
  }
  next.timeline = withEntry(c, {
    at,
    by: context.by,
    type: event.type,
    ...(event.note ? { note: event.note } : {}),
    ...(rule.to ? { state: rule.to } : {}),
    ...(event.assignee ? { assignee: event.assignee } : {}),
    ...(event.rootCause && event.type === 'resolve' ? { rootCause: event.rootCause } : {}),
  });
  return next;
}

type DeadlineField = 'firstContactDueAt' | 'resolveDueAt' | 'firstContactAt' | 'resolvedAt';

/** Whether a deadline was missed as of `now` (met: first contact made / resolved by the deadline). */
export function missed(c: Pick<CaseRecord, DeadlineField>, deadline: 'firstContact' | 'resolve', now: Date): boolean {
  const due = deadline === 'firstContact' ? c.firstContactDueAt : c.resolveDueAt;
  if (!due) return false;
  const metAt = deadline === 'firstContact' ? c.firstContactAt : c.resolvedAt;
  const limit = Date.parse(due);
  return metAt ? Date.parse(metAt) > limit : now.getTime() > limit;
}

/** Overdue now: a deadline passed and not met, on a case still to be worked. */
export const isOverdue = (c: Pick<CaseRecord, DeadlineField | 'state'>, now: Date): boolean =>
  isOpen(c) && ((!c.firstContactAt && missed(c, 'firstContact', now)) || (isUnresolved(c) && missed(c, 'resolve', now)));

/** The deadline a step waits on is still unmet (a step after resolve waits while the case is unresolved). */
const stillUnmet = (c: CaseRecord, after: 'firstContact' | 'resolve') => (after === 'firstContact' ? !c.firstContactAt && isUnresolved(c) : isUnresolved(c));

/** What the timers have to do at `now`: deadlines passed and not noticed, escalation steps due. */
export function dueTimers(c: CaseRecord, now: Date): { overdue: ('firstContact' | 'resolve')[]; steps: EscalationTimer[]; followUp: boolean } {
  const passed = (at: string | undefined) => at !== undefined && Date.parse(at) <= now.getTime();
  // A closed case still asks its customer: closing does not wait for the follow-up.
  const followUp = passed(c.followUpDueAt) && !isUnresolved(c);
  if (!isOpen(c)) return { overdue: [], steps: [], followUp };
  const overdue = (['firstContact', 'resolve'] as const).filter(
    (deadline) => !c.overdueNoticed.includes(deadline) && stillUnmet(c, deadline) && passed(deadline === 'firstContact' ? c.firstContactDueAt : c.resolveDueAt),
  );
  const steps = c.escalations.filter((step) => !step.firedAt && stillUnmet(c, step.after) && passed(step.dueAt));
  return { overdue, steps, followUp };
}

/** The next instant a timer of the case fires, or undefined when none is armed. */
export function nextTimerAt(c: CaseRecord): string | undefined {
  const instants: string[] = [];
  if (c.followUpDueAt && !isUnresolved(c)) instants.push(c.followUpDueAt);
  // A notification a crash left behind: pending at once, sending once it is stale.
  for (const n of c.notifications) {
    if (n.state === 'pending') instants.push(n.at);
    if (n.state === 'sending') instants.push(new Date(Date.parse(n.at) + STALE_SENDING_MS).toISOString());
  }
  if (!isOpen(c)) return earliest(instants);
  if (!c.overdueNoticed.includes('firstContact') && stillUnmet(c, 'firstContact') && c.firstContactDueAt) instants.push(c.firstContactDueAt);
  if (!c.overdueNoticed.includes('resolve') && stillUnmet(c, 'resolve') && c.resolveDueAt) instants.push(c.resolveDueAt);
  for (const step of c.escalations) if (!step.firedAt && stillUnmet(c, step.after)) instants.push(step.dueAt);
  return earliest(instants);
}

const earliest = (instants: string[]): string | undefined => instants.sort((a, b) => Date.parse(a) - Date.parse(b))[0];

/** The timeline entry a system action adds. */
export const systemEntry = (c: CaseRecord, entry: Omit<TimelineEntry, 'by'>): TimelineEntry[] => withEntry(c, { by: 'system', ...entry });
