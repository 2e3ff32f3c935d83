/**
 * Cases the platform opens without a rule (issue #14's other sources), with the default deadlines
 * and escalation of a case by hand (./case-opening.ts):
 *
 * - **reply**: an SMS reply that is neither a digit nor a keyword, from a number manyi invited, is a
 *   free-text complaint. One case per invitation and local day gathers that day's messages (a long
 *   complaint arrives in several), each once however often the provider delivers it (by its
 *   message id on AWS); words after that case was resolved open the day's next one.
 * - **breach**: a service event that missed a commitment (a repair that overran its 24 h), found
 *   when the event is recorded (closed late, or still open past its deadline), or by the case
 *   timers when an event recorded open reaches its deadline with no completion posted (a watch
 *   per event and commitment in a due index). One case per event and commitment.
 */
import { createHash } from 'node:crypto';
import { isUnresolved, MAX_CASE_REPLIES, MAX_REPLY_CHARACTERS, systemEntry, type CaseRecord } from '../domain/cases/case';
import { CALENDARS, evaluateEvent } from '../domain/commitments';
import { localDateOf } from '../domain/commitments/local-time';
import { OrgTree } from '../domain/org';
import type { InvitationRecord, ServiceEventRecord } from '../domain/records';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone';
import { caseConfig, derivedCaseId, openSystemCase } from './case-opening';
import { calendarResolver, calendarSettingsOf, domainEvent } from './commitments/compute';
import { listCommitments } from './commitments/declare';
import type { Deps } from './deps';

type SourceDeps = Pick<Deps, 'store' | 'clock' | 'calendars' | 'logger'>;

/** What makes two deliveries one message: the provider's message id, else the instant and the text. */
const replyKey = (reply: { at: string; text: string; messageId?: string }) =>
  reply.messageId ? `id:${reply.messageId}` : createHash('sha256').update(`${reply.at}\u0000${reply.text}`).digest('hex');

/** How many reply cases one invitation opens a day at most (each after the one before was settled). */
const MAX_REPLY_CASES_A_DAY = 10;

/**
 * A free-text SMS reply to `invitation`: opens the day's reply case, or adds the message to it.
 * Words that come after the day's case was resolved are a new complaint: they open the next case
 * of the day (its id derived from the one before, so a redelivery finds the same chain). Returns
 * whether a case was opened (the caller acknowledges the first message of a case only).
 */
export async function openReplyCase(
  deps: SourceDeps,
  invitation: InvitationRecord,
  message: { at: string; body: string; messageId?: string | undefined },
): Promise<{ caseId: string; opened: boolean }> {
  const { settings } = await caseConfig(deps);
  const day = localDateOf(new Date(message.at), settings.timeZone ?? DEFAULT_TIME_ZONE);
  const reply = { at: message.at, text: message.body.trim().slice(0, MAX_REPLY_CHARACTERS), ...(message.messageId ? { messageId: message.messageId } : {}) };
  let caseId = derivedCaseId('reply', invitation.invitationId, day);
  for (let link = 0; link < MAX_REPLY_CASES_A_DAY; link += 1) {
    const opened = await openSystemCase(deps, {
      caseId,
      source: 'reply',
      orgUnitId: invitation.orgUnitId,
      surveyId: invitation.surveyId,
      campaignId: invitation.campaignId,
      invitationId: invitation.invitationId,
      ...(invitation.eventId ? { eventId: invitation.eventId } : {}),
      ...(invitation.staffId ? { staffId: invitation.staffId } : {}),
      ...(invitation.contactId ? { contactId: invitation.contactId } : {}),
      channel: 'sms',
      ...(invitation.lang ? { lang: invitation.lang } : {}),
      priority: 'normal',
      reasons: ['a free-text SMS reply'],
      note: 'the customer replied to an SMS in words',
      replies: [reply],
      openedAt: new Date(message.at),
    });
    if (opened.created) return { caseId, opened: true };
    if ((await addReply(deps, caseId, opened.existing, reply)) !== 'settled') return { caseId, opened: false };
    caseId = derivedCaseId('reply', invitation.invitationId, day, caseId);
  }
  throw new Error(`invitation ${invitation.invitationId} has ${MAX_REPLY_CASES_A_DAY} reply cases today`);
}

/** Adds a message to a reply case once: 'added', 'present' (a redelivery), or 'settled' (resolved or closed before it came). */
async function addReply(deps: SourceDeps, caseId: string, existing: CaseRecord | undefined, reply: { at: string; text: string; messageId?: string }): Promise<'added' | 'present' | 'settled'> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const c = attempt === 0 && existing ? existing : await deps.store.getCase(caseId);
    if (!c || (c.replies ?? []).some((r) => replyKey(r) === replyKey(reply))) return 'present';
    if (!isUnresolved(c)) return 'settled';
    const next: CaseRecord = {
      ...c,
      version: c.version + 1,
      replies: [...(c.replies ?? []), reply].slice(-MAX_CASE_REPLIES),
      timeline: systemEntry(c, { at: deps.clock.now().toISOString(), type: 'reply' }),
    };
    if (await deps.store.replaceCase(next, c.version)) return 'added';
  }
  throw new Error(`case ${caseId} kept changing while a reply was added`);
}

/**
 * The breach cases of a recorded service event: one per commitment on its type that the event
 * missed at `now` (closed past its deadline, or open past it). Returns the cases opened.
 */
export async function openBreachCases(deps: SourceDeps, event: ServiceEventRecord): Promise<string[]> {
  const commitments = (await listCommitments(deps)).commitments.filter((c) => c.eventType === event.type);
  if (commitments.length === 0) return [];
  const now = deps.clock.now();
  const resolve = calendarResolver(deps.calendars ?? CALENDARS, await calendarSettingsOf(deps), new OrgTree(await deps.store.listOrgUnits()));
  const opened: string[] = [];
  for (const commitment of commitments) {
    const evaluation = evaluateEvent(commitment, domainEvent(event), now, resolve);
    // Open and still in time: the case timers look again when the deadline passes (checkBreachWatches).
    if (evaluation.status === 'pending' && evaluation.deadline) await deps.store.watchBreach({ eventId: event.eventId, commitmentId: commitment.id, dueAt: evaluation.deadline.toISOString() });
    if (evaluation.status !== 'missed') continue;
    const overrun = evaluation.overrunHours === null ? '' : `, ${Math.round(evaluation.overrunHours * 10) / 10} h over`;
    const result = await openSystemCase(deps, {
      caseId: derivedCaseId('breach', event.eventId, commitment.id),
      source: 'breach',
      orgUnitId: event.orgUnitId,
      eventId: event.eventId,
      commitmentId: commitment.id,
      ...(event.staffId ? { staffId: event.staffId } : {}),
      contactId: event.contactId,
      priority: 'normal',
      reasons: [`commitment ${commitment.id} missed${evaluation.open ? ' (still open)' : ''}${overrun}`],
      note: `service event ${event.eventId} missed commitment ${commitment.id}`,
      openedAt: now,
    });
    if (result.created) opened.push(result.record.caseId);
  }
  return opened;
}

/**
 * The case timers' part: every watched event whose deadline has passed is evaluated again (a
 * completion posted in time finds it met; one still open opens its breach case), then its watch
 * ends. A crash in between leaves the watch due: the case's id makes the next run's create a no-op.
 */
export async function checkBreachWatches(deps: SourceDeps, now: Date): Promise<{ opened: number; failed: number }> {
  let opened = 0;
  let failed = 0;
  for (const watch of await deps.store.breachWatchesDue(now.toISOString())) {
    try {
      const event = await deps.store.getServiceEvent(watch.eventId);
      if (event) opened += (await openBreachCases(deps, event)).length;
      await deps.store.endBreachWatch(watch);
    } catch (error) {
      failed += 1;
      deps.logger.error('a watched service event could not be checked; it is checked again at the next run', { eventId: watch.eventId, error: error as Error });
    }
  }
  return { opened, failed };
}
