/**
 * The sender: consumes dispatch messages (SQS on AWS, the in-process queue locally) and sends one
 * SMS invitation or reminder, under the rules, at most once per invitation, action and attempt.
 *
 * The at-most-once protocol: before the provider is called, a send-attempt record is written with
 * a conditional put (state "sending"); after the provider answers it becomes "sent" or "failed".
 * A redelivered message that finds "sending" (the sender crashed around the provider call) does
 * not send again: it asks the provider whether the message went out where the provider can tell
 * (locally) and otherwise assumes it did. Provider failures are attempts of their own: retried
 * with backoff, then marked failed with the reason.
 */
import { decideSend, frequencyWindowStart, MAX_SEND_ATTEMPTS, reminderDueAt, retryBackoff } from '../domain/distribution/rules';
import { composeSms, smsSegments } from '../domain/distribution/sms-text';
import { OrgTree } from '../domain/org';
import { maskPhone } from '../shared/privacy';
import { newId } from '../shared/ids';
import type { InvitationRecord, SendAttemptRecord } from '../domain/records';
import { DomainError } from '../domain/errors';
import { loadCampaign } from './campaigns';
import type { Deps } from './deps';
import { SmsProviderError, StaleInvitationError, type DispatchMessage } from './ports';

/** An attempt left "sending" longer than this is taken as crashed (longer than a sender can run). */
export const STALE_ATTEMPT_MS = 5 * 60_000;
const DAY_S = 86_400;

export type SendOutcome = 'sent' | 'skipped' | 'deferred' | 'retry-later' | 'failed' | 'expired' | 'stale';

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export async function logSmsEvent(
  deps: Pick<Deps, 'store' | 'clock' | 'config'>,
  entry: { kind: 'send' | 'delivery' | 'receive' | 'opt-out' | 'opt-in'; phone: string; campaignId?: string | undefined; invitationId?: string | undefined; status?: string; detail?: string },
): Promise<void> {
  const at = deps.clock.now();
  await deps.store.logSms(
    {
      id: newId('log'),
      at: at.toISOString(),
      kind: entry.kind,
      number: maskPhone(entry.phone),
      ...(entry.campaignId ? { campaignId: entry.campaignId } : {}),
      ...(entry.invitationId ? { invitationId: entry.invitationId } : {}),
      ...(entry.status ? { status: entry.status } : {}),
      ...(entry.detail ? { detail: entry.detail } : {}),
    },
    epochSeconds(at) + deps.config.sms.logRetentionDays * DAY_S,
  );
}

/** Processes one dispatch message. Throws only for faults (the queue then redelivers). */
export async function processDispatchMessage(deps: Deps, message: DispatchMessage): Promise<SendOutcome> {
  try {
    return await dispatchOne(deps, message);
  } catch (error) {
    // Answered, or handled by another copy of the message, while we worked: nothing to do.
    if (error instanceof StaleInvitationError) return 'stale';
    throw error;
  }
}

async function dispatchOne(deps: Deps, message: DispatchMessage): Promise<SendOutcome> {
  // The invitation and its response in one read: the submit writes only the response, so this is
  // where an answered invitation's status follows it and its pending reminder ends.
  const found = await deps.store.getInvitationWithResponse(message.token);
  if (!found) return 'stale';
  const { invitation } = found;
  if (found.answered) {
    if (invitation.status !== 'responded') await deps.store.markResponded(message.token, invitation.invitationId);
    else await deps.store.clearFinishedWork(message.token);
    return 'stale';
  }
  const { action } = message;
  const expectedStatus = action === 'invite' ? 'pending' : 'sent';
  if (invitation.status !== expectedStatus || invitation.nextAction !== action) {
    await deps.store.clearFinishedWork(message.token); // never queue a finished invitation again
    return 'stale';
  }
  // Every update below is conditional on this state (another copy of the message cannot overwrite
  // it); a response arriving after the read above is found by the next message, if any.
  const expected = { status: expectedStatus, nextAction: action } as const;

  const now = deps.clock.now();
  const done = (changes: Partial<InvitationRecord>) => deps.store.updateInvitation(message.token, { invitationId: invitation.invitationId, ...changes }, 'done', expected);

  const contact = invitation.contactId ? await deps.store.getContact(invitation.contactId) : undefined;
  const phone = contact?.phone;
  let loaded;
  try {
    loaded = await loadCampaign(deps, invitation.campaignId);
  } catch (error) {
    if (!(error instanceof DomainError && error.kind === 'not-found')) throw error;
    // An invitation whose campaign was never completed (a crash while it was created): nothing can be sent.
    await done({ status: 'failed', reason: 'campaign_not_found' });
    return 'failed';
  }
  const { campaign, definition } = loaded;
  const optedOut = phone ? await deps.store.isOptedOut('sms', phone) : false;
  const exempt = action === 'reminder' || definition.exemptFromFrequencyCap;
  // A campaign's own cap may only lengthen the platform's (checked when it was made).
  const capDays = Math.max(deps.config.frequencyCapDays, definition.frequencyCapDays ?? 0);
  const decision = decideSend({
    now,
    timeZone: contact?.timeZone ?? deps.config.timeZone,
    quietHours: deps.config.quietHours,
    campaignQuietHours: definition.quietHours,
    phoneValid: Boolean(phone),
    optedOut,
    lastInvitedAt: exempt || contact?.lastInvitedBy === invitation.invitationId ? undefined : contact?.lastInvitedAt,
    frequencyCapDays: exempt ? 0 : capDays,
    expiresAt: invitation.expiresAt,
  });

  if (decision.action === 'skip') {
    if (decision.reason === 'expired') {
      await done({ status: 'expired', reason: 'expired' });
      return 'expired';
    }
    // A reminder that may not go out leaves the invitation as sent; an invitation is skipped.
    await done(action === 'reminder' ? { reason: `reminder_${decision.reason}` } : { status: 'skipped', reason: decision.reason });
    return 'skipped';
  }
  if (decision.action === 'defer') {
    await deps.store.updateInvitation(message.token, { invitationId: invitation.invitationId, reason: decision.reason }, { due: decision.until.toISOString() }, expected);
    return 'deferred';
  }
  if (!phone || !contact) return 'skipped'; // decideSend already skipped these; this narrows the types

  if (!exempt) {
    const claimed = await deps.store.claimFrequencySlot(contact.contactId, invitation.invitationId, now.toISOString(), frequencyWindowStart(now, capDays).toISOString());
    if (!claimed) {
      await done({ status: 'skipped', reason: 'frequency_cap' });
      return 'skipped';
    }
  }

  const minute = now.toISOString().slice(0, 16);
  const ratePerMinute = Math.min(definition.sms?.ratePerMinute ?? Number.POSITIVE_INFINITY, deps.config.sms.ratePerMinute);
  if (!(await deps.store.takeRateToken(campaign.campaignId, minute, ratePerMinute, epochSeconds(now) + 3600))) {
    const nextMinute = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
    await deps.store.updateInvitation(message.token, { invitationId: invitation.invitationId }, { due: nextMinute.toISOString() }, expected);
    return 'retry-later';
  }

  // Everything the message needs is read and composed before the attempt is recorded: after the
  // record, only the provider call stands between "sending" and "sent".
  const survey = await deps.store.getSurveyVersion(invitation.surveyId, invitation.version);
  const questionnaireLanguages = survey?.definition.languages ?? ['zh-CN'];
  const tree = new OrgTree(await deps.store.listOrgUnits());
  const sms = definition.sms;
  if (!sms) throw new Error(`campaign ${campaign.campaignId} has no SMS settings`);
  const lang = invitation.lang ?? contact.lang ?? questionnaireLanguages[0] ?? 'zh-CN';
  const base = definition.baseUrl ?? deps.config.publicBaseUrl ?? '';
  const body = composeSms({
    signature: sms.signature,
    template: sms.template,
    lang,
    fallbackLang: questionnaireLanguages[0] ?? lang,
    values: { ...(contact.name ? { name: contact.name } : {}), link: `${base}/s/${invitation.token}`, unit: tree.unit(invitation.orgUnitId)?.name ?? invitation.orgUnitId },
    marketing: sms.marketing,
  });

  const attempt = (invitation.attempts ?? 0) + 1;
  const idempotencyKey = `${invitation.invitationId}:${action}:${attempt}`;
  const started: SendAttemptRecord = {
    invitationId: invitation.invitationId,
    action,
    attempt,
    state: 'sending',
    startedAt: now.toISOString(),
    ttl: Math.floor(Date.parse(invitation.expiresAt) / 1000) + 30 * DAY_S,
  };
  const previous = await deps.store.beginSendAttempt(started);
  if (previous) {
    if (previous.state === 'sent') return finishSent(deps, invitation, action, previous.messageId ?? '', phone, sms.reply);
    if (previous.state === 'failed') return finishFailed(deps, invitation, action, attempt, previous.error ?? 'provider error', previous.retryable ?? true);
    // "sending": another sender is on it, or one crashed around the provider call.
    if (now.getTime() - Date.parse(previous.startedAt) < STALE_ATTEMPT_MS) throw new Error(`attempt ${idempotencyKey} is in progress`);
    const wentOut = deps.sms.wasSent ? await deps.sms.wasSent(idempotencyKey) : true;
    if (wentOut) {
      await deps.store.finishSendAttempt({ ...previous, state: 'sent', finishedAt: now.toISOString(), ...(deps.sms.wasSent ? {} : { error: 'unconfirmed' }) });
      return finishSent(deps, invitation, action, '', phone, sms.reply);
    }
    // The provider never saw it: this attempt can go ahead.
  }

  try {
    const { messageId } = await deps.sms.send({
      to: phone,
      body,
      idempotencyKey,
      segments: smsSegments(body).segments,
      campaignId: campaign.campaignId,
      invitationId: invitation.invitationId,
      kind: sms.marketing ? 'marketing' : 'transactional',
    });
    await deps.store.finishSendAttempt({ ...started, state: 'sent', finishedAt: deps.clock.now().toISOString(), messageId });
    return finishSent(deps, invitation, action, messageId, phone, sms.reply);
  } catch (error) {
    if (!(error instanceof SmsProviderError)) throw error; // a fault, not an answer: the queue redelivers
    await deps.store.finishSendAttempt({ ...started, state: 'failed', finishedAt: deps.clock.now().toISOString(), error: error.message, retryable: error.retryable });
    await logSmsEvent(deps, { kind: 'send', phone, campaignId: campaign.campaignId, invitationId: invitation.invitationId, status: 'failed', detail: error.message });
    return finishFailed(deps, invitation, action, attempt, error.message, error.retryable);
  }
}

async function finishSent(deps: Deps, invitation: InvitationRecord, action: 'invite' | 'reminder', messageId: string, phone: string, reply: boolean): Promise<SendOutcome> {
  const now = deps.clock.now();
  const { definition } = await loadCampaign(deps, invitation.campaignId);
  const remind = action === 'invite' && (definition.reminder?.enabled ?? true) && (invitation.reminders ?? 0) === 0;
  const common = { invitationId: invitation.invitationId, status: 'sent' as const, reason: undefined, attempts: 0 };
  const expected = { status: action === 'invite' ? ('pending' as const) : ('sent' as const), nextAction: action };
  // The reply target first: once the invitation reads "sent", a redelivered message does nothing more.
  if (reply) {
    await deps.store.putSmsReplyTarget(phone, now.toISOString(), invitation, Math.floor(Date.parse(invitation.expiresAt) / 1000));
  }
  if (action === 'invite') {
    const changes = { ...common, sentAt: now.toISOString(), ...(remind ? { nextAction: 'reminder' as const } : { nextAction: undefined }) };
    const contact = invitation.contactId ? await deps.store.getContact(invitation.contactId) : undefined;
    const due = reminderDueAt(now, definition.reminder?.delay ?? deps.config.reminderDelay, contact?.timeZone ?? deps.config.timeZone);
    await deps.store.updateInvitation(invitation.token, changes, remind ? { due: due.toISOString() } : 'done', expected);
  } else {
    await deps.store.updateInvitation(invitation.token, { ...common, reminders: (invitation.reminders ?? 0) + 1, nextAction: undefined }, 'done', expected);
  }
  await logSmsEvent(deps, { kind: 'send', phone, campaignId: invitation.campaignId, invitationId: invitation.invitationId, status: 'accepted', detail: `${action}${messageId ? ` ${messageId}` : ''}` });
  return 'sent';
}

async function finishFailed(deps: Deps, invitation: InvitationRecord, action: 'invite' | 'reminder', attempt: number, error: string, retryable: boolean): Promise<SendOutcome> {
  const reason = `provider_error: ${error}`.slice(0, 500);
  const expected = { status: action === 'invite' ? ('pending' as const) : ('sent' as const), nextAction: action };
  if (retryable && attempt < MAX_SEND_ATTEMPTS) {
    const due = new Date(deps.clock.now().getTime() + retryBackoff(attempt));
    await deps.store.updateInvitation(invitation.token, { invitationId: invitation.invitationId, attempts: attempt, reason }, { due: due.toISOString() }, expected);
    return 'retry-later';
  }
  const changes = action === 'invite' ? { status: 'failed' as const, attempts: attempt, reason } : { attempts: attempt, reason: `reminder_${reason}`, nextAction: undefined };
  await deps.store.updateInvitation(invitation.token, { invitationId: invitation.invitationId, ...changes }, 'done', expected);
  return 'failed';
}
