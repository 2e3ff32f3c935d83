/**
 * The dispatcher (scheduled every minute; POST /admin/jobs/dispatch runs it now): it runs the
 * campaign schedules that are due, then takes every due invitation from the work index (GSI2,
 * never a scan), leases it and hands it to the queue. The sender (functions/app/sender.ts) does
 * the rest; a lease that runs out (a lost message, a crashed sender) makes the invitation due again.
 */
import { drawSample } from '../domain/distribution/sampling';
import { nextCronRun, returnVisitOccurrences } from '../domain/distribution/schedules';
import { instantOfIsoText } from '../domain/distribution/time';
import { OrgTree } from '../domain/org';
import type { ContactRecord, ScheduledCampaignRecord } from '../domain/records';
import { loadCampaign, newInvitation, resolveTarget, type CampaignDefinition } from './campaigns';
import type { Deps } from './deps';
import type { DispatchMessage } from './ports';

/**
 * How long a queued invitation is held before it counts as lost and becomes due again: longer than
 * SQS keeps redelivering a failing message (5 receives x 6 minutes of visibility), so a message is
 * never queued again while its first copy may still be retried.
 */
export const DISPATCH_LEASE_MS = 35 * 60_000;
/** Return-visit schedules are checked this often. */
const RETURN_VISIT_CHECK_MS = 60 * 60_000;

export interface DispatchSummary {
  at: string;
  due: number;
  queued: number;
  /** Invitations created by recurring and return-visit schedules in this run. */
  scheduled: number;
}

/**
 * The contact's anchor date (e.g. deliveredAt), or undefined when it is missing or unreadable. A
 * date without a time is the start of that day in the contact's time zone.
 */
function anchorOf(contact: ContactRecord, attribute: string): Date | undefined {
  const value = contact.attributes[attribute];
  if (value === undefined || typeof value === 'boolean') return undefined;
  const text = String(value).trim();
  return instantOfIsoText(text, contact.timeZone);
}

async function runSchedule(deps: Deps, scheduled: ScheduledCampaignRecord, now: Date, tree: OrgTree): Promise<number> {
  const { campaign, definition } = await loadCampaign(deps, scheduled.campaignId);
  const { contacts } = await resolveTarget(deps, definition as CampaignDefinition, tree);
  const expiresInDays = definition.expiresInDays ?? deps.config.invitationExpiresDays;
  let created = 0;
  let next: Date;
  if (scheduled.kind === 'recurring' && definition.recurrence) {
    const occurrence = scheduled.nextRunAt;
    const drawn = definition.sample ? drawSample(contacts, definition.sample.size, `${definition.sample.seed ?? campaign.campaignId}:${occurrence}`) : contacts;
    for (const contact of drawn) {
      const invitation = newInvitation(campaign, contact, { orgUnitId: contact.orgUnitId, now, dueAt: now, expiresInDays, mystery: definition.sample !== undefined });
      if ((await deps.store.createInvitationOnce({ kind: 'occurrence', campaignId: campaign.campaignId, contactId: contact.contactId, occurrence }, invitation)).created) created += 1;
    }
    next = nextCronRun(definition.recurrence.cron, definition.recurrence.timeZone ?? deps.config.timeZone, now);
  } else if (scheduled.kind === 'return-visit' && definition.schedule) {
    const from = new Date(scheduled.lastRunAt ?? campaign.createdAt);
    for (const contact of contacts) {
      const anchor = anchorOf(contact, definition.schedule.anchor);
      if (!anchor) continue; // a contact without the anchor date has no return visits yet
      for (const occurrence of returnVisitOccurrences(anchor, definition.schedule, from, now, contact.timeZone)) {
        const invitation = newInvitation(campaign, contact, { orgUnitId: contact.orgUnitId, now, dueAt: occurrence, expiresInDays });
        if ((await deps.store.createInvitationOnce({ kind: 'occurrence', campaignId: campaign.campaignId, contactId: contact.contactId, occurrence: occurrence.toISOString() }, invitation)).created) created += 1;
      }
    }
    next = new Date(now.getTime() + RETURN_VISIT_CHECK_MS);
  } else {
    return 0;
  }
  await deps.store.advanceScheduledCampaign(campaign.campaignId, scheduled.nextRunAt, next.toISOString(), now.toISOString());
  return created;
}

export async function runDispatch(deps: Deps, options: { limit?: number } = {}): Promise<DispatchSummary> {
  const now = deps.clock.now();
  const tree = new OrgTree(await deps.store.listOrgUnits());
  let scheduled = 0;
  for (const schedule of await deps.store.scheduledCampaigns()) {
    if (schedule.nextRunAt > now.toISOString()) continue;
    try {
      scheduled += await runSchedule(deps, schedule, now, tree);
    } catch (error) {
      // One campaign's problem (a deleted campaign, bad data) must not stop every other send.
      deps.logger.error('a campaign schedule failed; it is tried again next run', { campaignId: schedule.campaignId, error: error as Error });
    }
  }
  const due = await deps.store.dueInvitations(now.toISOString(), options.limit ?? 1000);
  const leaseUntil = new Date(now.getTime() + DISPATCH_LEASE_MS).toISOString();
  const messages: DispatchMessage[] = [];
  for (const item of due) {
    if (await deps.store.leaseDue(item, leaseUntil, deps.queue.leaseOwner)) {
      messages.push({ token: item.token, invitationId: item.invitationId, campaignId: item.campaignId, action: item.nextAction });
    }
  }
  await deps.queue.enqueue(messages);
  const summary = { at: now.toISOString(), due: due.length, queued: messages.length, scheduled };
  if (due.length > 0 || scheduled > 0) deps.logger.info('dispatch run', { ...summary });
  return summary;
}
