/**
 * A person's rights under China's PIPL (个人信息保护法, arts. 45 and 47): everything held about
 * them, exported as JSON, and their erasure. A person is named by a phone number, an e-mail
 * address or a contact id; they are found through the person index (every contact holding the
 * number or address, whatever its identity kind) and each contact's invitation refs, never by a
 * scan. Erasure removes the contacts, empties the invitations' contact snapshots (a pending one is
 * skipped), redacts their number, address and name from the free text of their responses, deletes
 * their SMS reply targets and SMS log entries and, locally, their outbox messages, and erases them
 * from their cases (found by case refs: functions/store/cases.ts). Responses and cases stay,
 * anonymised, so no index changes. Each step is a single-item write that finds what an earlier,
 * interrupted run left: a retry completes the erasure, and a second erasure finds nothing.
 */
import * as z from '../domain/zod';
import { forbidden, invalid, problemsFromZod } from '../domain/errors';
import { normalisePhone, type CountryCode } from '../domain/distribution/phone';
import { erasurePattern, redactAnswers, type PersonIdentifiers } from '../domain/privacy/redact';
import type { ContactRecord, InvitationRecord, ResponseRecord, SmsLogEntry } from '../domain/records';
import type { CaseRecord } from '../domain/cases/case';
import { erasedCase } from '../domain/cases/erasure';
import type { PersonCaseWays } from './ports';
import { rewriteCase } from './case-rewrite';
import { maskEmail, maskPhone } from '../shared/privacy';
import type { AccessCheck } from './access';
import type { Deps } from './deps';

const subjectSchema = z
  .strictObject({
    phone: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    email: z.optional(z.pipe(z.string().check(z.trim(), z.maxLength(254)), z.email({ error: 'not a valid e-mail address' }))),
    contactId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'expected a contact id (letters, digits, _ and -, at most 128)' }))),
  })
  .check(
    z.refine((subject) => [subject.phone, subject.email, subject.contactId].filter((v) => v !== undefined).length === 1, {
      error: 'name the person by exactly one of phone, email or contactId',
      path: ['phone'],
    }),
  );

export type Subject = { kind: 'phone'; value: string } | { kind: 'email'; value: string } | { kind: 'contactId'; value: string };

/** The person named by a request body (erase) or query (export), normalised as contacts are stored. */
export function parseSubject(input: unknown, defaultRegion: string): Subject {
  const parsed = subjectSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues));
  const { phone, email, contactId } = parsed.data;
  if (phone !== undefined) {
    const normalised = normalisePhone(phone, defaultRegion as CountryCode);
    if (!normalised.ok) throw invalid([{ path: 'phone', message: normalised.reason }]);
    return { kind: 'phone', value: normalised.e164 };
  }
  if (email !== undefined) return { kind: 'email', value: email.toLowerCase() };
  return { kind: 'contactId', value: contactId as string };
}

const maskedSubject = (subject: Subject) => ({
  kind: subject.kind,
  value: subject.kind === 'phone' ? maskPhone(subject.value) : subject.kind === 'email' ? maskEmail(subject.value) : subject.value,
});

type PrivacyDeps = Pick<Deps, 'store' | 'clock' | 'logger' | 'outbox'>;

interface HeldInvitation {
  invitation: InvitationRecord;
  response?: ResponseRecord | undefined;
}

interface Holdings {
  /** Contacts that hold the subject now (or are it, by id): erased whole. */
  contacts: ContactRecord[];
  /** Contact ids the person index still names although they no longer hold the subject. */
  formerContactIds: string[];
  /** Invitations to the person: all of their contacts', and those of former contacts whose snapshot holds the subject. */
  invitations: HeldInvitation[];
  /** Cases about the person (by a contact, an invitation, or the number or address they gave), and how they were found. */
  cases: CaseRecord[];
  caseWays: PersonCaseWays;
  identifiers: PersonIdentifiers;
}

const holds = (subject: Subject, record: { phone?: string | undefined; email?: string | undefined }) =>
  (subject.kind === 'phone' && record.phone === subject.value) || (subject.kind === 'email' && record.email === subject.value);

/** Everything held about the subject, read (nothing written). */
async function findHoldings(deps: PrivacyDeps, subject: Subject, access: AccessCheck): Promise<Holdings> {
  if (!access.pii && access.role !== 'admin') {
    throw forbidden("your role may export or erase a person's data only with access to personal data (pii); admins always may");
  }
  const candidateIds = subject.kind === 'contactId' ? [subject.value] : await deps.store.contactIdsOfPerson(subject.kind, subject.value);
  const contacts: ContactRecord[] = [];
  const formerContactIds: string[] = [];
  for (const contactId of candidateIds) {
    const contact = await deps.store.getContact(contactId);
    if (contact && (subject.kind === 'contactId' || holds(subject, contact))) contacts.push(contact);
    else formerContactIds.push(contactId);
  }
  await access.requireUnits(new Set(contacts.map((contact) => contact.orgUnitId)), "the person's contacts");

  const invitations: HeldInvitation[] = [];
  const former = new Set(formerContactIds);
  for (const contactId of [...contacts.map((contact) => contact.contactId), ...formerContactIds]) {
    for (const held of await deps.store.getInvitationsWithResponses(await deps.store.invitationTokensOfContact(contactId))) {
      if (former.has(contactId) && !holds(subject, held.invitation.contact)) continue;
      invitations.push({ invitation: held.invitation, response: held.response });
    }
  }
  // Invitations made for the number or address without a contact (a link campaign's inline ones).
  const seen = new Set(invitations.map(({ invitation }) => invitation.token));
  const contactless = subject.kind === 'contactId' ? [] : (await deps.store.invitationTokensOfPerson(subject.kind, subject.value)).filter((token) => !seen.has(token));
  for (const held of await deps.store.getInvitationsWithResponses(contactless)) invitations.push({ invitation: held.invitation, response: held.response });
  await access.requireUnits(new Set(invitations.map(({ invitation }) => invitation.orgUnitId)), "the person's invitations");

  const caseWays: PersonCaseWays = {
    contactIds: [...contacts.map((contact) => contact.contactId), ...formerContactIds],
    invitationIds: invitations.map(({ invitation }) => invitation.invitationId),
    ...(subject.kind === 'contactId' ? {} : { person: { kind: subject.kind, value: subject.value } }),
  };
  const cases = (await Promise.all((await deps.store.caseIdsOfPerson(caseWays)).map((caseId) => deps.store.getCase(caseId)))).filter((c): c is CaseRecord => c !== undefined);
  await access.requireUnits(new Set(cases.map((c) => c.orgUnitId)), "the person's cases");

  const collect = (values: (string | undefined)[]) => [...new Set(values.filter((value): value is string => typeof value === 'string' && value.length > 0))];
  const snapshots = [...invitations.map(({ invitation }) => invitation.contact), ...cases.flatMap((c) => (c.contact ? [c.contact] : []))];
  const identifiers: PersonIdentifiers = {
    phones: collect([subject.kind === 'phone' ? subject.value : undefined, ...contacts.map((c) => c.phone), ...snapshots.map((c) => c.phone)]),
    emails: collect([subject.kind === 'email' ? subject.value : undefined, ...contacts.map((c) => c.email), ...snapshots.map((c) => c.email)]),
    names: collect([...contacts.map((c) => c.name), ...snapshots.map((c) => c.name)]),
  };
  return { contacts, formerContactIds, invitations, cases, caseWays, identifiers };
}

/** The days an invitation's SMS log entries fall on: the day it was sent and the next (late receipts). */
function smsLogDays(invitations: readonly HeldInvitation[]): string[] {
  const days = new Set<string>();
  for (const { invitation } of invitations) {
    if (!invitation.sentAt) continue;
    const sent = new Date(invitation.sentAt);
    days.add(sent.toISOString().slice(0, 10));
    days.add(new Date(sent.getTime() + 86_400_000).toISOString().slice(0, 10));
  }
  return [...days].sort();
}

export interface PersonExport {
  subject: { kind: Subject['kind']; value: string };
  exportedAt: string;
  contacts: Omit<ContactRecord, 'fingerprint'>[];
  invitations: (Pick<InvitationRecord, 'invitationId' | 'campaignId' | 'surveyId' | 'orgUnitId' | 'contact' | 'createdAt' | 'expiresAt'> & Partial<Pick<InvitationRecord, 'channel' | 'status' | 'sentAt' | 'lang' | 'eventId'>>)[];
  responses: Pick<ResponseRecord, 'responseId' | 'invitationId' | 'surveyId' | 'orgUnitId' | 'submittedAt' | 'lang' | 'answers'>[];
  optOuts: { channel: string; address: string; optedOut: boolean; changedAt?: string }[];
  smsLog: SmsLogEntry[];
  /** The cases about the person: what they wrote back, the contact an agent typed in, staff's notes. */
  cases: (Pick<CaseRecord, 'caseId' | 'source' | 'orgUnitId' | 'openedAt' | 'state'> & Partial<Pick<CaseRecord, 'contact' | 'replies' | 'resolution'>> & { notes: { at: string; note: string }[] })[];
}

/** GET /admin/privacy/export: everything held about one person, in clear (the caller may see it). */
export async function exportPerson(deps: PrivacyDeps, subject: Subject, access: AccessCheck): Promise<PersonExport> {
  const found = await findHoldings(deps, subject, access);
  const invitationIds = new Set(found.invitations.map(({ invitation }) => invitation.invitationId));
  const smsLog: SmsLogEntry[] = [];
  for (const day of smsLogDays(found.invitations)) {
    smsLog.push(...(await deps.store.smsLogOf(day)).filter((entry) => entry.invitationId !== undefined && invitationIds.has(entry.invitationId)));
  }
  const optOuts: PersonExport['optOuts'] = [];
  for (const phone of found.identifiers.phones) {
    const state = await deps.store.getOptOut('sms', phone);
    if (state) optOuts.push({ channel: 'sms', address: phone, ...state });
  }
  const pick = <T extends object, K extends keyof T>(record: T, fields: readonly K[]) =>
    Object.fromEntries(fields.filter((field) => record[field] !== undefined).map((field) => [field, record[field]])) as Pick<T, K>;
  return {
    subject: { kind: subject.kind, value: subject.value },
    exportedAt: deps.clock.now().toISOString(),
    contacts: found.contacts.map(({ fingerprint: _fingerprint, ...contact }) => contact),
    invitations: found.invitations.map(({ invitation }) =>
      pick(invitation, ['invitationId', 'campaignId', 'surveyId', 'orgUnitId', 'contact', 'createdAt', 'expiresAt', 'channel', 'status', 'sentAt', 'lang', 'eventId'] as const),
    ),
    responses: found.invitations.flatMap(({ response }) =>
      response ? [pick(response, ['responseId', 'invitationId', 'surveyId', 'orgUnitId', 'submittedAt', 'lang', 'answers'] as const)] : [],
    ),
    optOuts,
    smsLog: smsLog.sort((a, b) => a.at.localeCompare(b.at)),
    cases: found.cases.map((c) => ({
      ...pick(c, ['caseId', 'source', 'orgUnitId', 'openedAt', 'state', 'contact', 'replies', 'resolution'] as const),
      notes: c.timeline.flatMap((entry) => (entry.note === undefined ? [] : [{ at: entry.at, note: entry.note }])),
    })),
  };
}

export interface ErasureReceipt {
  subject: { kind: Subject['kind']; value: string };
  erasedAt: string;
  /** What this request removed or anonymised (a repeated erasure finds nothing: all zero). */
  erased: {
    contacts: number;
    invitations: number;
    responsesRedacted: number;
    smsReplyTargets: number;
    smsLogEntries: number;
    outboxMessages: number;
    personIndexRefs: number;
    cases: number;
    caseRefs: number;
  };
  /** What stays, and why. */
  kept: string[];
}

const KEPT = [
  'responses: their scores and choices, with the person erased from their free text, so no index changes',
  'opt-outs: an opted-out number stays opted out, so an erased person is never messaged again after a re-import',
  'service events: their timestamps, with only the erased contact id',
  'cases: their states, deadlines and timeline, with the person erased from the replies, notes and resolution and a typed-in contact removed, so the reports still count them',
  'audit records: who did what, with ids and a body digest only (no personal data)',
];

/** POST /admin/privacy/erase. */
export async function erasePerson(deps: PrivacyDeps, subject: Subject, access: AccessCheck): Promise<ErasureReceipt> {
  const found = await findHoldings(deps, subject, access);
  const erasedAt = deps.clock.now().toISOString();
  const pattern = erasurePattern(found.identifiers);
  const erased = { contacts: 0, invitations: 0, responsesRedacted: 0, smsReplyTargets: 0, smsLogEntries: 0, outboxMessages: 0, personIndexRefs: 0, cases: 0, caseRefs: 0 };

  // The cases first, then their refs: a retry after a crash finds the cases again by the refs.
  for (const c of found.cases) if (await rewriteCase(deps, c, (current) => erasedCase(current, pattern, erasedAt))) erased.cases += 1;
  erased.caseRefs = await deps.store.deleteCaseRefs(found.caseWays);

  // Responses and invitations first, the contacts (which lead to them) last: an interrupted
  // erasure is found again and completed by a retry.
  for (const { invitation, response } of found.invitations) {
    if (response) {
      const redacted = redactAnswers(response.answers, pattern);
      if (redacted.changed) {
        await deps.store.redactResponse(invitation.token, invitation.invitationId, redacted.answers, erasedAt);
        erased.responsesRedacted += 1;
      }
    }
    // A contactless invitation is found through the person index only: its other entries go
    // first, the one this erasure came by last, so a retry after a crash still finds it.
    const foundBy = subject.kind !== 'contactId' && !invitation.contactId ? { kind: subject.kind, value: subject.value } : undefined;
    if (!invitation.contactId) {
      for (const kind of ['phone', 'email'] as const) {
        const value = invitation.contact[kind];
        if (!value || (foundBy?.kind === kind && foundBy.value === value)) continue;
        await deps.store.deletePersonInvitationRef(kind, value, invitation.token);
        erased.personIndexRefs += 1;
      }
    }
    if (Object.keys(invitation.contact).length > 0) {
      const pending = invitation.status === 'pending';
      // The dispatcher may have taken a pending one meanwhile: then empty it as it is now.
      if (!(await deps.store.eraseInvitationContact(invitation.token, erasedAt, pending)) && pending) await deps.store.eraseInvitationContact(invitation.token, erasedAt, false);
      erased.invitations += 1;
    }
    if (foundBy) {
      await deps.store.deletePersonInvitationRef(foundBy.kind, foundBy.value, invitation.token);
      erased.personIndexRefs += 1;
    }
  }
  const invitationIds = new Set(found.invitations.map(({ invitation }) => invitation.invitationId));
  for (const day of smsLogDays(found.invitations)) erased.smsLogEntries += await deps.store.deleteSmsLogEntries(day, invitationIds);
  for (const phone of found.identifiers.phones) erased.smsReplyTargets += await deps.store.deleteSmsReplyTargets(phone);
  erased.outboxMessages = (await deps.outbox?.forget({ to: new Set(found.identifiers.phones), invitationIds })) ?? 0;
  if (subject.kind !== 'contactId') {
    for (const contactId of found.formerContactIds) {
      await deps.store.deletePersonRef(subject.kind, subject.value, contactId);
      erased.personIndexRefs += 1;
    }
  }
  for (const contact of found.contacts) {
    await deps.store.deleteContact(contact, subject.kind === 'contactId' ? undefined : { kind: subject.kind, value: subject.value });
    erased.contacts += 1;
  }
  deps.logger.info('person erased', { subjectKind: subject.kind, ...erased });
  return { subject: maskedSubject(subject), erasedAt, erased, kept: KEPT };
}
