/**
 * Invitations, stored under their secret token (the respondent's only key), listed by campaign
 * (GSI1) and, while something is due, in the sparse work index by due time (GSI2, sharded). The
 * dispatcher's lease and the sender's updates are conditional writes on the item read. The
 * invitation's response is the other item of its partition (./responses.ts writes it).
 */
import { StaleInvitationError, type InvitationStore } from '../app/ports';
import type { DueInvitation, InvitationOrigin, InvitationRecord, ResponseRecord } from '../domain/records';
import { mapPersonalFields, type FieldProtection } from '../shared/field-protection';
import { DUE_SHARDS, keys, shardOf } from './keys';
import { decodeCursor, encodeCursor, itemKey, recordOf, type Item, type Table } from './table';

/** Which GSI2 partition an invitation's due entry lives in: stable per invitation. */
export function dueShard(invitationId: string): number {
  return shardOf(invitationId, DUE_SHARDS);
}

/** Marks an invitation item whose response, if any, is in its own partition (items before the move lack it). */
const IN_PARTITION = 'responseInPartition';

export function invitationItem(invitation: InvitationRecord, fields: FieldProtection): Item {
  const due =
    invitation.status === 'pending' && invitation.dueAt
      ? keys.invitationDue(dueShard(invitation.invitationId), invitation.dueAt, invitation.invitationId)
      : {};
  return {
    ...keys.invitation(invitation.token),
    ...keys.invitationByCampaign(invitation.campaignId, invitation.invitationId),
    ...due,
    entity: 'Invitation',
    // Its response goes to this partition: no read of the layout before it (keys.legacyResponse).
    [IN_PARTITION]: true,
    ...invitation,
    contact: mapPersonalFields(invitation.contact, fields.seal),
  };
}

/** The item that lists an invitation under its contact. */
export const contactInvitationRef = (contactId: string, token: string): Item => ({ ...keys.contactInvitation(contactId, token), entity: 'ContactInvitation', token });

/**
 * Writes invitations with their contacts' refs first: a crash between the two leaves a ref to
 * nothing (harmless), never an invitation its person's erasure or export cannot find (./privacy.ts).
 */
export async function writeInvitations(table: Table, invitations: readonly InvitationRecord[]): Promise<void> {
  const fields = await table.fields();
  const refs = invitations.flatMap((invitation) => [
    ...(invitation.contactId ? [contactInvitationRef(invitation.contactId, invitation.token)] : personInvitationRefs(invitation, fields)),
    // A link invitation is found by its id when its link is re-issued.
    ...(invitation.channel === 'link' ? [invitationRefItem(invitation.invitationId, invitation.token, invitation.campaignId)] : []),
  ]);
  if (refs.length > 0) await table.batchPut(refs);
  await table.batchPut(invitations.map((invitation) => invitationItem(invitation, fields)));
}

const invitationRefItem = (invitationId: string, token: string, campaignId: string): Item => ({ ...keys.invitationRef(invitationId), entity: 'InvitationRef', token, campaignId });

/** A contactless invitation's entries in the person index, by the number and address of its snapshot. */
const personInvitationRefs = (invitation: InvitationRecord, fields: FieldProtection): Item[] =>
  (['phone', 'email'] as const).flatMap((kind) => {
    const value = invitation.contact[kind];
    return value ? [{ ...keys.personInvitation(kind, fields.lookup(value), invitation.token), entity: 'PersonInvitation', token: invitation.token }] : [];
  });

/** The invitation record of an item (the storage marker left out, the contact snapshot opened). */
export function invitationOf(item: Item | undefined, fields: FieldProtection): InvitationRecord | undefined {
  const record = recordOf<InvitationRecord & { [IN_PARTITION]?: boolean; leaseOwner?: string }>(item);
  // The lease's owner is the dispatcher's bookkeeping, not part of the invitation.
  if (record) {
    delete record[IN_PARTITION];
    delete record.leaseOwner;
    // An erased invitation's snapshot is empty; items written without one have none.
    if (record.contact) record.contact = mapPersonalFields(record.contact, fields.open);
  }
  return record;
}

/** The items of a token's partition, the invitation and its response: one strongly consistent Query. */
export async function invitationPartition(table: Table, token: string): Promise<{ invitation?: Item; response?: Item }> {
  const items = await table.queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.invitationPartition(token) },
    ConsistentRead: true,
  });
  return { invitation: items.find((item) => item.sk === keys.invitationSk), response: items.find((item) => item.sk === keys.responseSk) };
}

/**
 * The response an invitation stored before responses moved into its partition (an item without
 * the marker) may have under the old key; undefined for every invitation written since.
 */
export async function legacyResponseOf(table: Table, invitation: Item): Promise<ResponseRecord | undefined> {
  if (invitation[IN_PARTITION] === true) return undefined;
  return recordOf<ResponseRecord>(await table.get(keys.legacyResponse(String(invitation.invitationId)), { consistent: true }));
}

/**
 * The invitation behind a token, its response and whether it is answered, in one read. Only an
 * invitation of the old layout that is not marked responded costs a second (its response's old key).
 */
async function invitationWithResponse(table: Table, token: string): Promise<{ invitation: InvitationRecord; response?: ResponseRecord; answered: boolean } | undefined> {
  const [items, fields] = await Promise.all([invitationPartition(table, token), table.fields()]);
  const invitation = invitationOf(items.invitation, fields);
  if (!invitation || !items.invitation) return undefined;
  const response = recordOf<ResponseRecord>(items.response) ?? (invitation.status === 'responded' ? undefined : await legacyResponseOf(table, items.invitation));
  return { invitation, ...(response ? { response } : {}), answered: response !== undefined || invitation.status === 'responded' };
}

/**
 * Many tokens' invitations and responses in BatchGetItem calls of 100 keys (strongly consistent),
 * in the order given; an invitation of the old layout costs its own read of the old key.
 */
async function invitationsWithResponses(table: Table, tokens: readonly string[]): Promise<{ invitation: InvitationRecord; response?: ResponseRecord; answered: boolean }[]> {
  const read = await table.batchGet(tokens.flatMap((token) => [keys.invitation(token), keys.response(token)]), { consistent: true });
  const fields = await table.fields();
  const found: { invitation: InvitationRecord; response?: ResponseRecord; answered: boolean }[] = [];
  for (const token of tokens) {
    const item = read.get(itemKey(keys.invitation(token)));
    const invitation = invitationOf(item, fields);
    if (!invitation || !item) continue;
    const response = recordOf<ResponseRecord>(read.get(itemKey(keys.response(token)))) ?? (invitation.status === 'responded' ? undefined : await legacyResponseOf(table, item));
    found.push({ invitation, ...(response ? { response } : {}), answered: response !== undefined || invitation.status === 'responded' });
  }
  return found;
}

const originMarker = (origin: InvitationOrigin) =>
  origin.kind === 'occurrence' ? keys.occurrence(origin.campaignId, origin.contactId, origin.occurrence) : keys.eventInvitation(origin.campaignId, origin.eventId);

/** Builds an update expression from fields; undefined values are removed. */
function updateExpression(fields: Record<string, unknown>): { expression: string; names: Record<string, string>; values: Record<string, unknown> } {
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(fields)) {
    names[`#${attribute}`] = attribute;
    if (value === undefined) remove.push(`#${attribute}`);
    else {
      set.push(`#${attribute} = :${attribute}`);
      values[`:${attribute}`] = value;
    }
  }
  const expression = [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean).join(' ');
  return { expression, names, values };
}

export function invitationItems(table: Table): InvitationStore {
  const getInvitationByToken = async (token: string) => invitationOf(await table.get(keys.invitation(token), { consistent: true }), await table.fields());
  const putInvitations = (invitations: readonly InvitationRecord[]) => writeInvitations(table, invitations);

  /**
   * 3. A re-issued invitation takes its old item's place: in the campaign's list (its keys follow
   * from its ids); the old refs go (the new ones were written before the copy existed), then the
   * old item. Idempotent: an
   * interrupted re-issue is completed by the next one (or the next read of its ref).
   */
  const completeReissue = async (token: string) => {
    const item = await table.get(keys.invitation(token), { consistent: true });
    const fields = await table.fields();
    const invitation = invitationOf(item, fields);
    if (!item || !invitation || typeof item.reissuedFrom !== 'string') return;
    const oldToken = item.reissuedFrom;
    // Listed before the old item goes: for a moment a list may show both, never neither.
    const listed = keys.invitationByCampaign(invitation.campaignId, invitation.invitationId);
    const present = { ConditionExpression: 'attribute_exists(pk)' };
    await table.writeIf({ update: { Key: keys.invitation(token), UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk', ExpressionAttributeValues: { ':pk': listed.gsi1pk, ':sk': listed.gsi1sk }, ...present } });
    if (invitation.contactId) await table.delete(keys.contactInvitation(invitation.contactId, oldToken));
    else {
      for (const kind of ['phone', 'email'] as const) {
        const value = invitation.contact[kind];
        if (value) for (const form of fields.lookups(value)) await table.delete(keys.personInvitation(kind, form, oldToken));
      }
    }
    await table.delete(keys.invitation(oldToken));
    // An answer by the old link in the last moment stays where it is (counted once); the new link
    // then reads as answered, so nobody answers twice.
    const answeredByOld = (await invitationPartition(table, oldToken)).response !== undefined;
    await table.writeIf({
      update: {
        Key: keys.invitation(token),
        UpdateExpression: answeredByOld ? 'SET #status = :responded REMOVE reissuedFrom, supersededBy' : 'REMOVE reissuedFrom, supersededBy',
        ...(answeredByOld ? { ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':responded': 'responded' } } : {}),
        ...present,
      },
    });
  };

  const store: InvitationStore = {
    getInvitationByToken,
    putInvitations,
    getInvitationWithResponse: (token) => invitationWithResponse(table, token),
    getInvitationsWithResponses: (tokens) => invitationsWithResponses(table, tokens),

    async createInvitationOnce(origin, invitation) {
      // The marker names the invitation before it is written: a retry after a crash in between
      // finds the marker, sees the invitation missing, and writes it with the same identity.
      const marker = originMarker(origin);
      const claimed = await table.putIfAbsent({ ...marker, entity: 'Marker', invitationId: invitation.invitationId, token: invitation.token });
      if (claimed === 'exists') {
        const named = await table.get(marker, { consistent: true });
        const token = typeof named?.token === 'string' ? named.token : undefined;
        if (!token) return { created: false };
        const existing = await getInvitationByToken(token);
        if (existing) return { created: false, existing };
        invitation.invitationId = typeof named?.invitationId === 'string' ? named.invitationId : invitation.invitationId;
        invitation.token = token;
      }
      await putInvitations([invitation]);
      return { created: true };
    },

    async listInvitations(campaignId) {
      const [items, fields] = await Promise.all([table.itemsOf(keys.invitationsOfCampaign(campaignId), 'gsi1'), table.fields()]);
      return items.map((item) => invitationOf(item, fields) as InvitationRecord);
    },

    async invitationTokenOf(invitationId, campaignId) {
      const ref = await table.get(keys.invitationRef(invitationId), { consistent: true });
      if (typeof ref?.token === 'string') return ref.token;
      if (!campaignId) return undefined;
      // An invitation made before refs: found in its campaign's list (an index: eventually consistent, and old).
      const by = keys.invitationByCampaign(campaignId, invitationId);
      const { items } = await table.queryPage({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk', ExpressionAttributeValues: { ':pk': by.gsi1pk, ':sk': by.gsi1sk } });
      return typeof items[0]?.token === 'string' ? items[0].token : undefined;
    },

    async reissueInvitation(invitation, newToken, at) {
      const { invitationId, token: oldToken } = invitation;
      const oldKey = keys.invitation(oldToken);
      const old = await table.get(oldKey, { consistent: true });
      if (!old) return 'gone';
      const ref = keys.invitationRef(invitationId);
      await table.putIfAbsent({ ...ref, entity: 'InvitationRef', token: oldToken, campaignId: invitation.campaignId });
      // 1. The person's refs to the new token (an erasure finds the copy whatever happens next), then
      // the copy under it, in no list yet, naming where it came from (and none of an earlier try's marks).
      const fields = await table.fields();
      const refsOfNew = invitation.contactId ? [contactInvitationRef(invitation.contactId, newToken)] : personInvitationRefs({ ...invitation, token: newToken }, fields);
      await table.batchPut(refsOfNew);
      const { gsi1pk: _listedIn, gsi1sk: _listedAs, supersededBy: _superseded, reissuedFrom: _from, reissuedAt: _at, ...unlisted } = old;
      await table.put({ ...unlisted, ...keys.invitation(newToken), token: newToken, reissuedFrom: oldToken, reissuedAt: at });
      // 2. The old link stops opening the survey, and the ref names the new token: the commit point.
      await table.writeIf({ update: { Key: oldKey, UpdateExpression: 'SET supersededBy = :new', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':new': newToken } } });
      const moveRef = (from: string, to: string) =>
        table.writeIf({
          update: { Key: ref, UpdateExpression: 'SET #token = :to', ConditionExpression: '#token = :from', ExpressionAttributeNames: { '#token': 'token' }, ExpressionAttributeValues: { ':to': to, ':from': from } },
        });
      const committed = await moveRef(oldToken, newToken);
      const answeredMeanwhile = (await invitationPartition(table, oldToken)).response !== undefined;
      if (!committed || answeredMeanwhile) {
        // Another re-issue came first, or the person answered by the old link just now: undone.
        if (committed) await moveRef(newToken, oldToken);
        await table.writeIf({ update: { Key: oldKey, UpdateExpression: 'REMOVE supersededBy', ConditionExpression: 'attribute_exists(pk)' } });
        await table.delete(keys.invitation(newToken));
        await table.batchDelete(refsOfNew.map((item) => ({ pk: item.pk, sk: item.sk })));
        return committed ? 'answered' : 'conflict';
      }
      await completeReissue(newToken);
      return 'reissued';
    },

    completeReissue: (token) => completeReissue(token),

    async listInvitationsPage(campaignId, limit, cursor) {
      const partition = keys.invitationsOfCampaign(campaignId);
      const start = cursor
        ? decodeCursor(cursor, (key) => key.gsi1pk === partition && Object.keys(key).sort().join() === 'gsi1pk,gsi1sk,pk,sk')
        : undefined;
      const [{ items, lastKey }, fields] = await Promise.all([
        table.queryPage({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': partition }, Limit: limit }, start),
        table.fields(),
      ]);
      return {
        items: items.map((item) => invitationOf(item, fields) as InvitationRecord),
        ...(lastKey ? { cursor: encodeCursor({ pk: lastKey.pk, sk: lastKey.sk, gsi1pk: lastKey.gsi1pk, gsi1sk: lastKey.gsi1sk }) } : {}),
      };
    },

    async dueInvitations(now, limit) {
      const found: DueInvitation[] = [];
      // Each shard gets its share of the limit, so a backlog in one cannot starve the others.
      const perShard = Math.ceil(limit / DUE_SHARDS);
      for (let shard = 0; shard < DUE_SHARDS; shard++) {
        const { items } = await table.queryPage({
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :upTo',
          // "~" sorts after every character of an invitation id: everything due up to `now`.
          ExpressionAttributeValues: { ':pk': keys.duePartition(shard), ':upTo': `${now}#~` },
          Limit: perShard,
        });
        for (const item of items) {
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
    },

    async leaseDue(due, leaseUntil, owner) {
      const shard = dueShard(due.invitationId);
      return table.writeIf({
        update: {
          Key: keys.invitation(due.token),
          UpdateExpression: owner ? 'SET gsi2sk = :next, leaseOwner = :owner' : 'SET gsi2sk = :next REMOVE leaseOwner',
          ConditionExpression: 'gsi2pk = :pk AND gsi2sk = :seen',
          ExpressionAttributeValues: {
            ':next': keys.invitationDue(shard, leaseUntil, due.invitationId).gsi2sk,
            ':pk': keys.duePartition(shard),
            ':seen': due.dueKey,
            ...(owner ? { ':owner': owner } : {}),
          },
        },
      });
    },

    async releaseOrphanedLeases(liveOwner, now, leasedUntilAtMost) {
      let released = 0;
      for (let shard = 0; shard < DUE_SHARDS; shard++) {
        const items = await table.queryAll({
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
          FilterExpression: 'begins_with(leaseOwner, :local) AND leaseOwner <> :live',
          ExpressionAttributeValues: { ':pk': keys.duePartition(shard), ':from': now, ':to': `${leasedUntilAtMost}#~`, ':local': 'local:', ':live': liveOwner },
        });
        for (const item of items) {
          // Conditional on the lease seen: if anything handled the invitation meanwhile, it stays as it is.
          const freed = await table.writeIf({
            update: {
              Key: keys.invitation(String(item.token)),
              UpdateExpression: 'SET gsi2sk = :due REMOVE leaseOwner',
              ConditionExpression: 'gsi2sk = :seen AND leaseOwner = :dead',
              ExpressionAttributeValues: { ':due': keys.invitationDue(shard, now, String(item.invitationId)).gsi2sk, ':seen': item.gsi2sk, ':dead': item.leaseOwner },
            },
          });
          if (freed) released++;
        }
      }
      return released;
    },

    async updateInvitation(token, changes, work, expected) {
      const { invitationId, ...fields } = changes;
      const attributes: Record<string, unknown> = { ...fields };
      if (work === 'done') {
        attributes.gsi2pk = undefined;
        attributes.gsi2sk = undefined;
        attributes.leaseOwner = undefined;
      } else if (work !== 'unchanged') {
        // New work ends the dispatcher's lease: its owner must not be able to release it later.
        attributes.leaseOwner = undefined;
        const due = keys.invitationDue(dueShard(invitationId), work.due, invitationId);
        attributes.gsi2pk = due.gsi2pk;
        attributes.gsi2sk = due.gsi2sk;
        if (!('dueAt' in fields)) attributes.dueAt = work.due;
      }
      const { expression, names, values } = updateExpression(attributes);
      if (!expression) return;
      let condition = 'attribute_exists(pk)';
      if (expected) {
        names['#expectedStatus'] = 'status';
        names['#expectedAction'] = 'nextAction';
        values[':expectedStatus'] = expected.status;
        values[':expectedAction'] = expected.nextAction;
        condition += ' AND #expectedStatus = :expectedStatus AND #expectedAction = :expectedAction';
      }
      const written = await table.writeIf({
        update: {
          Key: keys.invitation(token),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        },
      });
      if (written) return;
      if (expected) throw new StaleInvitationError(invitationId);
      throw new Error(`invitation ${invitationId} does not exist`);
    },

    async recordDelivery(token, receipt) {
      const delivered = receipt.outcome === 'delivered';
      const written = await table.writeIf({
        update: {
          Key: keys.invitation(token),
          UpdateExpression: delivered ? 'SET deliveredAt = :at REMOVE deliveryFailure' : 'SET deliveryFailure = :reason',
          // The first delivery wins; a receipt repeated by SNS (at least once) finds it there.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deliveredAt)',
          ExpressionAttributeValues: delivered ? { ':at': receipt.at } : { ':reason': receipt.reason },
        },
      });
      if (written) return 'recorded';
      return (await table.get(keys.invitation(token), { consistent: true })) ? 'unchanged' : 'unknown';
    },

    async clearFinishedWork(token) {
      // Nothing to do when the invitation has work again (or none in the index): the condition says so.
      await table.writeIf({
        update: {
          Key: keys.invitation(token),
          UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(gsi2pk) AND (#status IN (:responded, :skipped, :expired, :failed) OR attribute_not_exists(nextAction))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':responded': 'responded', ':skipped': 'skipped', ':expired': 'expired', ':failed': 'failed' },
        },
      });
    },

    async markResponded(token, invitationId) {
      await store.updateInvitation(token, { invitationId, status: 'responded', reason: undefined }, 'done');
    },
  };
  return store;
}
