/**
 * What the use cases need from the outside world, as interfaces: the application layer speaks to
 * these, and the runtime plugs in adapters: the DynamoDB store (functions/store/), AWS End User
 * Messaging SMS and SQS (functions/channels/), or local ones (an outbox, an in-process queue).
 *
 * One concern, over 450 lines: the contracts between the use cases and their adapters, each port
 * with the guarantees its adapters must give (conditional writes, idempotency, paging) written
 * beside it; splitting them would spread one contract over several files.
 */
import type { Answers } from '../domain/scoring';
import type {
  CampaignRecord,
  CheckpointMeta,
  CheckpointUnit,
  CommitmentRecord,
  CommitmentsReportRecord,
  CalendarSettingsRecord,
  ComplianceRecomputeRecord,
  ContactRecord,
  DueInvitation,
  InvitationAction,
  InvitationChanges,
  InvitationOrigin,
  InvitationRecord,
  InvitationStatus,
  OrgUnit,
  RecentResponse,
  ReportRecord,
  ReportTrendPoint,
  ResponseRecord,
  ScheduledCampaignRecord,
  SendAttemptRecord,
  ServiceEventRecord,
  SmsLogEntry,
  SurveyCatalogueEntry,
  SurveyDraftRecord,
  SurveyVersionRecord,
  TriggerRecord,
} from '../domain/records';
import type { AuditRecord } from '../domain/access/audit';
import type { CredentialRecord, UserRecord } from '../domain/access/users';
import type { CaseFigureInput, CaseRecord } from '../domain/cases/case';
import type { MetricsRow, UnitMetrics } from '../domain/metrics';
import type { CaseSettings } from '../domain/cases/settings';
import type { StoredAlertRule } from '../domain/cases/stored-rules';

export interface OutboundSms {
  /** E.164 */
  to: string;
  body: string;
  /** The same for every retry of one invitation, action and attempt. */
  idempotencyKey: string;
  segments: number;
  campaignId?: string;
  invitationId?: string;
  /** Marketing messages and transactional ones are billed and filtered differently by carriers. */
  kind: 'marketing' | 'transactional';
}

/** A provider refused or failed; `retryable` says whether trying again later can help. */
export class SmsProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SmsProviderError';
  }
}

export interface SmsProvider {
  send(message: OutboundSms): Promise<{ messageId: string }>;
  /**
   * Whether a message with this key was accepted, where the provider can tell (the local outbox
   * can; AWS End User Messaging cannot, and the sender then assumes it was, to send at most once).
   */
  wasSent?(idempotencyKey: string): Promise<boolean>;
  /**
   * Forgets the messages to a number or of these invitations, where the provider keeps them (the
   * local outbox does; AWS End User Messaging keeps no message bodies we can reach): a person's
   * erasure. Returns how many.
   */
  forget?(match: { to: ReadonlySet<string>; invitationIds: ReadonlySet<string> }): Promise<number>;
}

export interface DispatchMessage {
  token: string;
  invitationId: string;
  campaignId: string;
  action: 'invite' | 'reminder';
}

export interface DispatchQueue {
  enqueue(messages: readonly DispatchMessage[]): Promise<void>;
  /**
   * Who holds the leases of the messages this queue takes: the local process, whose in-process
   * queue dies with it ("local:<id>"), so the next start can release its leases at once. Absent on
   * AWS, where SQS keeps a message until it is handled or dead-lettered.
   */
  readonly leaseOwner?: string;
}

// ---- the store ------------------------------------------------------------------------------------

/**
 * The invitation changed under the sender (answered, or handled by another copy of the message):
 * `updateInvitation` with an expected state throws this instead of overwriting.
 */
export class StaleInvitationError extends Error {
  constructor(invitationId: string) {
    super(`invitation ${invitationId} changed while it was being dispatched`);
    this.name = 'StaleInvitationError';
  }
}

/** A page cursor a caller sent back that is not one the store gave out (a 400, never a failed query). */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this list gave out');
    this.name = 'InvalidCursorError';
  }
}

/** One page of a list, and the cursor of the next page if there is one. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** Questionnaire versions and the catalogue of published questionnaires. */
export interface SurveyStore {
  /**
   * Publishes a version once. Returns the stored record when the version exists already (the
   * caller compares content), or undefined when this call created it.
   */
  putSurveyVersionIfAbsent(record: SurveyVersionRecord): Promise<SurveyVersionRecord | undefined>;
  getSurveyVersion(surveyId: string, version: number): Promise<SurveyVersionRecord | undefined>;
  getLatestSurveyVersion(surveyId: string): Promise<SurveyVersionRecord | undefined>;
  listSurveyIds(): Promise<string[]>;
  /** The catalogue, a page at a time in id order (throws InvalidCursorError for a cursor it did not give). */
  listSurveyCatalogue(limit: number, cursor?: string): Promise<Page<SurveyCatalogueEntry>>;
  getSurveyCatalogueEntry(surveyId: string): Promise<SurveyCatalogueEntry | undefined>;
  /** Adds a questionnaire to the catalogue (a draft before its first version); nothing when it is there. */
  ensureSurveyCatalogueEntry(surveyId: string): Promise<void>;
  /** Archives or restores a questionnaire; false when it is not in the catalogue. */
  setSurveyArchived(surveyId: string, archivedAt: string | undefined): Promise<boolean>;
  /** Every published version of a questionnaire, oldest first, without its definition. */
  listSurveyVersions(surveyId: string): Promise<{ version: number; publishedAt: string; title: Record<string, string> }[]>;
  getSurveyDraft(surveyId: string): Promise<SurveyDraftRecord | undefined>;
  /**
   * Stores a draft as the next revision of the one read (`baseRevision`, 0 for none): false when
   * another save came first. Without a base revision the draft is replaced whatever it was.
   */
  putSurveyDraft(draft: SurveyDraftRecord, baseRevision: number | undefined): Promise<boolean>;
  /** Deletes the draft if it is still this revision (a publication removes what it published). */
  deleteSurveyDraft(surveyId: string, revision: number): Promise<boolean>;
}

/** The organisation tree, read whole to roll figures up. */
export interface OrgUnitStore {
  listOrgUnits(): Promise<OrgUnit[]>;
  putOrgUnits(units: readonly OrgUnit[]): Promise<void>;
}

/** Campaigns, the event types that trigger them, and the schedules of recurring and return-visit campaigns. */
export interface CampaignStore {
  /** Writes the invitations, then the campaign: a campaign never exists without all of its invitations. */
  createCampaign(campaign: CampaignRecord, invitations: readonly InvitationRecord[]): Promise<void>;
  getCampaign(campaignId: string): Promise<CampaignRecord | undefined>;
  /**
   * Campaigns newest first: every one (`all`), or those listed under any of these units; a page at
   * a time (throws InvalidCursorError for a cursor it did not give).
   */
  listCampaigns(under: 'all' | readonly string[], limit: number, cursor?: string): Promise<Page<CampaignRecord>>;
  putTrigger(trigger: TriggerRecord): Promise<void>;
  triggersOf(eventType: string): Promise<TriggerRecord[]>;
  putScheduledCampaign(record: ScheduledCampaignRecord): Promise<void>;
  scheduledCampaigns(): Promise<ScheduledCampaignRecord[]>;
  /** Moves a schedule on, conditional on the run it was read at (one runner per occurrence): false when another moved it. */
  advanceScheduledCampaign(campaignId: string, seenNextRunAt: string, nextRunAt: string, lastRunAt: string): Promise<boolean>;
  /** Counts one test message of a user on a day, unless `limit` were passed: false then (one conditional write). */
  claimTestSend(userId: string, day: string, limit: number, expiresAtEpochSeconds: number): Promise<boolean>;
  /** Gives a day's test message back (one that never left: the provider was down). */
  releaseTestSend(userId: string, day: string): Promise<void>;
  testSendsOf(userId: string, day: string): Promise<number>;
}

/** Invitations, and the dispatcher's work: what is due, leases, and the sender's updates. */
export interface InvitationStore {
  putInvitations(invitations: readonly InvitationRecord[]): Promise<void>;
  /**
   * Writes an invitation once per origin. The origin names the invitation before it is written, so
   * a run that crashed in between is completed (with the same id and token), not repeated.
   * `created` is false when the origin already has its invitation (returned as `existing`); when
   * a crashed run had named one, `invitation` takes that id and token before it is written.
   */
  createInvitationOnce(origin: InvitationOrigin, invitation: InvitationRecord): Promise<{ created: boolean; existing?: InvitationRecord }>;
  getInvitationByToken(token: string): Promise<InvitationRecord | undefined>;
  /**
   * The invitation behind a token and its response if it has one, in one strongly consistent read
   * (both live in the token's partition): what the respondent's page, the submit and the sender
   * ask. `answered` also holds for an invitation marked responded whose response is not returned.
   */
  getInvitationWithResponse(token: string): Promise<{ invitation: InvitationRecord; response?: ResponseRecord; answered: boolean } | undefined>;
  /** The same for many tokens, read in batches (the ones found, in the order given). */
  getInvitationsWithResponses(tokens: readonly string[]): Promise<{ invitation: InvitationRecord; response?: ResponseRecord; answered: boolean }[]>;
  listInvitations(campaignId: string): Promise<InvitationRecord[]>;
  /** The token of an invitation by its id (a link invitation's ref; else, given its campaign, its campaign's list). */
  invitationTokenOf(invitationId: string, campaignId?: string): Promise<string | undefined>;
  /**
   * Moves a link invitation to a new token: the old link stops working. `conflict` when another
   * re-issue came first, `answered` when the person answered by the old link meanwhile (nothing
   * changed in either case), `gone` when the invitation is no longer there.
   */
  reissueInvitation(invitation: InvitationRecord, newToken: string, at: string): Promise<'reissued' | 'conflict' | 'answered' | 'gone'>;
  /** Finishes a re-issue that stopped after its commit point (nothing when there is none to finish). */
  completeReissue(token: string): Promise<void>;
  /** A page of a campaign's invitations in id order (throws InvalidCursorError for a cursor it did not give). */
  listInvitationsPage(campaignId: string, limit: number, cursor?: string): Promise<Page<InvitationRecord>>;
  /** Invitations due at or before `now`, oldest first (every shard of the due index gets its share of `limit`). */
  dueInvitations(now: string, limit: number): Promise<DueInvitation[]>;
  /**
   * Takes a due invitation by moving its due time to the end of a lease (if the sender never
   * finishes, it becomes due again then). Conditional on the due entry read: of two dispatchers one wins.
   */
  leaseDue(due: DueInvitation, leaseUntil: string, owner?: string): Promise<boolean>;
  /**
   * Makes due now the invitations leased (until at most `leasedUntilAtMost`) by a local process
   * other than `liveOwner`: that process is gone and its queue with it. Returns how many.
   */
  releaseOrphanedLeases(liveOwner: string, now: string, leasedUntilAtMost: string): Promise<number>;
  /**
   * Updates an invitation. `due` puts it (back) in the work index at that time; `done` takes it
   * out. Fields set to undefined are removed. With `expected`, only if the invitation is still in
   * that state (the sender's view); else StaleInvitationError.
   */
  updateInvitation(
    token: string,
    changes: InvitationChanges,
    work: { due: string } | 'done' | 'unchanged',
    expected?: { status: InvitationStatus; nextAction: InvitationAction },
  ): Promise<void>;
  /**
   * Records a delivery receipt on the invitation, in one conditional update: the first "delivered"
   * sticks (a late or repeated failure of another message of it changes nothing), a failure is
   * kept only while none is delivered. `unknown`: no such invitation (erased, or never one).
   */
  recordDelivery(token: string, receipt: { outcome: 'delivered'; at: string } | { outcome: 'undelivered'; reason: string }): Promise<'recorded' | 'unchanged' | 'unknown'>;
  /** Takes an invitation with nothing left to do out of the work index (a stale dispatch message found it finished). */
  clearFinishedWork(token: string): Promise<void>;
  /**
   * Marks an invitation answered and ends any pending work. The submit does not: the sender does,
   * when it finds the response before a reminder (the response is the truth, the status follows).
   */
  markResponded(token: string, invitationId: string): Promise<void>;
}

/** At most one response per invitation. */
export interface ResponseStore {
  /** Stores the response of the invitation behind `token` unless it already has one (one conditional put). */
  putResponseOnce(token: string, response: ResponseRecord): Promise<'created' | 'duplicate'>;
  /** The response of the invitation behind `token`, if answered. */
  getResponse(token: string): Promise<ResponseRecord | undefined>;
  /** Of these invitations' tokens, those that have a response (batched reads: the campaign's status). */
  answeredTokens(tokens: readonly string[]): Promise<Set<string>>;
  /** Responses of a survey in a period, page by page; with `after`, only those submitted after that instant. */
  responsesOf(surveyId: string, period: string, after?: string): AsyncGenerator<ResponseRecord[]>;
  /** The same responses' invitation ids only (is there anything new?). */
  responseIdsOf(surveyId: string, period: string, after?: string): AsyncGenerator<string[]>;
}

/**
 * What the report route reads together, as one BatchGetItem: reports of one questionnaire version
 * (and panel), a unit's trend points, the questionnaire version, commitment figures.
 */
export interface ReportReads {
  surveyId: string;
  version: number;
  panel?: string | undefined;
  /** Unit reports by period and unit. */
  reports?: readonly { period: string; orgUnitId: string }[];
  /** One unit's trend points (its reports' n and CSI) in these periods. */
  trend?: { orgUnitId: string; periods: readonly string[] } | undefined;
  /** The questionnaire version (read once per container, then from memory). */
  questionnaire?: boolean;
  /** A unit's commitment compliance in a period. */
  commitmentsReport?: { period: string; orgUnitId: string } | undefined;
  /** Declared commitments by id. */
  commitments?: readonly string[];
}

export interface ReportReadResults<T> {
  /** In the order asked; undefined where nothing is stored. */
  reports: (ReportRecord<T> | undefined)[];
  /** In the order of `trend.periods`; undefined where the unit has no report that month. */
  trend: (ReportTrendPoint | undefined)[];
  questionnaire: SurveyVersionRecord | undefined;
  commitmentsReport: CommitmentsReportRecord | undefined;
  /** The declared commitments found, by id. */
  commitments: Map<string, CommitmentRecord>;
}

/** Computed unit reports. */
export interface ReportStore {
  /**
   * Stores one version's (and panel's) reports of a period and deletes its earlier reports of
   * units no longer in it (and their trend points).
   */
  replaceReports(surveyId: string, period: string, version: number, reports: readonly ReportRecord[], panel?: string): Promise<void>;
  /** Stores these reports, leaving the version's other reports of the period as they are. */
  putReports(surveyId: string, period: string, version: number, reports: readonly ReportRecord[], panel?: string): Promise<void>;
  /**
   * Stores the trend point (n and CSI) of each report given, overwriting that unit's point of the
   * period; each point depends on its own report only, so a run may pass just the reports it rewrote.
   */
  putReportTrend(surveyId: string, period: string, version: number, points: readonly { orgUnitId: string; point: ReportTrendPoint }[], panel?: string): Promise<void>;
  getReport<T>(surveyId: string, period: string, version: number, orgUnitId: string, panel?: string): Promise<ReportRecord<T> | undefined>;
  /** Reads what `reads` names with one BatchGetItem (more calls only for keys DynamoDB leaves unprocessed). */
  readReportSet<T>(reads: ReportReads): Promise<ReportReadResults<T>>;
  /** The highest questionnaire version with computed reports for the period, if any. */
  latestReportedVersion(surveyId: string, period: string): Promise<number | undefined>;
  /** Units' trend points (n and CSI) of the main reports (or a panel's), in one BatchGetItem per 100, in the order asked; undefined where none. */
  trendPointsOf(points: readonly { surveyId: string; period: string; version: number; orgUnitId: string; panel?: string | undefined }[]): Promise<(ReportTrendPoint | undefined)[]>;
}

export interface BaseUnits {
  units: CheckpointUnit[];
  /** Units whose item names parts that are not all there (never expected: the run recomputes in full). */
  incomplete: number;
}

/**
 * The computation's checkpoints: a META commit point, each run's own items (the units it changed
 * and the responses it counted near its read-through instant) and a base of every unit's subtree
 * accumulators (CheckpointMeta.base).
 */
export interface CheckpointStore {
  getCheckpointMeta(surveyId: string, period: string): Promise<CheckpointMeta | undefined>;
  /** Commits a checkpoint, conditional on the generation read: of two concurrent runs one wins (true). */
  commitCheckpointMeta(surveyId: string, period: string, meta: CheckpointMeta, previousGeneration: number | undefined): Promise<boolean>;
  /** Stores one run's changed units and recent responses; they count only once the META names the run. */
  putCheckpointUnits(
    surveyId: string,
    period: string,
    generation: number,
    generationKey: string,
    units: readonly CheckpointUnit[],
    recent: readonly RecentResponse[],
    recentPerItem?: number,
  ): Promise<void>;
  /** One run's items: its units (those with a part missing left out) and recent responses. */
  checkpointUnits(surveyId: string, period: string, generation: number, generationKey: string): Promise<{ units: CheckpointUnit[]; recent: RecentResponse[] }>;
  /** Records that the reports of the committed run `generationKey` are stored (no-op if another run committed since). */
  markReportsWritten(surveyId: string, period: string, reportsOf: NonNullable<CheckpointMeta['reportsOf']>): Promise<boolean>;
  /** Records that the committed run's units are in the base (no-op if another run committed since). */
  markApplied(surveyId: string, period: string, generationKey: string): Promise<boolean>;
  /** The recent responses of one run only (what a run that may find nothing new needs). */
  checkpointRecent(surveyId: string, period: string, generation: number, generationKey: string): Promise<RecentResponse[]>;
  /** Deletes one run's items, or without a run key a whole generation (every run that aimed at it). */
  deleteCheckpointGeneration(surveyId: string, period: string, generation: number, generationKey?: string): Promise<void>;
  /** Writes the units of a new base (a full run's, not yet named by the META). */
  putBaseUnits(surveyId: string, period: string, base: string, units: readonly CheckpointUnit[]): Promise<void>;
  /** Copies units into the base; each replaces the stored one only if its generation is newer. */
  applyToBase(surveyId: string, period: string, base: string, units: readonly CheckpointUnit[]): Promise<void>;
  /** The base units of one state with these ids (those stored; `incomplete` counts those with a part missing). */
  baseUnitsOf(surveyId: string, period: string, base: string, version: number, panel: string | undefined, orgUnitIds: readonly string[]): Promise<BaseUnits>;
  /** Every base unit of one state. */
  allBaseUnits(surveyId: string, period: string, base: string, version: number, panel: string | undefined): Promise<BaseUnits>;
  /** Deletes a base and clears the META's note of it as stale. */
  deleteCheckpointBase(surveyId: string, period: string, base: string): Promise<void>;
}

/** Contacts, their identities (what makes imports idempotent), the frequency cap and opt-outs. */
export interface ContactStore {
  getContact(contactId: string): Promise<ContactRecord | undefined>;
  contactIdByIdentity(kind: string, value: string): Promise<string | undefined>;
  /** Claims an identity for a new contact; returns the contact id that owns it (another when a concurrent import was first). */
  claimContactIdentity(kind: string, value: string, contactId: string): Promise<string>;
  /** Writes a contact's content; never touches the frequency cap's claim (lastInvitedAt, lastInvitedBy). */
  putContact(contact: ContactRecord): Promise<void>;
  listContactsOfUnit(orgUnitId: string): Promise<ContactRecord[]>;
  /** Up to `limit` contacts of one unit in id order, after `after` (a contact id); `more` when the unit has others after them. */
  contactsOfUnitPage(orgUnitId: string, limit: number, after?: string): Promise<{ contacts: ContactRecord[]; more: boolean }>;
  /** Contacts by id (one BatchGetItem per 100), those that exist, in the order given. */
  getContacts(contactIds: readonly string[]): Promise<ContactRecord[]>;
  /**
   * The frequency cap: at most one invitation per window across all campaigns. Atomic; the
   * invitation that holds the slot may claim it again (a retried send is not a second invitation).
   */
  claimFrequencySlot(contactId: string, invitationId: string, now: string, windowStart: string): Promise<boolean>;
  isOptedOut(channel: string, address: string): Promise<boolean>;
  /** Sets the opt-out state of an address; returns whether it changed (so a confirmation is sent once). */
  setOptOut(channel: string, address: string, optedOut: boolean, at: string): Promise<boolean>;
}

/** What a person's erasure and export read and write (functions/store/privacy.ts). */
export interface PrivacyStore {
  /** The contacts that hold (or held) this phone number or e-mail address, by the person index and the identity claim. */
  contactIdsOfPerson(kind: 'phone' | 'email', value: string): Promise<string[]>;
  /** The tokens of a contact's invitations. */
  invitationTokensOfContact(contactId: string): Promise<string[]>;
  /** The tokens of invitations made for this number or address without a contact (link campaigns' inline contacts). */
  invitationTokensOfPerson(kind: 'phone' | 'email', value: string): Promise<string[]>;
  deletePersonInvitationRef(kind: 'phone' | 'email', value: string, token: string): Promise<void>;
  /**
   * Empties an invitation's contact snapshot; a pending one (`pending`: as read) is also skipped
   * and leaves the work index. False when nothing matched (gone, or no longer pending).
   */
  eraseInvitationContact(token: string, erasedAt: string, pending: boolean): Promise<boolean>;
  /** Replaces a response's answers by their redacted form. */
  redactResponse(token: string, invitationId: string, answers: Answers, erasedAt: string): Promise<void>;
  deleteSmsReplyTargets(phone: string): Promise<number>;
  /** Deletes a day's SMS log entries of these invitations; returns how many. */
  deleteSmsLogEntries(day: string, invitationIds: ReadonlySet<string>): Promise<number>;
  getOptOut(channel: string, address: string): Promise<{ optedOut: boolean; changedAt?: string } | undefined>;
  /** Deletes a person ref of a contact, and the identity claim of the same value if it names the contact. */
  deletePersonRef(kind: 'phone' | 'email', value: string, contactId: string): Promise<void>;
  /**
   * Deletes a contact with its invitation refs, identity claims and person refs; the way it was
   * found by (`foundBy`) goes last, after the contact, so an interrupted erasure is found again.
   */
  deleteContact(contact: ContactRecord, foundBy?: { kind: 'phone' | 'email'; value: string }): Promise<void>;
  /** The ids of the cases about a person, by their contacts, their invitations and the number or address they gave. */
  caseIdsOfPerson(ways: PersonCaseWays): Promise<string[]>;
  /** Deletes the case refs under those ways (after the cases were redacted); returns how many. */
  deleteCaseRefs(ways: PersonCaseWays): Promise<number>;
}

/** The ways a person's cases are found (functions/store/cases.ts writes a ref per way). */
export interface PersonCaseWays {
  contactIds: readonly string[];
  invitationIds: readonly string[];
  person?: { kind: 'phone' | 'email'; value: string };
}

/** The retention purge's cursors and indexes (functions/store/retention.ts). */
export interface RetentionStore {
  retentionCursor(name: string): Promise<string | undefined>;
  setRetentionCursor(name: string, value: string): Promise<void>;
  /** The contacts whose activity index names this month (YYYY-MM, UTC). */
  contactsActiveIn(month: string): Promise<string[]>;
  forgetContactActivity(month: string, contactIds: readonly string[]): Promise<void>;
  /** Deletes a day's audit records whose TTL has passed (DynamoDB's TTL may lag, dynalite has none); returns how many. */
  purgeAuditDay(day: string, nowEpochSeconds: number): Promise<number>;
  /** Names a contact in the activity index under the month of `at`. */
  putContactActivity(contactId: string, at: string): Promise<void>;
  /** Replaces the answers to these text questions of a period's responses by `mark`; returns how many responses changed. */
  expireFreeText(surveyId: string, period: string, textQuestionIds: readonly string[], mark: string, expiredAt: string): Promise<number>;
}

/**
 * The sealing of personal fields written before field encryption was turned on
 * (functions/store/field-sealing.ts): a resumable pass over the table, and its end mark.
 */
export interface FieldSealingStore {
  /** Seals and re-keys one page of items from `cursor` (a Scan page); no cursor back: the table is done. */
  sealClearFieldsPage(cursor: string | undefined, limit: number): Promise<{ sealed: number; moved: number; cursor?: string }>;
  /** When a pass last found the whole table sealed, if one has. */
  fieldsSealedAt(): Promise<string | undefined>;
  markFieldsSealed(at: string): Promise<void>;
}

/** Send attempts (the at-most-once guard), the rate limit, SMS reply targets and the SMS log. */
export interface SmsStore {
  /** Starts an attempt; returns the existing record instead when the attempt was started before. */
  beginSendAttempt(record: SendAttemptRecord): Promise<SendAttemptRecord | undefined>;
  finishSendAttempt(record: SendAttemptRecord): Promise<void>;
  /** Counts a send against the campaign's per-minute budget; false when the budget is spent. */
  takeRateToken(campaignId: string, minute: string, limit: number, ttlEpochSeconds: number): Promise<boolean>;
  putSmsReplyTarget(phone: string, sentAt: string, invitation: Pick<InvitationRecord, 'invitationId' | 'token'>, ttlEpochSeconds: number): Promise<void>;
  /** The newest reply-type invitation sent to this number. */
  latestSmsReplyTarget(phone: string): Promise<{ token: string; invitationId: string } | undefined>;
  /** True the first time a help reply to this number is claimed on this day (an auto-responder cannot start an SMS loop). */
  claimHelpReply(phone: string, day: string): Promise<boolean>;
  logSms(entry: SmsLogEntry, ttlEpochSeconds: number): Promise<void>;
  smsLogOf(day: string): Promise<SmsLogEntry[]>;
  /** Deletes a day's log entries whose retention has passed (DynamoDB's TTL does this on AWS; the local engine has none). */
  purgeSmsLog(day: string, nowEpochSeconds: number): Promise<number>;
}

/** Service events (repairs, return visits), listed by month for the commitments. */
export interface ServiceEventStore {
  /** Records an event once; returns the stored one when the id was recorded before. */
  putServiceEventIfAbsent(event: ServiceEventRecord): Promise<ServiceEventRecord | undefined>;
  /** Replaces an event, conditional on the version read (its fingerprint): false on a lost race. */
  replaceServiceEvent(event: ServiceEventRecord, previousFingerprint: string): Promise<boolean>;
  getServiceEvent(eventId: string): Promise<ServiceEventRecord | undefined>;
  /** The events whose occurredAt falls in a month (Asia/Shanghai). */
  serviceEventsOfMonth(month: string): Promise<ServiceEventRecord[]>;
}

/** Declared commitments and their computed compliance. */
export interface CommitmentStore {
  getCommitment(commitmentId: string): Promise<CommitmentRecord | undefined>;
  /** Declares (or re-declares) one commitment; the last declaration of an id wins. */
  putCommitment(record: CommitmentRecord): Promise<void>;
  listCommitmentRecords(): Promise<CommitmentRecord[]>;
  /** Stores a period's compliance per unit and deletes that period's reports of units no longer in it. */
  replaceCommitmentsReports(period: string, reports: readonly CommitmentsReportRecord[]): Promise<void>;
  getCommitmentsReport(period: string, orgUnitId: string): Promise<CommitmentsReportRecord | undefined>;
  getCalendarSettings(calendarId: string): Promise<CalendarSettingsRecord | undefined>;
  putCalendarSettings(record: CalendarSettingsRecord): Promise<void>;
  listCalendarSettings(): Promise<CalendarSettingsRecord[]>;
  /** Marks a period for the next runs (a later mark of the same period replaces an earlier one). */
  markComplianceRecompute(record: ComplianceRecomputeRecord): Promise<void>;
  listComplianceRecomputes(): Promise<ComplianceRecomputeRecord[]>;
  /** Clears a mark unless it was marked again since `markedAt` (then the next run computes once more). */
  clearComplianceRecompute(period: string, markedAt: string): Promise<void>;
}

/** Users and their local credentials (on AWS the credential is Cognito's and never stored here). */
export interface UserStore {
  getUser(userId: string): Promise<UserRecord | undefined>;
  getUserByEmail(email: string): Promise<UserRecord | undefined>;
  /**
   * Claims the e-mail, writes the user, confirms the claim: "exists" (no user left written) when the
   * e-mail belongs to another user. A claim whose user is missing and is unconfirmed (a crash) is
   * taken over; of racing creations exactly one is "created".
   */
  createUser(user: UserRecord): Promise<'created' | 'exists'>;
  /** Replaces the user if its stored revision is still `expectedRevision`: false when another change came first. */
  updateUser(user: UserRecord, expectedRevision: number): Promise<boolean>;
  listUsers(): Promise<UserRecord[]>;
  getCredential(userId: string): Promise<CredentialRecord | undefined>;
  putCredential(credential: CredentialRecord): Promise<void>;
}

/** The audit trail: records are created once and never changed. */
export interface AuditStore {
  /** A conditional create: "exists" when this record (id and time) is already there. */
  appendAudit(record: AuditRecord, retentionDays: number): Promise<'created' | 'exists'>;
  /** The records of the given UTC days (YYYY-MM-DD), oldest first, without expired ones. */
  listAudit(days: readonly string[], nowEpochSeconds: number): Promise<AuditRecord[]>;
}

/**
 * Where users sign in: Cognito's user pool on AWS (functions/channels/cognito-directory.ts), the
 * users' password credentials locally (functions/local/local-directory.ts). The user record in the
 * store is the truth for role and scope; the directory holds the sign-in and the role group.
 */
export interface UserDirectory {
  /** Whether a password may be chosen at creation (locally); Cognito makes and e-mails its own. */
  readonly acceptsChosenPasswords: boolean;
  /**
   * Creates the sign-in of a new user. Without `password` the directory makes a temporary one that
   * must be changed at first sign-in: locally it is returned (the caller hands it over once), on
   * AWS Cognito e-mails it to the user and nothing is returned.
   */
  createSignIn(user: UserRecord, password?: string): Promise<{ temporaryPassword?: string }>;
  /** Whether the user has a sign-in (a creation that stopped before it has none). */
  hasSignIn(userId: string): Promise<boolean>;
  /** Brings the sign-in in line with a changed user: its role group, and disabled or enabled. */
  updateSignIn(user: UserRecord, previous: UserRecord): Promise<void>;
}

/** An open service event watched until a commitment's deadline (./case-sources.ts). */
export interface BreachWatch {
  eventId: string;
  commitmentId: string;
  dueAt: string;
}

/** Cases, the alert rules added through the API, the case settings and the sweep's progress. */
export interface CaseStore {
  /** Creates the case unless one with its id exists (ids of rule cases are derived: one per response and rule). */
  createCaseOnce(record: CaseRecord): Promise<{ created: boolean; existing?: CaseRecord }>;
  getCase(caseId: string): Promise<CaseRecord | undefined>;
  /** Replaces the case if it is still at `expectedVersion` (record.version is the new one); false when it moved on. */
  replaceCase(record: CaseRecord, expectedVersion: number): Promise<boolean>;
  /** Open cases (every state but closed), their next timer first. */
  listOpenCases(): Promise<CaseRecord[]>;
  /** Open cases whose next timer is at or before `now`. */
  casesDue(now: string): Promise<CaseRecord[]>;
  /** Cases opened in a month (YYYY-MM, Asia/Shanghai). */
  casesOfMonth(month: string): Promise<CaseRecord[]>;
  /** What the reports' cases section reads of a month's cases and the open ones (no contact, no timeline). */
  caseFiguresOf(month: string): Promise<{ ofMonth: CaseFigureInput[]; open: CaseFigureInput[] }>;
  /** Watches an open service event until a commitment's deadline (again: moves the deadline). */
  watchBreach(watch: BreachWatch): Promise<void>;
  /** The watches whose deadline is before `now` (passed), earliest first. */
  breachWatchesDue(now: string): Promise<BreachWatch[]>;
  /** Ends a watch if its deadline is still `dueAt` (a later post may have moved it). */
  endBreachWatch(watch: BreachWatch): Promise<void>;
  putAlertRule(rule: StoredAlertRule): Promise<'created' | 'replaced'>;
  listAlertRules(): Promise<StoredAlertRule[]>;
  /** The stored rules and the settings (none: the defaults) in one read. */
  getCaseConfig(): Promise<{ settings?: CaseSettings; rules: StoredAlertRule[] }>;
  putCaseSettings(settings: CaseSettings): Promise<void>;
  /** The instant up to which the sweep evaluated a survey's responses. */
  getCaseSweep(surveyId: string): Promise<string | undefined>;
  putCaseSweep(surveyId: string, through: string): Promise<void>;
}

/** Operating figures per unit and period (functions/store/metrics.ts). */
export interface MetricsStore {
  /** Sets the figures each row names (null removes one), keeping the unit's others for that period. */
  putMetrics(rows: readonly MetricsRow[], updatedAt: string): Promise<void>;
  /** Every unit's figures of a period. */
  metricsOf(period: string): Promise<UnitMetrics[]>;
}

/** Everything the use cases keep, one part per entity (functions/store/ implements each on DynamoDB). */
export interface Store
  extends SurveyStore,
    OrgUnitStore,
    CampaignStore,
    InvitationStore,
    ResponseStore,
    ReportStore,
    CheckpointStore,
    ContactStore,
    SmsStore,
    ServiceEventStore,
    CommitmentStore,
    UserStore,
    AuditStore,
    PrivacyStore,
    RetentionStore,
    FieldSealingStore,
    CaseStore,
    MetricsStore {}
