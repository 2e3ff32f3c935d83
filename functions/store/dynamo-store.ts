/**
 * The store: the only module that speaks DynamoDB. It is built around single-item conditional
 * writes (no transactions: dynalite, the local engine, has none), and it never scans: every read
 * is a GetItem or a Query on a key from ./keys.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Questionnaire } from '../domain/questionnaire';
import type { OrgUnit } from '../domain/org';
import type { Answers } from '../domain/scoring';
import { DUE_SHARDS, keys, padVersion, reportPrefix, tableDefinition } from './keys';

export interface SurveyVersionRecord {
  surveyId: string;
  version: number;
  contentHash: string;
  definition: Questionnaire;
  publishedAt: string;
}

export interface CampaignRecord {
  campaignId: string;
  surveyId: string;
  version: number;
  channel: 'link' | 'sms';
  /** The campaign's definition as posted (SMS settings, targeting, kind); see functions/app/campaigns.ts. */
  definition?: Record<string, unknown>;
  createdAt: string;
  expiresAt: string;
  invitationCount: number;
}

export type InvitationStatus = 'pending' | 'sent' | 'skipped' | 'responded' | 'expired' | 'failed';

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
  channel?: 'link' | 'sms';
  contactId?: string;
  status?: InvitationStatus;
  /** Why the invitation was skipped, deferred or failed. */
  reason?: string;
  /** What the dispatcher does next, and when (mirrored in the sparse GSI2 while pending). */
  nextAction?: 'invite' | 'reminder';
  dueAt?: string;
  attempts?: number;
  reminders?: number;
  sentAt?: string;
  lang?: string;
  /** The service event (return visit) and the staff member who served. */
  eventId?: string;
  staffId?: string;
  /** Mystery customers' answers are reported separately. */
  panel?: 'mystery';
  /** Managers answering the expectation items as they believe customers would (SERVQUAL gap 1). */
  audience?: 'management';
  /** The contact's grade (customer grading), for respondent weighting. */
  grade?: string;
}

export interface ResponseRecord {
  responseId: string;
  invitationId: string;
  campaignId: string;
  surveyId: string;
  version: number;
  orgUnitId: string;
  channel?: 'link' | 'sms';
  eventId?: string;
  staffId?: string;
  panel?: 'mystery';
  audience?: 'management';
  grade?: string;
  period: string;
  submittedAt: string;
  lang: string;
  answers: Answers;
}

export interface CheckpointMeta {
  /** Increases by one per commit: the commit is conditional on the generation the run read. */
  generation: number;
  /**
   * The run whose items are current (unique per run, see keys.checkpointUnit). Absent on a
   * checkpoint stored before run keys, which the computation does not read (it recomputes once).
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
  responses: number;
  /** Serialized accumulators by analysis id. */
  accumulators: Record<string, unknown>;
}

/**
 * Recent responses per checkpoint item. They are items of the run rather than a list in the META
 * item, which has to stay far below DynamoDB's 400 KB: a burst of thousands of responses within
 * the overlap window would not fit there. An entry takes about 100 bytes, so a chunk about 100 KB.
 */
export const CHECKPOINT_RECENT_PER_ITEM = 1000;

export interface ReportRecord<T = unknown> {
  surveyId: string;
  version: number;
  period: string;
  orgUnitId: string;
  computedAt: string;
  report: T;
}

const BATCH_WRITE_LIMIT = 25;
const MAX_BATCH_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Strips the key attributes from an item so callers see only the record. */
export function recordOf<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, gsi2pk: _g3, gsi2sk: _g4, entity: _e, ttl: _t, ...record } = item;
  return record as T;
}

/** A GSI of the key design as CreateTable/UpdateTable take it (every attribute projected). */
const indexDefinition = (gsi: (typeof tableDefinition.globalSecondaryIndexes)[number]) => ({
  IndexName: gsi.indexName,
  KeySchema: [
    { AttributeName: gsi.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: gsi.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: 'ALL' as const },
});

/** Which GSI2 partition an invitation's due entry lives in: stable per invitation. */
export function dueShard(invitationId: string): number {
  let hash = 0;
  for (const char of invitationId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % DUE_SHARDS;
}

export function invitationItem(invitation: InvitationRecord): Record<string, unknown> {
  const due =
    invitation.status === 'pending' && invitation.dueAt
      ? keys.invitationDue(dueShard(invitation.invitationId), invitation.dueAt, invitation.invitationId)
      : {};
  return {
    ...keys.invitation(invitation.token),
    ...keys.invitationByCampaign(invitation.campaignId, invitation.invitationId),
    ...due,
    entity: 'Invitation',
    ...invitation,
  };
}

export class DynamoStore {
  protected readonly documents: DynamoDBDocumentClient;

  constructor(
    readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  static connect(tableName: string, clientConfig: DynamoDBClientConfig = {}): DynamoStore {
    return new DynamoStore(new DynamoDBClient(clientConfig), tableName);
  }

  /** Creates the table from the key design if it does not exist (local runtime and tests). */
  async ensureTable(): Promise<void> {
    try {
      const described = await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
      await this.addMissingIndexes(new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((gsi) => gsi.IndexName ?? '')));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const attributes = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
    for (const gsi of tableDefinition.globalSecondaryIndexes) {
      attributes.add(gsi.partitionKey);
      attributes.add(gsi.sortKey);
    }
    await this.client.send(
      new CreateTableCommand({
        TableName: this.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map(indexDefinition),
      }),
    );
    await this.waitUntilActive();
  }

  /** A table created by an older version lacks newer indexes: add them (each needs its own update). */
  private async addMissingIndexes(present: Set<string>): Promise<void> {
    for (const gsi of tableDefinition.globalSecondaryIndexes) {
      if (present.has(gsi.indexName)) continue;
      await this.client.send(
        new UpdateTableCommand({
          TableName: this.tableName,
          AttributeDefinitions: [
            { AttributeName: gsi.partitionKey, AttributeType: 'S' },
            { AttributeName: gsi.sortKey, AttributeType: 'S' },
          ],
          GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(gsi) }],
        }),
      );
      await this.waitUntilActive();
    }
  }

  private async waitUntilActive(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const described = await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
      const indexesReady = (described.Table?.GlobalSecondaryIndexes ?? []).every((gsi) => gsi.IndexStatus === 'ACTIVE');
      if (described.Table?.TableStatus === 'ACTIVE' && indexesReady) return;
      await sleep(100);
    }
    throw new Error(`table ${this.tableName} did not become active`);
  }

  // ---- questionnaires -------------------------------------------------------------------------

  /**
   * Publishes a version once: a conditional put. Returns the stored record when the version exists
   * already (the caller compares content), or undefined when this call created it.
   */
  async putSurveyVersionIfAbsent(record: SurveyVersionRecord): Promise<SurveyVersionRecord | undefined> {
    // The catalogue entry comes first and is idempotent: a crash after it leaves a catalogue entry
    // without a version (which the compute job skips), never a version the compute job cannot find.
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.surveyCatalogue(record.surveyId), entity: 'SurveyCatalogueEntry', surveyId: record.surveyId },
      }),
    );
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.surveyVersion(record.surveyId, record.version), entity: 'SurveyVersion', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const existing = await this.getSurveyVersion(record.surveyId, record.version);
        if (existing) return existing;
      }
      throw error;
    }
    return undefined;
  }

  async getSurveyVersion(surveyId: string, version: number): Promise<SurveyVersionRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.surveyVersion(surveyId, version) }));
    return recordOf<SurveyVersionRecord>(Item);
  }

  async getLatestSurveyVersion(surveyId: string): Promise<SurveyVersionRecord | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.surveyVersionsPartition(surveyId), ':prefix': keys.surveyVersionPrefix },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return recordOf<SurveyVersionRecord>(Items?.[0]);
  }

  async listSurveyIds(): Promise<string[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.surveyCataloguePartition },
      ProjectionExpression: 'surveyId',
    });
    return items.map((item) => String(item.surveyId));
  }

  // ---- organisation ---------------------------------------------------------------------------

  async listOrgUnits(): Promise<OrgUnit[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.orgPartition, ':prefix': keys.orgUnitPrefix },
    });
    return items.map((item) => ({ id: String(item.id), name: String(item.name), ...(item.parentId ? { parentId: String(item.parentId) } : {}) }));
  }

  async putOrgUnits(units: readonly OrgUnit[]): Promise<void> {
    await this.batchPut(units.map((unit) => ({ ...keys.orgUnit(unit.id), entity: 'OrgUnit', ...unit })));
  }

  // ---- campaigns and invitations --------------------------------------------------------------

  /**
   * Invitations are written first and the campaign last, so a campaign record never exists
   * without all of its invitations; a crash midway leaves only unreachable invitations behind.
   */
  async createCampaign(campaign: CampaignRecord, invitations: readonly InvitationRecord[]): Promise<void> {
    await this.putInvitations(invitations);
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.campaign(campaign.campaignId), entity: 'Campaign', ...campaign },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Invitations with their index entries: by campaign (GSI1) and, while something is due, by due time (GSI2). */
  async putInvitations(invitations: readonly InvitationRecord[]): Promise<void> {
    await this.batchPut(invitations.map((invitation) => invitationItem(invitation)));
  }

  async getCampaign(campaignId: string): Promise<CampaignRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.campaign(campaignId) }));
    return recordOf<CampaignRecord>(Item);
  }

  async getInvitationByToken(token: string): Promise<InvitationRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.invitation(token), ConsistentRead: true }));
    return recordOf<InvitationRecord>(Item);
  }

  async listInvitations(campaignId: string): Promise<InvitationRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.invitationsOfCampaign(campaignId) },
    });
    return items.map((item) => recordOf<InvitationRecord>(item) as InvitationRecord);
  }

  // ---- responses ------------------------------------------------------------------------------

  /** Stores the response unless the invitation already has one: 'created' or 'duplicate'. */
  async putResponseOnce(response: ResponseRecord): Promise<'created' | 'duplicate'> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.response(response.invitationId),
            ...keys.responseBySurveyPeriod(response.surveyId, response.period, response.submittedAt, response.invitationId),
            entity: 'Response',
            ...response,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  async getResponse(invitationId: string): Promise<ResponseRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.response(invitationId), ConsistentRead: true }));
    return recordOf<ResponseRecord>(Item);
  }

  /**
   * Responses of a survey in a period, page by page, through GSI1 (never a scan); with `after`,
   * only those submitted after that instant (the index sorts by submission time).
   */
  async *responsesOf(surveyId: string, period: string, after?: string): AsyncGenerator<ResponseRecord[]> {
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: after ? 'gsi1pk = :pk AND gsi1sk > :after' : 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.responsesOfSurveyPeriod(surveyId, period), ...(after ? { ':after': after } : {}) },
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      exclusiveStartKey = page.LastEvaluatedKey;
      yield (page.Items ?? []).map((item) => recordOf<ResponseRecord>(item) as ResponseRecord);
    } while (exclusiveStartKey);
  }

  // ---- reports --------------------------------------------------------------------------------

  /**
   * Stores the reports of one questionnaire version and period, and deletes that version's
   * earlier reports for units that no longer have any (a unit moved away, for example).
   */
  async replaceReports(surveyId: string, period: string, version: number, reports: readonly ReportRecord[], panel?: string): Promise<void> {
    const prefix = reportPrefix(version, panel);
    const existing = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.reportPartition(surveyId, period), ':prefix': prefix },
      ProjectionExpression: 'pk, sk',
    });
    const fresh = reports.map((r) => ({ ...keys.report(r.surveyId, r.period, r.version, r.orgUnitId, panel), entity: 'Report', ...r, ...(panel ? { panel } : {}) }));
    const kept = new Set(fresh.map((item) => item.sk));
    await this.batchPut(fresh);
    await this.batchDelete(existing.filter((item) => !kept.has(String(item.sk))).map((item) => ({ pk: item.pk, sk: item.sk })));
  }

  async getReport<T>(surveyId: string, period: string, version: number, orgUnitId: string, panel?: string): Promise<ReportRecord<T> | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.report(surveyId, period, version, orgUnitId, panel) }),
    );
    return recordOf<ReportRecord<T>>(Item);
  }

  /** The highest questionnaire version with computed reports for the period, if any. */
  async latestReportedVersion(surveyId: string, period: string): Promise<number | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.reportPartition(surveyId, period) },
        ProjectionExpression: 'version',
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const version = Items?.[0]?.version;
    return typeof version === 'number' ? version : undefined;
  }

  // ---- computation checkpoints ----------------------------------------------------------------

  async getCheckpointMeta(surveyId: string, period: string): Promise<CheckpointMeta | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.checkpointMeta(surveyId, period), ConsistentRead: true }));
    return recordOf<CheckpointMeta>(Item);
  }

  /** Commits a checkpoint: conditional on the generation read, so of two concurrent runs one wins. */
  async commitCheckpointMeta(surveyId: string, period: string, meta: CheckpointMeta, previousGeneration: number | undefined): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.checkpointMeta(surveyId, period), entity: 'CheckpointMeta', ...meta },
          ConditionExpression: previousGeneration === undefined ? 'attribute_not_exists(pk)' : 'generation = :previous',
          ...(previousGeneration === undefined ? {} : { ExpressionAttributeValues: { ':previous': previousGeneration } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Stores one run's items (its unit accumulators and recent responses) under its own key; they
   * count only once the META names the run (commitCheckpointMeta), so they are written first.
   */
  async putCheckpointUnits(
    surveyId: string,
    period: string,
    generation: number,
    generationKey: string,
    units: readonly CheckpointUnit[],
    recent: readonly RecentResponse[],
    recentPerItem = CHECKPOINT_RECENT_PER_ITEM,
  ): Promise<void> {
    const run = keys.checkpointGeneration(surveyId, period, generation, generationKey);
    const chunks: Record<string, unknown>[] = [];
    for (let start = 0; start < recent.length; start += recentPerItem) {
      chunks.push({ pk: run.pk, sk: run.recentSk(chunks.length), entity: 'CheckpointRecent', recent: recent.slice(start, start + recentPerItem) });
    }
    await this.batchPut([
      ...units.map((unit) => ({ ...keys.checkpointUnit(surveyId, period, generation, generationKey, unit.version, unit.orgUnitId, unit.panel), entity: 'CheckpointUnit', ...unit })),
      ...chunks,
    ]);
  }

  /** One run's items, read strongly consistent: they were written just before the META read first. */
  async checkpointUnits(surveyId: string, period: string, generation: number, generationKey: string): Promise<{ units: CheckpointUnit[]; recent: RecentResponse[] }> {
    const run = keys.checkpointGeneration(surveyId, period, generation, generationKey);
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': run.pk, ':prefix': run.skPrefix },
      ConsistentRead: true,
    });
    const units: CheckpointUnit[] = [];
    const recent: RecentResponse[] = [];
    for (const item of items) {
      if (item.entity === 'CheckpointRecent') recent.push(...(item.recent as RecentResponse[]));
      else units.push(recordOf<CheckpointUnit>(item) as CheckpointUnit);
    }
    return { units, recent };
  }

  /**
   * Deletes one run's items (a run that lost the commit deletes its own), or without a run key a
   * whole generation: every run that aimed at it, committed or not, once a later one is committed.
   */
  async deleteCheckpointGeneration(surveyId: string, period: string, generation: number, generationKey?: string): Promise<void> {
    const run = keys.checkpointGeneration(surveyId, period, generation, generationKey);
    const items = await this.queryAll({
      TableName: this.tableName,
      ...(generationKey === undefined
        ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': run.pk } }
        : { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': run.pk, ':prefix': run.skPrefix } }),
      ProjectionExpression: 'pk, sk',
    });
    await this.batchDelete(items.map((item) => ({ pk: item.pk, sk: item.sk })));
  }

  // ---- plumbing -------------------------------------------------------------------------------

  protected async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey }));
      items.push(...(page.Items ?? []));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return items;
  }

  protected async batchPut(items: readonly Record<string, unknown>[]): Promise<void> {
    await this.batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  protected async batchDelete(keysToDelete: readonly Record<string, unknown>[]): Promise<void> {
    await this.batchWrite(keysToDelete.map((Key) => ({ DeleteRequest: { Key } })));
  }

  /** BatchWriteItem in chunks of 25, retrying unprocessed items with exponential backoff. */
  protected async batchWrite(requests: readonly Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
      let pending = requests.slice(start, start + BATCH_WRITE_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new Error(`batch write left ${pending.length} items unprocessed after ${attempt} attempts`);
        if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt));
        const result = await this.documents.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      }
    }
  }
}
