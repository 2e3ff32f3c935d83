/**
 * The records the platform keeps: what a use case reads and writes through the store port
 * (functions/app/ports.ts), independent of how the store lays them out in DynamoDB
 * (functions/store/). Plain types only: nothing here touches storage.
 */
import type { CalendarFallback, CalendarSettings } from './commitments/calendar-settings';
import type { ComplianceSummary } from './commitments/compliance';
import type { Commitment } from './commitments/schema';
import type { OrgUnit } from './org';
import type { Questionnaire } from './questionnaire/schema';
import type { Answers } from './scoring';

export type { OrgUnit };

// ---- questionnaires and responses ----------------------------------------------------------------

export interface SurveyVersionRecord {
  surveyId: string;
  version: number;
  contentHash: string;
  definition: Questionnaire;
  publishedAt: string;
}

/** A questionnaire in the catalogue: published versions live under its id, a draft beside them. */
export interface SurveyCatalogueEntry {
  surveyId: string;
  /** When it was archived: no new campaign uses it; its versions, campaigns and reports stay. */
  archivedAt?: string;
}

/**
 * A questionnaire being edited (the console's editor): any JSON document, valid or not, kept
 * server-side; it never reaches respondents. Publication turns it into the next version.
 */
export interface SurveyDraftRecord {
  surveyId: string;
  definition: Record<string, unknown>;
  /** Increases by one per save: a save names the revision it edited, so two editors never overwrite each other unseen. */
  revision: number;
  savedAt: string;
  savedBy: string;
}

export type Channel = 'link' | 'sms';

export interface ResponseRecord {
  responseId: string;
  invitationId: string;
  campaignId: string;
  surveyId: string;
  version: number;
  orgUnitId: string;
  channel?: Channel;
  eventId?: string;
  staffId?: string;
  /** A follow-up of a case: the case it asks about. */
  caseId?: string;
  panel?: 'mystery';
  audience?: 'management';
  grade?: string;
  period: string;
  submittedAt: string;
  lang: string;
  answers: Answers;
}

// ---- campaigns and invitations --------------------------------------------------------------------

export interface CampaignRecord {
  campaignId: string;
  surveyId: string;
  version: number;
  channel: Channel;
  /** The campaign's definition as posted (SMS settings, targeting, kind); see functions/app/campaigns.ts. */
  definition?: Record<string, unknown>;
  createdAt: string;
  expiresAt: string;
  invitationCount: number;
  /** The units the campaign's audience reached when it was created (who may read it: issue #11). */
  reach?: string[];
  /**
   * The units whose campaign lists show it: the path from the root to the deepest unit above
   * its whole reach (a campaign of one branch is listed at that branch and above it).
   */
  listedUnder?: string[];
}

export type InvitationStatus = 'pending' | 'sent' | 'skipped' | 'responded' | 'expired' | 'failed';
export type InvitationAction = 'invite' | 'reminder';

export interface InvitationRecord {
  invitationId: string;
  token: string;
  campaignId: string;
  surveyId: string;
  version: number;
  orgUnitId: string;
  contact: { name?: string; phone?: string; email?: string; externalId?: string };
  createdAt: string;
  expiresAt: string;
  channel?: Channel;
  contactId?: string;
  status?: InvitationStatus;
  /** Why the invitation was skipped, deferred or failed. */
  reason?: string;
  /** What the dispatcher does next, and when (the store keeps pending work in a due index). */
  nextAction?: InvitationAction;
  dueAt?: string;
  attempts?: number;
  reminders?: number;
  sentAt?: string;
  /** The first receipt that said a message of it reached the phone (invitation or reminder). */
  deliveredAt?: string;
  /** While no message of it is known delivered: why the last one did not arrive (e.g. "unreachable"). */
  deliveryFailure?: string;
  lang?: string;
  /** The service event (return visit) and the staff member who served. */
  eventId?: string;
  staffId?: string;
  /** The follow-up of a resolved case (the case timers make it): the case it asks about. */
  caseId?: string;
  /** Mystery customers' answers are reported separately. */
  panel?: 'mystery';
  /** Managers answering the expectation items as they believe customers would (SERVQUAL gap 1). */
  audience?: 'management';
  /** The contact's grade (customer grading), for respondent weighting. */
  grade?: string;
  /** While its link is being re-issued: the new token (this one no longer opens the survey). */
  supersededBy?: string;
  /** A re-issued invitation whose move from its old token is not finished yet (that token). */
  reissuedFrom?: string;
  reissuedAt?: string;
}

/** The fields of an invitation the dispatcher and sender change. */
export type InvitationChanges = Partial<Pick<InvitationRecord, 'status' | 'reason' | 'attempts' | 'reminders' | 'sentAt' | 'nextAction' | 'dueAt'>> & {
  invitationId: string;
};

/**
 * What an invitation is created once for: a schedule's occurrence for one contact, or a service
 * event for a triggered campaign. A retry of the same origin never creates a second invitation.
 */
export type InvitationOrigin =
  | { kind: 'occurrence'; campaignId: string; contactId: string; occurrence: string }
  | { kind: 'event'; campaignId: string; eventId: string };

export interface DueInvitation {
  token: string;
  invitationId: string;
  campaignId: string;
  dueAt: string;
  nextAction: InvitationAction;
  /** The due entry as read: the lease is conditional on it, so two dispatchers never both take it. */
  dueKey: string;
}

export interface TriggerRecord {
  campaignId: string;
  eventType: string;
}

export interface ScheduledCampaignRecord {
  campaignId: string;
  kind: 'recurring' | 'return-visit';
  nextRunAt: string;
  lastRunAt?: string;
}

// ---- contacts -------------------------------------------------------------------------------------

export interface ContactRecord {
  contactId: string;
  name?: string;
  /** E.164 */
  phone?: string;
  email?: string;
  orgUnitId: string;
  externalId?: string;
  grade?: string;
  timeZone: string;
  lang?: string;
  attributes: Record<string, string | number | boolean>;
  /** Canonical content, to tell an unchanged re-import from an update. */
  fingerprint: string;
  createdAt: string;
  updatedAt: string;
  /** When the contact was last invited, and by which invitation (the frequency cap claims these atomically). */
  lastInvitedAt?: string;
  lastInvitedBy?: string;
}

// ---- sending --------------------------------------------------------------------------------------

export interface SendAttemptRecord {
  invitationId: string;
  action: InvitationAction;
  attempt: number;
  state: 'sending' | 'sent' | 'failed';
  /** For a failed attempt: whether the provider said trying again can help. */
  retryable?: boolean;
  /** Epoch seconds: attempt records expire a month after their invitation. */
  ttl?: number;
  startedAt: string;
  finishedAt?: string;
  messageId?: string;
  error?: string;
}

export interface SmsLogEntry {
  id: string;
  at: string;
  kind: 'send' | 'delivery' | 'receive' | 'opt-out' | 'opt-in';
  /** Masked: the log never holds a number in clear. */
  number: string;
  campaignId?: string;
  invitationId?: string;
  status?: string;
  detail?: string;
}

// ---- service events and commitments ---------------------------------------------------------------

export interface ServiceEventRecord {
  eventId: string;
  type: string;
  orgUnitId: string;
  staffId?: string;
  contactId: string;
  occurredAt: string;
  closedAt?: string;
  /** Other timestamps and fields of the event (e.g. reportedAt, handledAt), as posted. */
  fields: Record<string, unknown>;
  fingerprint: string;
  recordedAt: string;
}

/** A declared service commitment (POST /admin/commitments, surveys/commitments/*.yaml). */
export interface CommitmentRecord {
  commitmentId: string;
  definition: Commitment;
  /** Canonical content, to tell an unchanged re-declaration from an update. */
  fingerprint: string;
  declaredAt: string;
  updatedAt: string;
}

/** One commitment's compliance at a unit (over its whole subtree) for a period. */
/** `surveys`: the questionnaires the declaration says the commitment belongs to (their reports show it). */
export type CommitmentFigures = ComplianceSummary & { title?: Record<string, string>; calendar?: string; surveys?: string[] };

export interface CommitmentsReportRecord {
  period: string;
  orgUnitId: string;
  computedAt: string;
  commitments: CommitmentFigures[];
  /** The working-day calendars behind the figures and what counted past their data, for the read-time notice. */
  calendars?: { id: string; fallback: CalendarFallback }[];
}

/** The organisation's settings of one published calendar (`calendars:` of a commitments document). */
export interface CalendarSettingsRecord {
  calendarId: string;
  settings: CalendarSettings;
  fingerprint: string;
  declaredAt: string;
  updatedAt: string;
}

/**
 * A period whose compliance must be computed again although it is neither the current nor the
 * previous one: its figures are provisional (or outside the calendar), or the organisation's
 * non-working days changed under it. `markedAt` lets a run clear only the mark it has seen.
 */
export interface ComplianceRecomputeRecord {
  period: string;
  reason: 'provisional' | 'calendar settings';
  markedAt: string;
}

// ---- computation ----------------------------------------------------------------------------------

export interface ReportRecord<T = unknown> {
  surveyId: string;
  version: number;
  period: string;
  orgUnitId: string;
  computedAt: string;
  report: T;
}

/** What a run computed for one questionnaire version (and panel): the summary a run with nothing new repeats. */
export interface ComputedState {
  surveyId: string;
  version: number;
  panel?: string;
  period: string;
  /** Every response of the state counted so far, the unattributed ones included. */
  responses: number;
  /** Units with a report (in the tree, with responses in their subtree). */
  units: number;
}

/** A unit report's n and CSI, kept beside the report for the trends of later months and the league tables. */
export interface ReportTrendPoint {
  n: number;
  csi: number | null;
  /** The CSI's 95% interval (absent on points stored before it was kept, or without a sampling basis). */
  ci95?: [number, number];
  /** Each element's score (absent on points stored before they were kept). */
  elements?: Record<string, number | null>;
}

export interface CheckpointMeta {
  /** Increases by one per commit: the commit is conditional on the generation the run read. */
  generation: number;
  /**
   * The run whose items are current (unique per run). Absent on a checkpoint stored before run
   * keys, which the computation does not read (it recomputes once).
   */
  generationKey?: string;
  /** Responses up to this submission instant are in the accumulators. */
  readThrough: string;
  /** How many unit items and recent responses the run stored: a restore that finds others is not used. */
  unitCount?: number;
  recentCount?: number;
  /** The analyses (and their format) the accumulators hold; a change means a full recomputation. */
  signature: string;
  updatedAt: string;
  /**
   * The layout of subtree checkpoints (functions/app/computation/checkpoint.ts): `base` names the
   * partition holding one item per unit with the accumulators of its whole subtree; each run that
   * reads new responses stores the units it changed as its own items (a layer) and, once its commit
   * holds, copies them into the base (`pending` until that is done; any later run finishes it).
   * A checkpoint without it is from before and is not read (the run recomputes in full once).
   */
  base?: string;
  /** The organisation's shape (ids and parents) the subtree accumulators follow; another shape means a full run. */
  structure?: string;
  pending?: boolean;
  /** A base replaced by a full run, still to delete (a crash may have come between). */
  staleBase?: string;
  /** Per state: what it holds so far (the next run adds to it). */
  states?: (ComputedState & { unattributed: number })[];
  /**
   * Per state and root, a hash of the part of the root's results other units use (PLS weights,
   * derived weights): when it moves, the units that borrowed them are recomputed too.
   */
  rootBases?: Record<string, string>;
  /** The units whose reports this run changed: its layer, or every unit (a full run, a renamed unit). */
  reportUnits?: 'layer' | 'all';
  /**
   * The run whose reports are stored, and the organisation tree they were built on: a run that
   * reads nothing new under the same tree has nothing to write.
   */
  reportsOf?: {
    generationKey: string;
    treeSignature: string;
    /** What the run that wrote them reported (the summary of a run that finds nothing new). */
    computed?: ComputedState[];
    unattributed?: number;
    /** The previous period's run whose roots lent these reports their estimates (see period.ts). */
    lenderRun?: string;
  };
}

/** A response counted near `readThrough` (so that a late-visible index entry is not counted twice). */
export interface RecentResponse {
  invitationId: string;
  submittedAt: string;
}

export interface CheckpointUnit {
  version: number;
  /** The panel of the responses (mystery customers), absent for the main sample. */
  panel?: string;
  orgUnitId: string;
  /** Responses in the unit's whole subtree (its own and its descendants'). */
  responses: number;
  /** Serialized accumulators of the whole subtree by analysis id. */
  accumulators: Record<string, unknown>;
  /** The generation that wrote the item: a base item is only ever replaced by a newer one. */
  generation?: number;
  /** Whether the unit's results used its root's (e.g. PLS weights below minN). */
  borrows?: boolean;
  /** The report's list of children: each child's n and CSI when the unit was last computed. */
  children?: Record<string, { n: number; csi: number | null }>;
}
