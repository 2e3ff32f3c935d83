/**
 * Service events (POST /admin/service-events): a repair closed, a complaint answered, a policy
 * sold. Recorded once per eventId; each campaign triggered by the event's type invites the event's
 * contact after the campaign's delay, linked to the event, the unit and the staff member.
 */
import { createHash } from 'node:crypto';
import * as z from '../domain/zod';
import { contactIdentity, normaliseContact } from '../domain/distribution/contacts';
import type { CountryCode } from '../domain/distribution/phone';
import { triggerDueAt } from '../domain/distribution/schedules';
import { canonicalJson } from '../domain/canonical-json';
import { DomainError, conflict, forbidden, invalid, problemsFromZod } from '../domain/errors';
import { OrgTree } from '../domain/org';
import { exactNumberSchema, isReservedKey, MAX_ID_LENGTH } from '../domain/primitives';
import type { ServiceEventRecord } from '../domain/records';
import { loadCampaign, newInvitation } from './campaigns';
import { upsertContact } from './contacts';
import { openBreachCases } from './case-sources';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import { StaleInvitationError } from './ports';

const instant = z.iso.datetime({ offset: true });

/**
 * The event's other fields (reportedAt, handledAt, a channel, an amount, ...): scalars only, under
 * plain names, so what is stored is what DynamoDB can hold and a commitment can read: a string of
 * at most 1,000 characters, a number kept exactly (JSON's 1e400 parses to Infinity, and an
 * integer past 2^53 has lost digits: DynamoDB's client refuses both), a boolean or null. At most
 * 50 of them, none named like a JavaScript object's own machinery ("constructor").
 */
const EXTRA_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_EXTRA_FIELDS = 50;
const extraFieldSchema = z.union([
  z.string().check(z.maxLength(1000)),
  exactNumberSchema,
  z.boolean(),
  z.null(),
]);

const serviceEventShape = {
  eventId: z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'expected 1-128 letters, digits, "_", ".", ":" or "-"' })),
  type: z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/)),
  orgUnitId: z.string().check(z.minLength(1)),
  staffId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  contact: z.optional(z.record(z.string(), z.unknown())),
  contactId: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH))),
  occurredAt: instant,
  closedAt: z.nullish(instant),
};

export const serviceEventSchema = z
  .catchall(z.object(serviceEventShape), extraFieldSchema)
  .check(
    z.refine((event) => (event.contact === undefined) !== (event.contactId === undefined), { error: 'give either contact or contactId', path: ['contact'] }),
    z.superRefine((event, ctx) => {
      const extra = Object.keys(event).filter((key) => !Object.hasOwn(serviceEventShape, key));
      for (const key of extra) if (!EXTRA_FIELD_NAME.test(key) || isReservedKey(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'a field name is a letter, then letters, digits or "_" (at most 64)' });
      if (extra.length > MAX_EXTRA_FIELDS) ctx.addIssue({ code: 'custom', path: [], message: `at most ${MAX_EXTRA_FIELDS} fields besides the event's own` });
    }),
  );

export interface RecordedEvent {
  eventId: string;
  status: 'created' | 'updated' | 'unchanged';
  invitations: { campaignId: string; invitationId: string; dueAt: string }[];
  /** Breach cases this post opened (./case-sources.ts). */
  cases?: string[];
}

export async function recordServiceEvent(deps: Deps, input: unknown, access?: AccessCheck): Promise<RecordedEvent> {
  const parsed = serviceEventSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid service event');
  const { eventId, type, orgUnitId, staffId, contact: rawContact, contactId: givenContactId, occurredAt, closedAt, ...fields } = parsed.data;
  const tree = new OrgTree(await deps.store.listOrgUnits());
  if (!tree.has(orgUnitId)) throw invalid([{ path: 'orgUnitId', message: `unknown organisation unit "${orgUnitId}"` }]);
  if (access) await access.requireUnits([orgUnitId], 'the service event');

  // A post that conflicts with the recorded event is refused before anything is written (its
  // contact included); the contact itself is compared once it is known, below.
  const recordFor = (contactId: string): ServiceEventRecord => {
    const content = { type, orgUnitId, staffId, contactId, occurredAt, closedAt, fields };
    return {
      eventId,
      type,
      orgUnitId,
      ...(staffId ? { staffId } : {}),
      contactId,
      occurredAt,
      ...(closedAt ? { closedAt } : {}),
      fields,
      fingerprint: createHash('sha256').update(canonicalJson(content)).digest('hex'),
      recordedAt: deps.clock.now().toISOString(),
    };
  };
  const previous = await deps.store.getServiceEvent(eventId);
  const early = previous ? completes(previous, recordFor(previous.contactId)) : undefined;
  if (early) throw conflict(`service event "${eventId}" was recorded with different content: ${early}`);

  let contactId = givenContactId;
  if (rawContact) {
    const normalised = normaliseContact({ orgUnitId, ...rawContact }, { defaultRegion: deps.config.defaultRegion as CountryCode });
    if (!normalised.ok) throw invalid(normalised.problems.map((p) => ({ path: `contact.${p.path}`, message: p.message })));
    if (previous) {
      const identity = contactIdentity(normalised.contact);
      if ((await deps.store.contactIdByIdentity(identity.kind, identity.value)) !== previous.contactId) {
        throw conflict(`service event "${eventId}" was recorded with different content: contactId differs`);
      }
    }
    contactId = (await upsertContact(deps, normalised.contact, access)).contactId;
  }
  const contact = contactId ? await deps.store.getContact(contactId) : undefined;
  if (!contact || !contactId) throw invalid([{ path: 'contactId', message: `unknown contact "${givenContactId}"` }]);
  if (access && contact.orgUnitId !== orgUnitId && !(await access.covers(contact.orgUnitId))) throw forbidden('the contact belongs to a unit outside your scope');

  const record = recordFor(contactId);
  const { fingerprint } = record;
  const existing = await deps.store.putServiceEventIfAbsent(record);
  let status: RecordedEvent['status'] = existing ? 'unchanged' : 'created';
  if (existing && existing.fingerprint !== fingerprint) {
    // An event gains timestamps over its life (handled, repaired, closed): a post that only adds
    // or fills them completes the event; any other change is a conflict.
    const completion = completes(existing, record);
    if (completion) throw conflict(`service event "${eventId}" was recorded with different content: ${completion}`);
    if (!(await deps.store.replaceServiceEvent({ ...record, recordedAt: existing.recordedAt }, existing.fingerprint))) {
      throw conflict(`service event "${eventId}" changed while this update was made; post it again`);
    }
    status = 'updated';
  }

  // Triggers run on every post of the event: a retry after a crash completes what is missing, and
  // the per-campaign marker keeps it to one invitation.
  const invitations: RecordedEvent['invitations'] = [];
  for (const trigger of await deps.store.triggersOf(type)) {
    let loaded;
    try {
      loaded = await loadCampaign(deps, trigger.campaignId);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not-found') continue; // a campaign whose creation did not finish
      throw error;
    }
    const { campaign, definition } = loaded;
    if (!definition.trigger) continue;
    // A trigger counting from closedAt waits for an event that is still open: posting it again
    // when it closes (a completion) creates the invitation then.
    if (definition.trigger.at === 'closedAt' && !closedAt) continue;
    const now = deps.clock.now();
    const dueAt = triggerDueAt({ occurredAt, closedAt: closedAt ?? undefined }, definition.trigger, contact.timeZone);
    const invitation = newInvitation(campaign, contact, {
      orgUnitId,
      now,
      dueAt,
      expiresInDays: definition.expiresInDays ?? deps.config.invitationExpiresDays,
      eventId,
      ...(staffId ? { staffId } : {}),
    });
    const once = await deps.store.createInvitationOnce({ kind: 'event', campaignId: campaign.campaignId, eventId }, invitation);
    const existing = once.existing;
    if (existing) {
      // The event was completed (e.g. closed): a return visit not sent yet moves to its new time.
      if (status !== 'unchanged' && existing.status === 'pending' && existing.nextAction === 'invite' && existing.dueAt !== dueAt.toISOString()) {
        try {
          await deps.store.updateInvitation(existing.token, { invitationId: existing.invitationId }, { due: dueAt.toISOString() }, { status: 'pending', nextAction: 'invite' });
          invitations.push({ campaignId: campaign.campaignId, invitationId: existing.invitationId, dueAt: dueAt.toISOString() });
        } catch (error) {
          if (!(error instanceof StaleInvitationError)) throw error; // it went out meanwhile
        }
      }
      continue;
    }
    if (!once.created) continue;
    invitations.push({ campaignId: campaign.campaignId, invitationId: invitation.invitationId, dueAt: dueAt.toISOString() });
  }
  // A commitment the event missed opens a case (once per event and commitment, on every post). A
  // failure here fails the request: its retry finds the event recorded and opens the case then.
  const cases = await openBreachCases(deps, record);
  deps.logger.info('service event recorded', { eventId, type, invitations: invitations.length, cases: cases.length });
  return { eventId, status, invitations, ...(cases.length > 0 ? { cases } : {}) };
}

/** Why `next` is not a completion of `stored` (undefined when it is: only new or filled fields). */
function completes(stored: ServiceEventRecord, next: ServiceEventRecord): string | undefined {
  for (const field of ['type', 'orgUnitId', 'staffId', 'contactId', 'occurredAt'] as const) {
    if (stored[field] !== next[field]) return `${field} differs`;
  }
  if (stored.closedAt && stored.closedAt !== next.closedAt) return 'closedAt differs';
  for (const [field, value] of Object.entries(stored.fields)) {
    if (value !== null && value !== undefined && JSON.stringify(next.fields[field]) !== JSON.stringify(value)) return `${field} differs`;
  }
  return undefined;
}
