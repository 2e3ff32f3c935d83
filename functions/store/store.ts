/**
 * The store, with the distribution entities (contacts, opt-outs, dispatch work, send records,
 * SMS log, service events, triggers and schedules) on top of the spine's. Every write that must
 * not happen twice is a single-item conditional write; every read is a key lookup or a Query.
 */
import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoStore, dueShard, recordOf, type CampaignRecord, type InvitationRecord, type InvitationStatus } from './dynamo-store';
import type { Commitment, ComplianceSummary } from '../domain/commitments';
import { periodOf } from '../domain/period';
import { DEFAULT_TIME_ZONE } from '../domain/questionnaire';
import { DUE_SHARDS, keys } from './keys';

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

export interface DueInvitation {
  token: string;
  invitationId: string;
  campaignId: string;
  dueAt: string;
  nextAction: 'invite' | 'reminder';
  /** The GSI2 sort key as read: the lease is conditional on it, so two dispatchers never both take it. */
  dueKey: string;
}

export interface SendAttemptRecord {
  invitationId: string;
  action: 'invite' | 'reminder';
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
export type CommitmentFigures = ComplianceSummary & { title?: Record<string, string> };

export interface CommitmentsReportRecord {
  period: string;
  orgUnitId: string;
  computedAt: string;
  commitments: CommitmentFigures[];
}

/** The month an event is listed under (GSI1): occurredAt's month in Asia/Shanghai; none for an unreadable instant. */
export function serviceEventMonthKeys(event: Pick<ServiceEventRecord, 'occurredAt' | 'eventId'>): { gsi1pk: string; gsi1sk: string } | Record<string, never> {
  const instant = new Date(event.occurredAt);
  if (Number.isNaN(instant.getTime())) return {};
  return keys.serviceEventByMonth(periodOf(instant, DEFAULT_TIME_ZONE), instant.toISOString(), event.eventId);
}

/** The invitation changed under the sender (answered, or handled by another copy of the message). */
export class StaleInvitationError extends Error {
  constructor(invitationId: string) {
    super(`invitation ${invitationId} changed while it was being dispatched`);
    this.name = 'StaleInvitationError';
  }
}

export class Store extends DynamoStore {
  static override connect(tableName: string, clientConfig: DynamoDBClientConfig = {}): Store {
    return new Store(new DynamoDBClient(clientConfig), tableName);
  }

  // ---- contacts -------------------------------------------------------------------------------

  async getContact(contactId: string): Promise<ContactRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.contact(contactId), ConsistentRead: true }));
    return recordOf<ContactRecord>(Item);
  }

  async contactIdByIdentity(kind: string, value: string): Promise<string | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.contactIdentity(kind, value), ConsistentRead: true }));
    return Item ? String(Item.contactId) : undefined;
  }

  /**
   * Claims an identity for a new contact. Returns the contact id that owns it: the given one when
   * this call claimed it, another when a concurrent import was first.
   */
  async claimContactIdentity(kind: string, value: string, contactId: string): Promise<string> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.contactIdentity(kind, value), entity: 'ContactIdentity', contactId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return contactId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.contactIdByIdentity(kind, value)) ?? contactId;
    }
  }

  /**
   * Writes a contact's content. An update, not a put: the frequency cap's claim (lastInvitedAt,
   * lastInvitedBy) belongs to the sender and is never touched by an import, even one racing it.
   */
  async putContact(contact: ContactRecord): Promise<void> {
    const { lastInvitedAt: _at, lastInvitedBy: _by, contactId, createdAt, ...content } = contact;
    const fields: Record<string, unknown> = { ...content, ...keys.contactByUnit(contact.orgUnitId, contactId), entity: 'Contact', contactId };
    const optional = ['name', 'phone', 'email', 'externalId', 'grade', 'lang'].filter((field) => !(field in fields) || fields[field] === undefined);
    const names: Record<string, string> = { '#createdAt': 'createdAt' };
    const values: Record<string, unknown> = { ':createdAt': createdAt };
    const set = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => {
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        return `#${field} = :${field}`;
      });
    optional.forEach((field) => (names[`#${field}`] = field));
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.contact(contactId),
        UpdateExpression: `SET ${[...set, '#createdAt = if_not_exists(#createdAt, :createdAt)'].join(', ')}${optional.length ? ` REMOVE ${optional.map((f) => `#${f}`).join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async listContactsOfUnit(orgUnitId: string): Promise<ContactRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.contactsOfUnit(orgUnitId) },
    });
    return items.map((item) => recordOf<ContactRecord>(item) as ContactRecord);
  }

  /**
   * The frequency cap: at most one invitation per window across all campaigns. Atomic, so two
   * senders racing for the same contact cannot both succeed.
   */
  async claimFrequencySlot(contactId: string, invitationId: string, now: string, windowStart: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.contact(contactId),
          UpdateExpression: 'SET lastInvitedAt = :now, lastInvitedBy = :invitation',
          // The invitation that holds the slot may claim it again (a retried send is not a second invitation).
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastInvitedAt) OR lastInvitedAt < :windowStart OR lastInvitedBy = :invitation)',
          ExpressionAttributeValues: { ':now': now, ':windowStart': windowStart, ':invitation': invitationId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  // ---- opt-outs -------------------------------------------------------------------------------

  async isOptedOut(channel: string, address: string): Promise<boolean> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.optOut(channel, address), ConsistentRead: true }));
    return Item?.optedOut === true;
  }

  /** Sets the opt-out state; returns whether it changed (so a confirmation is sent once). */
  async setOptOut(channel: string, address: string, optedOut: boolean, at: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.optOut(channel, address),
          UpdateExpression: 'SET optedOut = :state, changedAt = :at, entity = :entity',
          ConditionExpression: optedOut ? 'attribute_not_exists(optedOut) OR optedOut = :false' : 'optedOut = :true',
          ExpressionAttributeValues: optedOut
            ? { ':state': true, ':at': at, ':entity': 'OptOut', ':false': false }
            : { ':state': false, ':at': at, ':entity': 'OptOut', ':true': true },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  // ---- dispatch -------------------------------------------------------------------------------

  /** Invitations due at or before `now`, oldest first, from every GSI2 shard. */
  async dueInvitations(now: string, limit: number): Promise<DueInvitation[]> {
    const found: DueInvitation[] = [];
    // Each shard gets its share of the limit, so a backlog in one cannot starve the others.
    const perShard = Math.ceil(limit / DUE_SHARDS);
    for (let shard = 0; shard < DUE_SHARDS; shard++) {
      const { Items } = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :upTo',
          // "~" sorts after every character of an invitation id: everything due up to `now`.
          ExpressionAttributeValues: { ':pk': keys.duePartition(shard), ':upTo': `${now}#~` },
          Limit: perShard,
        }),
      );
      for (const item of Items ?? []) {
        found.push({
          token: String(item.token),
          invitationId: String(item.invitationId),
          campaignId: String(item.campaignId),
          dueAt: String(item.dueAt),
          nextAction: item.nextAction === 'reminder' ? 'reminder' : 'invite',
          dueKey: String(item.gsi2sk),
        });
      }
    }
    return found.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  /**
   * Takes a due invitation for dispatch by moving its due time to the end of a lease: if the
   * sender never finishes, it becomes due again then. Conditional on the due entry being the one
   * read, so of two dispatchers only one takes it.
   */
  async leaseDue(due: DueInvitation, leaseUntil: string): Promise<boolean> {
    const shard = dueShard(due.invitationId);
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invitation(due.token),
          UpdateExpression: 'SET gsi2sk = :next',
          ConditionExpression: 'gsi2pk = :pk AND gsi2sk = :seen',
          ExpressionAttributeValues: {
            ':next': keys.invitationDue(shard, leaseUntil, due.invitationId).gsi2sk,
            ':pk': keys.duePartition(shard),
            ':seen': due.dueKey,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Updates an invitation. `due` puts it (back) in the work index for `nextAction` at that time;
   * `done` takes it out. Attributes set to undefined are removed.
   */
  async updateInvitation(
    token: string,
    changes: Partial<Pick<InvitationRecord, 'status' | 'reason' | 'attempts' | 'reminders' | 'sentAt' | 'nextAction' | 'dueAt'>> & { invitationId: string },
    work: { due: string } | 'done' | 'unchanged',
    /** Only if the invitation is still in this state (the sender's view): else StaleInvitationError. */
    expected?: { status: InvitationStatus; nextAction: 'invite' | 'reminder' },
  ): Promise<void> {
    const set: string[] = [];
    const remove: string[] = [];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {};
    const assign = (attribute: string, value: unknown) => {
      names[`#${attribute}`] = attribute;
      if (value === undefined) remove.push(`#${attribute}`);
      else {
        set.push(`#${attribute} = :${attribute}`);
        values[`:${attribute}`] = value;
      }
    };
    const { invitationId, ...fields } = changes;
    for (const [attribute, value] of Object.entries(fields)) assign(attribute, value);
    if (work === 'done') {
      assign('gsi2pk', undefined);
      assign('gsi2sk', undefined);
    } else if (work !== 'unchanged') {
      const due = keys.invitationDue(dueShard(invitationId), work.due, invitationId);
      assign('gsi2pk', due.gsi2pk);
      assign('gsi2sk', due.gsi2sk);
      if (!('dueAt' in fields)) assign('dueAt', work.due);
    }
    const expression = [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean).join(' ');
    if (!expression) return;
    let condition = 'attribute_exists(pk)';
    if (expected) {
      names['#expectedStatus'] = 'status';
      names['#expectedAction'] = 'nextAction';
      values[':expectedStatus'] = expected.status;
      values[':expectedAction'] = expected.nextAction;
      condition += ' AND #expectedStatus = :expectedStatus AND #expectedAction = :expectedAction';
    }
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invitation(token),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (error) {
      if (expected && error instanceof ConditionalCheckFailedException) throw new StaleInvitationError(invitationId);
      throw error;
    }
  }

  /**
   * Takes an invitation that has nothing left to do out of the work index (a stale dispatch
   * message found it answered, skipped, failed or expired), so it is not queued again.
   */
  async clearFinishedWork(token: string): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.invitation(token),
          UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(gsi2pk) AND (#status IN (:responded, :skipped, :expired, :failed) OR attribute_not_exists(nextAction))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':responded': 'responded', ':skipped': 'skipped', ':expired': 'expired', ':failed': 'failed' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Marks an invitation answered (after its response was stored) and ends any pending work. */
  async markResponded(token: string, invitationId: string): Promise<void> {
    await this.updateInvitation(token, { invitationId, status: 'responded' as InvitationStatus, reason: undefined }, 'done');
  }

  // ---- send attempts --------------------------------------------------------------------------

  /** Starts an attempt; returns the existing record instead when the attempt was started before. */
  async beginSendAttempt(record: SendAttemptRecord): Promise<SendAttemptRecord | undefined> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.sendAttempt(record.invitationId, record.action, record.attempt), entity: 'SendAttempt', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: keys.sendAttempt(record.invitationId, record.action, record.attempt), ConsistentRead: true }),
      );
      return recordOf<SendAttemptRecord>(Item);
    }
  }

  async finishSendAttempt(record: SendAttemptRecord): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.sendAttempt(record.invitationId, record.action, record.attempt), entity: 'SendAttempt', ...record } }),
    );
  }

  /** Counts a send against the campaign's per-minute budget; false when the budget is spent. */
  async takeRateToken(campaignId: string, minute: string, limit: number, ttlEpochSeconds: number): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.rateBucket(campaignId, minute),
          UpdateExpression: 'ADD sent :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': ttlEpochSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  // ---- SMS replies and log --------------------------------------------------------------------

  async putSmsReplyTarget(phone: string, sentAt: string, invitation: Pick<InvitationRecord, 'invitationId' | 'token'>, ttlEpochSeconds: number): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.smsReplyTarget(phone, sentAt, invitation.invitationId), entity: 'SmsReplyTarget', token: invitation.token, invitationId: invitation.invitationId, ttl: ttlEpochSeconds },
      }),
    );
  }

  /** The newest reply-type invitation sent to this number. */
  async latestSmsReplyTarget(phone: string): Promise<{ token: string; invitationId: string } | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.smsReplyPartition(phone) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = Items?.[0];
    return item ? { token: String(item.token), invitationId: String(item.invitationId) } : undefined;
  }

  async logSms(entry: SmsLogEntry, ttlEpochSeconds: number): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.smsLog(entry.at.slice(0, 10), entry.at, entry.id), entity: 'SmsLog', ...entry, ttl: ttlEpochSeconds },
      }),
    );
  }

  async smsLogOf(day: string): Promise<SmsLogEntry[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.smsLogPartition(day) },
    });
    return items.map((item) => recordOf<SmsLogEntry>(item) as SmsLogEntry);
  }

  /**
   * Deletes log entries of a day whose retention has passed. DynamoDB's TTL does this on AWS; the
   * local engine has no TTL, so the local runtime calls this.
   */
  async purgeSmsLog(day: string, nowEpochSeconds: number): Promise<number> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.smsLogPartition(day) },
      ProjectionExpression: 'pk, sk, #ttl',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
    });
    const expired = items.filter((item) => typeof item.ttl === 'number' && item.ttl <= nowEpochSeconds);
    await this.batchDelete(expired.map((item) => ({ pk: item.pk, sk: item.sk })));
    return expired.length;
  }

  // ---- service events, triggers, schedules ----------------------------------------------------

  /** Records an event once; returns the stored one when the id was recorded before. */
  async putServiceEventIfAbsent(event: ServiceEventRecord): Promise<ServiceEventRecord | undefined> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.serviceEvent(event.eventId), ...serviceEventMonthKeys(event), entity: 'ServiceEvent', ...event },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.serviceEvent(event.eventId), ConsistentRead: true }));
      return recordOf<ServiceEventRecord>(Item);
    }
  }

  /** Replaces an event, conditional on the version read (its fingerprint): no lost update. */
  async replaceServiceEvent(event: ServiceEventRecord, previousFingerprint: string): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.serviceEvent(event.eventId), ...serviceEventMonthKeys(event), entity: 'ServiceEvent', ...event },
          ConditionExpression: 'fingerprint = :previous',
          ExpressionAttributeValues: { ':previous': previousFingerprint },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getServiceEvent(eventId: string): Promise<ServiceEventRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.serviceEvent(eventId) }));
    return recordOf<ServiceEventRecord>(Item);
  }

  /**
   * A conditional marker: true the first time a key is claimed, false afterwards. `data` travels
   * with it, so whoever finds the marker can finish what its claimer started.
   */
  async claimOnce(key: { pk: string; sk: string }, data: Record<string, string> = {}): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: 'Marker', ...data },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getMarker(key: { pk: string; sk: string }): Promise<Record<string, string> | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return recordOf<Record<string, string>>(Item);
  }

  async releaseClaim(key: { pk: string; sk: string }): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
  }

  async putTrigger(trigger: TriggerRecord): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.trigger(trigger.eventType, trigger.campaignId), entity: 'Trigger', ...trigger } }));
  }

  async triggersOf(eventType: string): Promise<TriggerRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.triggersOf(eventType) },
    });
    return items.map((item) => recordOf<TriggerRecord>(item) as TriggerRecord);
  }

  async putScheduledCampaign(record: ScheduledCampaignRecord): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.scheduledCampaign(record.campaignId), entity: 'ScheduledCampaign', ...record } }),
    );
  }

  async scheduledCampaigns(): Promise<ScheduledCampaignRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.scheduledCampaignsPartition },
    });
    return items.map((item) => recordOf<ScheduledCampaignRecord>(item) as ScheduledCampaignRecord);
  }

  /** Moves a schedule on, conditional on the run it was read at (one runner per occurrence). */
  async advanceScheduledCampaign(campaignId: string, seenNextRunAt: string, nextRunAt: string, lastRunAt: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.scheduledCampaign(campaignId),
          UpdateExpression: 'SET nextRunAt = :next, lastRunAt = :last',
          ConditionExpression: 'nextRunAt = :seen',
          ExpressionAttributeValues: { ':next': nextRunAt, ':last': lastRunAt, ':seen': seenNextRunAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async putCampaignRecord(campaign: CampaignRecord): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.campaign(campaign.campaignId), entity: 'Campaign', ...campaign },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  // ---- service commitments --------------------------------------------------------------------

  async getCommitment(commitmentId: string): Promise<CommitmentRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.commitment(commitmentId), ConsistentRead: true }));
    return recordOf<CommitmentRecord>(Item);
  }

  /** Declares (or re-declares) one commitment; the last declaration of an id wins. */
  async putCommitment(record: CommitmentRecord): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.commitment(record.commitmentId), entity: 'Commitment', ...record } }));
  }

  async listCommitmentRecords(): Promise<CommitmentRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.commitmentsPartition, ':prefix': keys.commitmentPrefix },
    });
    return items.map((item) => recordOf<CommitmentRecord>(item) as CommitmentRecord);
  }

  /** The service events listed under a month (occurredAt in Asia/Shanghai), through GSI1. */
  async serviceEventsOfMonth(month: string): Promise<ServiceEventRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.serviceEventsOfMonth(month) },
    });
    return items.map((item) => recordOf<ServiceEventRecord>(item) as ServiceEventRecord);
  }

  /** Stores a period's compliance per unit and deletes that period's reports of units no longer in it. */
  async replaceCommitmentsReports(period: string, reports: readonly CommitmentsReportRecord[]): Promise<void> {
    const existing = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.commitmentsReportPartition(period) },
      ProjectionExpression: 'pk, sk',
    });
    const fresh = reports.map((report) => ({ ...keys.commitmentsReport(report.period, report.orgUnitId), entity: 'CommitmentsReport', ...report }));
    const kept = new Set(fresh.map((item) => item.sk));
    await this.batchPut(fresh);
    await this.batchDelete(existing.filter((item) => !kept.has(String(item.sk))).map((item) => ({ pk: item.pk, sk: item.sk })));
  }

  async getCommitmentsReport(period: string, orgUnitId: string): Promise<CommitmentsReportRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.commitmentsReport(period, orgUnitId) }));
    return recordOf<CommitmentsReportRecord>(Item);
  }
}
