/**
 * The retention purge (docs/privacy.md): each kind of personal data is kept for its period and
 * then deleted or anonymised by this job, which works the same on DynamoDB and on dynalite (no
 * reliance on TTL: DynamoDB's may lag by days, dynalite has none).
 *
 * - SMS log: days older than MANYI_SMS_LOG_RETENTION_DAYS.
 * - Audit trail: days older than MANYI_AUDIT_RETENTION_DAYS.
 * - Contacts: erased (as POST /admin/privacy/erase would) after MANYI_CONTACT_RETENTION_MONTHS
 *   full months without activity (an import that changed them, an invitation), found through the
 *   activity index by month.
 * - Free text: the text answers of responses of periods older than MANYI_FREE_TEXT_RETENTION_MONTHS
 *   become "[expired]"; scores and choices stay, so no index changes. So do the replies, notes and
 *   resolution of the cases opened in those months (Asia/Shanghai), whose typed-in contact goes.
 *
 * - Field encryption on: fields and keys written in clear before it was turned on are sealed,
 *   a bounded part per run (./field-sealing.ts).
 *
 * Each kind keeps a cursor (the last day or month done) and moves it only once that day or month
 * is done: a crash costs a repeat of one step, and a run after a long pause catches up (bounded
 * per run, so one invocation stays short).
 */
import { shiftPeriod, periodOf } from '../domain/period';
import { organisationAccess } from './access';
import type { Deps } from './deps';
import { sealClearFields, type FieldSealingSummary } from './field-sealing';
import { erasePerson } from './privacy';
import { rewriteCase } from './case-rewrite';
import { expiredCase } from '../domain/cases/erasure';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone';

/** What a text answer reads once its retention has passed. */
export const EXPIRED_TEXT = '[expired]';

/**
 * A first run looks this far back for what was kept before the job existed: days (older SMS log
 * and audit days were deleted by DynamoDB's TTL on AWS, and by the local runtime's earlier SMS log
 * purge) and months.
 */
const FIRST_RUN_DAYS = 31;
const FIRST_RUN_MONTHS = 120;
/** At most this many days or months of one kind per run. */
const MAX_DAYS_PER_RUN = 1000;
const MAX_MONTHS_PER_RUN = 240;

const DAY_MS = 86_400_000;
const dayOf = (instant: Date) => instant.toISOString().slice(0, 10);
const nextDay = (day: string) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS));

export interface RetentionSummary {
  smsLogEntries: number;
  auditRecords: number;
  contactsErased: number;
  responsesWithTextExpired: number;
  casesWithTextExpired: number;
  /** Contacts that became known to the activity index on this run (the first run's backfill). */
  contactsIndexed: number;
  /** With field encryption on: the sealing of what was written before it (./field-sealing.ts). */
  fieldSealing?: FieldSealingSummary;
}

/** How long one run may spend sealing old fields, so the purges above always fit in the function's 15 minutes. */
const SEALING_BUDGET_MS = 5 * 60_000;

type RetentionDeps = Pick<Deps, 'store' | 'clock' | 'config' | 'logger' | 'outbox'>;

/** Days from the cursor (or the first-run lookback) up to, not including, `until`, oldest first. */
async function daysToDo(deps: RetentionDeps, cursor: string, until: string): Promise<string[]> {
  const done = await deps.store.retentionCursor(cursor);
  const days: string[] = [];
  for (let day = done ? nextDay(done) : dayOf(new Date(Date.parse(`${until}T00:00:00Z`) - FIRST_RUN_DAYS * DAY_MS)); day < until && days.length < MAX_DAYS_PER_RUN; day = nextDay(day)) {
    days.push(day);
  }
  return days;
}

/** Months from the cursor (or, on a first run, from `firstMonth`) up to, not including, `until`. */
async function monthsToDo(deps: RetentionDeps, cursor: string, until: string, firstMonth: string): Promise<string[]> {
  const done = await deps.store.retentionCursor(cursor);
  const months: string[] = [];
  const earliest = shiftPeriod(until, -FIRST_RUN_MONTHS);
  for (let month = done ? shiftPeriod(done, 1) : firstMonth > earliest ? firstMonth : earliest; month < until && months.length < MAX_MONTHS_PER_RUN; month = shiftPeriod(month, 1)) {
    months.push(month);
  }
  return months;
}

/** A day partition is expired when its whole day lies further back than `retentionDays`. */
async function purgeDays(deps: RetentionDeps, cursor: string, retentionDays: number, purge: (day: string, nowEpochSeconds: number) => Promise<number>): Promise<number> {
  const now = deps.clock.now();
  const until = dayOf(new Date(now.getTime() - retentionDays * DAY_MS));
  let purged = 0;
  const days = await daysToDo(deps, cursor, until);
  for (const day of days) purged += await purge(day, Math.floor(now.getTime() / 1000));
  // Once, at the end: an interrupted run repeats its days, whose deletes find nothing the second time.
  const last = days.at(-1);
  if (last) await deps.store.setRetentionCursor(cursor, last);
  return purged;
}

/** When a contact was last active: its last change by an import, or its last invitation. */
const lastActive = (contact: { updatedAt: string; lastInvitedAt?: string | undefined }) =>
  contact.lastInvitedAt && contact.lastInvitedAt > contact.updatedAt ? contact.lastInvitedAt : contact.updatedAt;
const lastActiveMonth = (contact: { updatedAt: string; lastInvitedAt?: string | undefined }) => lastActive(contact).slice(0, 7);

async function eraseInactiveContacts(deps: RetentionDeps, summary: RetentionSummary): Promise<void> {
  const cursor = 'contacts';
  // Months strictly before this one have passed the retention period in full.
  const until = shiftPeriod(deps.clock.now().toISOString().slice(0, 7), -deps.config.retention.contactMonths);
  let firstMonth = until;
  const firstRun = (await deps.store.retentionCursor(cursor)) === undefined;
  if (firstRun) {
    // Contacts stored before the activity index existed: index them once, by unit (queries, not a
    // scan); the first run starts at the oldest month found.
    for (const unit of await deps.store.listOrgUnits()) {
      for (const contact of await deps.store.listContactsOfUnit(unit.id)) {
        const at = lastActive(contact);
        await deps.store.putContactActivity(contact.contactId, at);
        if (at.slice(0, 7) < firstMonth) firstMonth = at.slice(0, 7);
        summary.contactsIndexed += 1;
      }
    }
  }
  const access = organisationAccess(deps.store, 'privacy:manage');
  const months = await monthsToDo(deps, cursor, until, firstMonth);
  // Nothing old enough yet: the backfill is done all the same, and is not repeated.
  if (firstRun && months.length === 0) await deps.store.setRetentionCursor(cursor, shiftPeriod(until, -1));
  for (const month of months) {
    const ids = await deps.store.contactsActiveIn(month);
    for (const contactId of ids) {
      const contact = await deps.store.getContact(contactId);
      // Active again since (a newer entry names it), or erased already: nothing to do here.
      if (!contact || lastActiveMonth(contact) >= until) continue;
      await erasePerson(deps, { kind: 'contactId', value: contactId }, access);
      summary.contactsErased += 1;
    }
    await deps.store.forgetContactActivity(month, ids);
    await deps.store.setRetentionCursor(cursor, month);
  }
}

async function expireFreeText(deps: RetentionDeps, summary: RetentionSummary): Promise<void> {
  const expiredAt = deps.clock.now().toISOString();
  for (const surveyId of await deps.store.listSurveyIds()) {
    const latest = await deps.store.getLatestSurveyVersion(surveyId);
    if (!latest) continue;
    // A period holds responses of any version: the text questions of them all.
    const textQuestions = new Set<string>();
    for (let version = 1; version <= latest.version; version++) {
      const record = version === latest.version ? latest : await deps.store.getSurveyVersion(surveyId, version);
      for (const question of record?.definition.questions ?? []) if (question.type === 'text') textQuestions.add(question.id);
    }
    const until = shiftPeriod(periodOf(deps.clock.now(), latest.definition.timeZone), -deps.config.retention.freeTextMonths);
    const cursor = `freeText#${surveyId}`;
    // No response is older than the questionnaire's first version.
    const first = latest.version === 1 ? latest : await deps.store.getSurveyVersion(surveyId, 1);
    const firstPeriod = periodOf(new Date(first?.publishedAt ?? latest.publishedAt), latest.definition.timeZone);
    for (const period of await monthsToDo(deps, cursor, until, firstPeriod)) {
      summary.responsesWithTextExpired += await deps.store.expireFreeText(surveyId, period, [...textQuestions].sort(), EXPIRED_TEXT, expiredAt);
      await deps.store.setRetentionCursor(cursor, period);
    }
  }
}

async function expireCaseText(deps: RetentionDeps, summary: RetentionSummary): Promise<void> {
  const expiredAt = deps.clock.now().toISOString();
  const until = shiftPeriod(periodOf(deps.clock.now(), DEFAULT_TIME_ZONE), -deps.config.retention.freeTextMonths);
  for (const month of await monthsToDo(deps, 'caseText', until, shiftPeriod(until, -FIRST_RUN_MONTHS))) {
    for (const c of await deps.store.casesOfMonth(month)) {
      if (await rewriteCase(deps, c, (current) => expiredCase(current, EXPIRED_TEXT, expiredAt))) summary.casesWithTextExpired += 1;
    }
    await deps.store.setRetentionCursor('caseText', month);
  }
}

export async function runRetention(deps: RetentionDeps): Promise<RetentionSummary> {
  const summary: RetentionSummary = { smsLogEntries: 0, auditRecords: 0, contactsErased: 0, responsesWithTextExpired: 0, casesWithTextExpired: 0, contactsIndexed: 0 };
  summary.smsLogEntries = await purgeDays(deps, 'smsLog', deps.config.sms.logRetentionDays, (day, now) => deps.store.purgeSmsLog(day, now));
  summary.auditRecords = await purgeDays(deps, 'audit', deps.config.auditRetentionDays, (day, now) => deps.store.purgeAuditDay(day, now));
  await eraseInactiveContacts(deps, summary);
  await expireFreeText(deps, summary);
  await expireCaseText(deps, summary);
  const sealing = await sealClearFields(deps, SEALING_BUDGET_MS);
  if (sealing) summary.fieldSealing = sealing;
  deps.logger.info('retention purge done', { ...summary });
  return summary;
}
