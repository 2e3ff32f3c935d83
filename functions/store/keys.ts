/**
 * The single-table key design, declared once. The CDK stack and the local runtime create the table
 * and its indexes from `tableDefinition`; the store builds every key through `keys`. docs/storage.md
 * describes the access patterns these keys serve. Nothing here imports AWS: it is plain data.
 */

export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    // GSI1: items listed under a parent other than their own partition (responses by survey and
    // period, invitations by campaign).
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    // GSI2 (sparse): invitations with something to do (send, reminder), by the time it is due.
    // Only pending items carry gsi2 keys, so the index holds the work queue and nothing else.
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  /** Items with this attribute (epoch seconds) are deleted by DynamoDB's TTL (logs, rate buckets). */
  timeToLiveAttribute: 'ttl',
} as const;

/** Due invitations are spread over this many GSI2 partitions so no single partition runs hot. */
/** A stable shard of an id (a string hash): which of `shards` partitions its entry lives in. */
export function shardOf(id: string, shards: number): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % shards;
}

/** Shards of a month's contact activity partition (an import of millions in a day spreads over them). */
export const ACTIVITY_SHARDS = 16;
export const activityShard = (contactId: string): number => shardOf(contactId, ACTIVITY_SHARDS);

export const DUE_SHARDS = 4;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];

/** Version numbers are zero-padded in sort keys so that string order is numeric order. */
export const padVersion = (version: number): string => String(version).padStart(6, '0');

/** The sort-key prefix of one version's (and panel's) unit reports. */
export const reportPrefix = (version: number, panel?: string): string => `V#${padVersion(version)}#${panel ? `PANEL#${panel}#` : ''}UNIT#`;

export const keys = {
  /** Every published questionnaire id, in one partition: the catalogue the compute job walks. */
  surveyCatalogue: (surveyId: string) => ({ pk: 'SURVEYS', sk: `SURVEY#${surveyId}` }),
  surveyCataloguePartition: 'SURVEYS',
  /** One item per published version; a query with descending sort gives the latest. */
  surveyVersion: (surveyId: string, version: number) => ({ pk: `SURVEY#${surveyId}`, sk: `V#${padVersion(version)}` }),
  surveyVersionsPartition: (surveyId: string) => `SURVEY#${surveyId}`,
  surveyVersionPrefix: 'V#',
  /** The questionnaire's draft (the console's editor), beside its versions; never read by respondents. */
  surveyDraft: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'DRAFT' }),

  /** The organisation tree lives in one partition: it is read whole to roll figures up. */
  orgUnit: (unitId: string) => ({ pk: 'ORG', sk: `UNIT#${unitId}` }),
  orgPartition: 'ORG',
  orgUnitPrefix: 'UNIT#',

  campaign: (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'META' }),
  /** How many test messages a user sent on a day (in the platform's time zone): the daily cap's counter. */
  testSends: (userId: string, day: string) => ({ pk: `TESTSENDS#${userId}`, sk: day }),
  /**
   * The campaign lists, newest first: every campaign in `CAMPAIGNS`, and each also under every unit
   * from the root down to the deepest one above its reach, so a scoped reader queries its own units.
   */
  campaignListed: (partition: string, createdAt: string, campaignId: string) => ({ pk: partition, sk: `${createdAt}#${campaignId}` }),
  allCampaignsPartition: 'CAMPAIGNS',
  campaignsUnderPartition: (orgUnitId: string) => `CAMPAIGNS_UNDER#${orgUnitId}`,

  /**
   * An invitation is stored under its secret token (the respondent's only key) and listed by
   * campaign; its response lives in the same partition (`response`), so one strongly consistent
   * Query of `invitationPartition` tells the respondent's page whether it is answered.
   */
  invitation: (token: string) => ({ pk: `TOKEN#${token}`, sk: 'INVITATION' }),
  invitationPartition: (token: string) => `TOKEN#${token}`,
  invitationSk: 'INVITATION',
  /** Where an invitation's token is, by its id (link invitations: re-issuing replaces the token). */
  invitationRef: (invitationId: string) => ({ pk: `INVITATION_ID#${invitationId}`, sk: 'REF' }),
  invitationByCampaign: (campaignId: string, invitationId: string) => ({
    gsi1pk: `CAMPAIGN#${campaignId}#INVITATIONS`,
    gsi1sk: `INV#${invitationId}`,
  }),
  invitationsOfCampaign: (campaignId: string) => `CAMPAIGN#${campaignId}#INVITATIONS`,

  /**
   * At most one response per invitation: the response is the RESPONSE item of the invitation's
   * partition and the put is conditional on it not existing, so retries and concurrent submits
   * store exactly one.
   */
  response: (token: string) => ({ pk: `TOKEN#${token}`, sk: 'RESPONSE' }),
  responseSk: 'RESPONSE',
  /**
   * Where responses were stored before they moved into the invitation's partition (read only: an
   * invitation written before the move, which lacks `responseInPartition`, may have its response here).
   */
  legacyResponse: (invitationId: string) => ({ pk: `RESPONSE#${invitationId}`, sk: 'RESPONSE' }),
  responseBySurveyPeriod: (surveyId: string, period: string, submittedAt: string, invitationId: string) => ({
    gsi1pk: `RESPONSES#${surveyId}#${period}`,
    gsi1sk: `${submittedAt}#${invitationId}`,
  }),
  responsesOfSurveyPeriod: (surveyId: string, period: string) => `RESPONSES#${surveyId}#${period}`,

  /** Computed reports: one partition per survey and period, one item per version and unit. */
  /** A panel (mystery customers) has reports of its own beside the main ones. */
  report: (surveyId: string, period: string, version: number, orgUnitId: string, panel?: string) => ({
    pk: `REPORT#${surveyId}#${period}`,
    sk: `${reportPrefix(version, panel)}${orgUnitId}`,
  }),
  reportPartition: (surveyId: string, period: string) => `REPORT#${surveyId}#${period}`,
  /**
   * A unit report's trend point (its n and CSI), beside the report under the same sort key in a
   * partition of its own: the report route reads a unit's earlier months as these small items in
   * the same BatchGetItem as its report, never the earlier reports themselves.
   */
  reportTrendPoint: (surveyId: string, period: string, version: number, orgUnitId: string, panel?: string) => ({
    pk: `REPORT_TREND#${surveyId}#${period}`,
    sk: `${reportPrefix(version, panel)}${orgUnitId}`,
  }),
  reportTrendPartition: (surveyId: string, period: string) => `REPORT_TREND#${surveyId}#${period}`,

  /**
   * The computation's checkpoint per survey and period: one META item (the commit point: which
   * run's items are current, and how far the responses were read) and, per generation number, one
   * partition holding the items of every run that aimed at that generation, each run under its own
   * key (`generationKey`, unique per run): one item per questionnaire version and unit with that
   * unit's own accumulators, and the responses counted near the read-through instant, in chunks.
   * Runs never share an item, so a run that loses the commit deletes only its own; and once
   * generation g is committed no run can commit g - 1 any more, so that whole partition (the
   * previous checkpoint, losers, crashed runs) is garbage.
   */
  checkpointMeta: (surveyId: string, period: string) => ({ pk: `CHECKPOINT#${surveyId}#${period}`, sk: 'META' }),
  checkpointUnit: (surveyId: string, period: string, generation: number, generationKey: string, version: number, orgUnitId: string, panel?: string) => ({
    pk: `CHECKPOINT#${surveyId}#${period}#G#${generation}`,
    sk: `RUN#${generationKey}#${reportPrefix(version, panel)}${orgUnitId}`,
  }),
  /**
   * The subtree checkpoint's base (CheckpointMeta.base names it): one item per version, panel and
   * unit holding the accumulators of the unit's whole subtree. A full run writes a new base under a
   * key of its own; an incremental run's layer is copied into the current one.
   */
  checkpointBase: (surveyId: string, period: string, base: string) => ({
    pk: `CHECKPOINT#${surveyId}#${period}#BASE#${base}`,
    unitSk: (version: number, orgUnitId: string, panel?: string) => `${reportPrefix(version, panel)}${orgUnitId}`,
    statePrefix: (version: number, panel?: string) => reportPrefix(version, panel),
  }),
  /**
   * A generation's partition; with a run key, the sort-key prefix of that run's items (without
   * one, '': the whole partition, which also holds unit items of the layout before run keys,
   * `V#...` directly) and the sort key of the run's n-th chunk of recent responses.
   */
  checkpointGeneration: (surveyId: string, period: string, generation: number, generationKey?: string) => {
    const skPrefix = generationKey === undefined ? '' : `RUN#${generationKey}#`;
    return {
      pk: `CHECKPOINT#${surveyId}#${period}#G#${generation}`,
      skPrefix,
      recentSk: (chunk: number) => `${skPrefix}RECENT#${String(chunk).padStart(6, '0')}`,
    };
  },

  /** The table's field-encryption data key, wrapped (by KMS on AWS): ../shared/field-protection.ts. */
  fieldKey: { pk: 'CONFIG', sk: 'FIELD_KEY' },

  // ---- distribution ----------------------------------------------------------------------------

  contact: (contactId: string) => ({ pk: `CONTACT#${contactId}`, sk: 'CONTACT' }),
  contactByUnit: (orgUnitId: string, contactId: string) => ({ gsi1pk: `UNIT#${orgUnitId}#CONTACTS`, gsi1sk: `CONTACT#${contactId}` }),
  contactsOfUnit: (orgUnitId: string) => `UNIT#${orgUnitId}#CONTACTS`,
  /** Identity of a contact (externalId, else phone): the key that makes imports idempotent. */
  contactIdentity: (kind: string, value: string) => ({ pk: `CONTACT_ID#${kind}#${value}`, sk: 'REF' }),
  /**
   * Every contact that holds a phone number or e-mail address (whatever its identity kind), so a
   * person's data is found by what they give (PIPL erasure and export); refs may outlive a change.
   */
  personContact: (kind: 'phone' | 'email', value: string, contactId: string) => ({ pk: `PERSON#${kind}#${value}`, sk: `CONTACT#${contactId}` }),
  personPartition: (kind: 'phone' | 'email', value: string) => `PERSON#${kind}#${value}`,
  /** An invitation whose snapshot holds a number or address but no contact (a link campaign's inline contact). */
  personInvitation: (kind: 'phone' | 'email', value: string, token: string) => ({ pk: `PERSON#${kind}#${value}`, sk: `INVITATION#${token}` }),
  personContactPrefix: 'CONTACT#',
  personInvitationPrefix: 'INVITATION#',
  /** A contact's invitations, in the contact's partition beside it (written before the invitation). */
  contactInvitation: (contactId: string, token: string) => ({ pk: `CONTACT#${contactId}`, sk: `INVITATION#${token}` }),
  contactInvitationPrefix: 'INVITATION#',
  contactPartition: (contactId: string) => `CONTACT#${contactId}`,
  /**
   * Contacts by the month of their last activity (an import that changed them, an invitation),
   * sharded: the retention purge reads the months past the retention period, never a scan. A
   * contact active again has a newer entry; the purge checks the contact before erasing it.
   */
  contactActivity: (month: string, shard: number, contactId: string) => ({ pk: `ACTIVITY#${month}#${shard}`, sk: `CONTACT#${contactId}` }),
  contactActivityPartition: (month: string, shard: number) => `ACTIVITY#${month}#${shard}`,
  /** How far each kind of retention purge has got (a day or a month per kind and survey). */
  retentionCursor: (name: string) => ({ pk: 'RETENTION', sk: `CURSOR#${name}` }),
  /** Opt-outs belong to the address, not to a contact record: every contact with the number is covered. */
  optOut: (channel: string, address: string) => ({ pk: `OPTOUT#${channel}#${address}`, sk: 'OPTOUT' }),
  /** Reply-type SMS invitations sent to a number, newest last: where a digit reply belongs. */
  smsReplyTarget: (phone: string, sentAt: string, invitationId: string) => ({ pk: `SMSREPLY#${phone}`, sk: `${sentAt}#${invitationId}` }),
  smsReplyPartition: (phone: string) => `SMSREPLY#${phone}`,
  invitationDue: (shard: number, dueAt: string, invitationId: string) => ({ gsi2pk: `DUE#${shard}`, gsi2sk: `${dueAt}#${invitationId}` }),
  duePartition: (shard: number) => `DUE#${shard}`,
  /** One record per invitation, action and attempt: the at-most-once guard around the provider call. */
  sendAttempt: (invitationId: string, action: string, attempt: number) => ({ pk: `SEND#${invitationId}#${action}#${attempt}`, sk: 'SEND' }),
  /** Per-campaign send counter for one minute (rate limit). */
  rateBucket: (campaignId: string, minute: string) => ({ pk: `RATE#${campaignId}#${minute}`, sk: 'RATE' }),
  /** The SMS log: one partition per day, items expire by TTL after the retention period. */
  smsLog: (day: string, at: string, id: string) => ({ pk: `SMSLOG#${day}`, sk: `${at}#${id}` }),
  smsLogPartition: (day: string) => `SMSLOG#${day}`,
  serviceEvent: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  /** Marks that an event already produced its invitation for a campaign (idempotent triggers). */
  eventInvitation: (campaignId: string, eventId: string) => ({ pk: `EVENT_INVITATION#${campaignId}#${eventId}`, sk: 'REF' }),
  /** Campaigns triggered by an event type. */
  trigger: (eventType: string, campaignId: string) => ({ pk: `TRIGGERS#${eventType}`, sk: `CAMPAIGN#${campaignId}` }),
  triggersOf: (eventType: string) => `TRIGGERS#${eventType}`,
  /** Recurring and return-visit campaigns, with when each runs next. */
  scheduledCampaign: (campaignId: string) => ({ pk: 'SCHEDULED_CAMPAIGNS', sk: `CAMPAIGN#${campaignId}` }),
  scheduledCampaignsPartition: 'SCHEDULED_CAMPAIGNS',
  /** Invitations created by a schedule run for one contact and occurrence (idempotent waves). */
  occurrence: (campaignId: string, contactId: string, occurrence: string) => ({ pk: `OCCURRENCE#${campaignId}#${contactId}#${occurrence}`, sk: 'REF' }),
  /** One help reply per number and day: an auto-responder cannot start an SMS loop. */
  helpReply: (phone: string, day: string) => ({ pk: `HELPREPLY#${phone}#${day}`, sk: 'REF' }),

  // ---- service commitments ---------------------------------------------------------------------

  /** The tenant's declared commitments, in one partition (a handful; read whole by the computation). */
  commitment: (commitmentId: string) => ({ pk: 'COMMITMENTS', sk: `COMMITMENT#${commitmentId}` }),
  commitmentsPartition: 'COMMITMENTS',
  commitmentPrefix: 'COMMITMENT#',
  /** The organisation's settings of a published working-day calendar, beside the declarations. */
  calendarSettings: (calendarId: string) => ({ pk: 'COMMITMENTS', sk: `CALENDAR#${calendarId}` }),
  calendarSettingsPrefix: 'CALENDAR#',
  /** A period whose compliance the next run computes again (provisional figures, changed settings). */
  complianceRecompute: (period: string) => ({ pk: 'COMMITMENTS', sk: `RECOMPUTE#${period}` }),
  complianceRecomputePrefix: 'RECOMPUTE#',
  /**
   * Service events listed by month (GSI1): the month of occurredAt in Asia/Shanghai, sorted by the
   * UTC instant. The commitment computation reads a period's months through it, never a scan.
   */
  serviceEventByMonth: (month: string, occurredAtUtc: string, eventId: string) => ({ gsi1pk: `EVENTS#${month}`, gsi1sk: `${occurredAtUtc}#${eventId}` }),
  serviceEventsOfMonth: (month: string) => `EVENTS#${month}`,
  /** Computed compliance: one partition per period, one item per unit (its whole subtree's events). */
  commitmentsReport: (period: string, orgUnitId: string) => ({ pk: `COMMITMENTS_REPORT#${period}`, sk: `UNIT#${orgUnitId}` }),
  commitmentsReportPartition: (period: string) => `COMMITMENTS_REPORT#${period}`,

  /** Operating figures: one partition per period, one item per unit (functions/store/metrics.ts). */
  metrics: (period: string, orgUnitId: string) => ({ pk: `METRICS#${period}`, sk: `UNIT#${orgUnitId}` }),
  metricsPartition: (period: string) => `METRICS#${period}`,

  // ---- cases -----------------------------------------------------------------------------------

  /** A case under its id (one item: record, timeline and timers). */
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  /** Cases listed by the month they opened (GSI1, Asia/Shanghai month, UTC instant order). */
  caseByMonth: (month: string, openedAtUtc: string, caseId: string) => ({ gsi1pk: `CASES#${month}`, gsi1sk: `${openedAtUtc}#${caseId}` }),
  casesOfMonth: (month: string) => `CASES#${month}`,
  /**
   * Open cases (GSI2, sparse: a closed case leaves it), by their next timer; "~" (after every
   * digit) for a case with none armed. One partition: cases are a few thousand open at most.
   */
  openCase: (nextTimerAt: string | undefined, caseId: string) => ({ gsi2pk: 'CASES_OPEN', gsi2sk: `${nextTimerAt ?? '~'}#${caseId}` }),
  openCasesPartition: 'CASES_OPEN',
  /**
   * A service event still open before a commitment's deadline, watched so the case timers open its
   * breach case when the deadline passes without a completion being posted (GSI2, sparse, by the
   * deadline; one item per event and commitment, deleted once the deadline has been looked at).
   */
  breachWatch: (eventId: string, commitmentId: string) => ({ pk: `BREACH_WATCH#${eventId}#${commitmentId}`, sk: 'WATCH' }),
  breachWatchDue: (dueAt: string, eventId: string, commitmentId: string) => ({ gsi2pk: 'BREACH_WATCHES', gsi2sk: `${dueAt}#${eventId}#${commitmentId}` }),
  breachWatchesPartition: 'BREACH_WATCHES',
  /**
   * How a person's erasure and export find their cases (functions/app/privacy.ts): one ref per
   * case under each way to the person it holds: its contact, its invitation, and a typed-in
   * contact's phone number and address (hashed like the person index when fields are sealed).
   */
  caseRef: (way: CaseRefWay, caseId: string) => ({ pk: caseRefPartition(way), sk: `CASE#${caseId}` }),
  caseRefPartition: (way: CaseRefWay) => caseRefPartition(way),
  caseRefPrefix: 'CASE#',
  /**
   * The case configuration in one partition, read by one Query (the submit reads it once a minute
   * per container): the alert rules added through the API (a questionnaire's own are in its
   * version) and the organisation's case settings (root causes, working hours).
   */
  alertRule: (ruleId: string) => ({ pk: 'CASE_CONFIG', sk: `RULE#${ruleId}` }),
  caseSettings: { pk: 'CASE_CONFIG', sk: 'SETTINGS' },
  caseConfigPartition: 'CASE_CONFIG',
  /** How far the case sweep has evaluated a survey's responses (the backstop of the evaluation at submit). */
  caseSweep: (surveyId: string) => ({ pk: 'CASE_SWEEP', sk: `SURVEY#${surveyId}` }),

  // ---- users and the audit trail ---------------------------------------------------------------

  /** A user, under its id; all users are also listed in one partition (GSI1: a few thousand at most). */
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: 'USER' }),
  userInList: (userId: string) => ({ gsi1pk: 'USERS', gsi1sk: `USER#${userId}` }),
  usersList: 'USERS',
  /** Claims an e-mail for one user (a conditional create: two users never share an e-mail). */
  userEmail: (email: string) => ({ pk: `USER_EMAIL#${email}`, sk: 'REF' }),
  /** A local password credential, beside its user (never on AWS, where Cognito holds passwords). */
  credential: (userId: string) => ({ pk: `USER#${userId}`, sk: 'CREDENTIAL' }),
  /** The audit trail: one partition per UTC day, sorted by instant; TTL ends it. */
  audit: (day: string, at: string, auditId: string) => ({ pk: `AUDIT#${day}`, sk: `${at}#${auditId}` }),
  auditPartition: (day: string) => `AUDIT#${day}`,
} as const;

/** A contact's entry in the activity index for the month of `at` (UTC). */
export const contactActivityItem = (contactId: string, at: string) => ({
  ...keys.contactActivity(at.slice(0, 7), activityShard(contactId), contactId),
  entity: 'ContactActivity',
  contactId,
});

/** A way to the person a case is about (see keys.caseRef). */
export type CaseRefWay = { kind: 'contact' | 'invitation' | 'phone' | 'email'; value: string };
const caseRefPartition = (way: CaseRefWay) => `CASE_REF#${way.kind}#${way.value}`;
