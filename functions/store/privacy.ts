/**
 * What a person's erasure and export (PIPL; functions/app/privacy.ts) read and write: the person
 * index (`PERSON#phone#…`, `PERSON#email#…` -> contacts), a contact's invitation refs, the
 * invitation's contact snapshot, its response's answers, the SMS reply targets and log entries.
 * Every write is a single-item write that a retry may repeat: the erasure is idempotent because
 * each step finds what the previous run left and does nothing to what is already gone. With field
 * encryption on, a number or address is in keys hashed, and in clear in keys written before it was
 * turned on: every lookup below reads both forms, and every deletion removes both.
 */
import type { PersonCaseWays, PrivacyStore } from '../app/ports';
import type { ContactRecord } from '../domain/records';
import { identityLookups } from './contacts';
import { keys } from './keys';
import type { Item, Table } from './table';

export function privacyItems(table: Table): PrivacyStore {
  const deleteAll = async (items: readonly Item[]) => {
    await table.batchDelete(items.map((item) => ({ pk: item.pk, sk: item.sk })));
    return items.length;
  };
  /** The forms a phone number or address takes in keys (hashed, and in clear from before). */
  const formsOf = async (kind: string, value: string) => identityLookups(kind, value, await table.fields());
  const itemsUnderEach = async (partitions: readonly string[], skPrefix: string) =>
    (await Promise.all(partitions.map((partition) => table.itemsUnder(partition, skPrefix, { consistent: true })))).flat();
  /** A claim on a phone number or address, deleted in every form, where it names this contact. */
  const deleteClaims = async (kind: string, value: string, contactId: string) => {
    for (const form of await formsOf(kind, value)) {
      await table.deleteIf(keys.contactIdentity(kind, form), { ConditionExpression: 'contactId = :id', ExpressionAttributeValues: { ':id': contactId } });
    }
  };
  const deletePersonContactRefs = async (kind: 'phone' | 'email', value: string, contactId: string) => {
    for (const form of await formsOf(kind, value)) await table.delete(keys.personContact(kind, form, contactId));
  };
  /** Every partition of case refs the ways name (a number or address in both of its forms). */
  const caseRefPartitions = async (ways: PersonCaseWays) => [
    ...ways.contactIds.map((value) => keys.caseRefPartition({ kind: 'contact', value })),
    ...ways.invitationIds.map((value) => keys.caseRefPartition({ kind: 'invitation', value })),
    ...(ways.person ? (await formsOf(ways.person.kind, ways.person.value)).map((value) => keys.caseRefPartition({ kind: ways.person!.kind, value })) : []),
  ];
  return {
    async caseIdsOfPerson(ways) {
      const refs = await itemsUnderEach(await caseRefPartitions(ways), keys.caseRefPrefix);
      return [...new Set(refs.map((ref) => String(ref.caseId)))].sort();
    },

    async deleteCaseRefs(ways) {
      return deleteAll(await itemsUnderEach(await caseRefPartitions(ways), keys.caseRefPrefix));
    },

    async contactIdsOfPerson(kind, value) {
      const forms = await formsOf(kind, value);
      const refs = await itemsUnderEach(forms.map((form) => keys.personPartition(kind, form)), keys.personContactPrefix);
      // A contact made before the person index existed is still found by its identity claim.
      const claims = await Promise.all(forms.map((form) => table.get(keys.contactIdentity(kind, form), { consistent: true })));
      const ids = [...refs.map((ref) => String(ref.contactId)), ...claims.flatMap((claim) => (claim ? [String(claim.contactId)] : []))];
      return [...new Set(ids)].sort();
    },

    async invitationTokensOfPerson(kind, value) {
      const forms = await formsOf(kind, value);
      const refs = await itemsUnderEach(forms.map((form) => keys.personPartition(kind, form)), keys.personInvitationPrefix);
      return [...new Set(refs.map((ref) => String(ref.token)))];
    },

    async deletePersonInvitationRef(kind, value, token) {
      for (const form of await formsOf(kind, value)) await table.delete(keys.personInvitation(kind, form, token));
    },

    async invitationTokensOfContact(contactId) {
      const refs = await table.itemsUnder(keys.contactPartition(contactId), keys.contactInvitationPrefix, { consistent: true });
      return refs.map((ref) => String(ref.token));
    },

    async eraseInvitationContact(token, erasedAt, pending) {
      // A pending invitation leaves the work index too: nobody is to be messaged about it.
      return table.writeIf({
        update: pending
          ? {
              Key: keys.invitation(token),
              UpdateExpression: 'SET contact = :nobody, erasedAt = :at, #status = :skipped, reason = :reason REMOVE gsi2pk, gsi2sk, nextAction, dueAt',
              ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':nobody': {}, ':at': erasedAt, ':skipped': 'skipped', ':reason': 'erased', ':pending': 'pending' },
            }
          : {
              Key: keys.invitation(token),
              UpdateExpression: 'SET contact = :nobody, erasedAt = :at',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':nobody': {}, ':at': erasedAt },
            },
      });
    },

    async redactResponse(token, invitationId, answers, erasedAt) {
      const update = (Key: { pk: string; sk: string }) =>
        table.writeIf({
          update: {
            Key,
            UpdateExpression: 'SET answers = :answers, redactedAt = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':answers': answers, ':at': erasedAt },
          },
        });
      // Responses stored before they moved into their invitation's partition have their own item.
      if (!(await update(keys.response(token)))) await update(keys.legacyResponse(invitationId));
    },

    async deleteSmsReplyTargets(phone) {
      const forms = await formsOf('phone', phone);
      return deleteAll((await Promise.all(forms.map((form) => table.itemsOf(keys.smsReplyPartition(form))))).flat());
    },

    async deleteSmsLogEntries(day, invitationIds) {
      const entries = await table.itemsOf(keys.smsLogPartition(day));
      return deleteAll(entries.filter((entry) => typeof entry.invitationId === 'string' && invitationIds.has(entry.invitationId)));
    },

    async getOptOut(channel, address) {
      const item = await table.firstOf((await table.fields()).lookups(address).map((form) => keys.optOut(channel, form)));
      return item ? { optedOut: item.optedOut === true, ...(typeof item.changedAt === 'string' ? { changedAt: item.changedAt } : {}) } : undefined;
    },

    async deletePersonRef(kind, value, contactId) {
      // The claim too, where it names this contact: what an erasure interrupted after the contact left.
      await deleteClaims(kind, value, contactId);
      await deletePersonContactRefs(kind, value, contactId);
    },

    async deleteContact(contact: ContactRecord, foundBy) {
      const { contactId } = contact;
      const refs = await table.itemsUnder(keys.contactPartition(contactId), keys.contactInvitationPrefix);
      await deleteAll(refs);
      // Every way to the contact but the one the erasure came by, then the contact, then that way:
      // an erasure interrupted anywhere is found again by its retry, and nothing is left behind.
      const ways = (
        [
          ['externalId', contact.externalId],
          ['phone', contact.phone],
          ['email', contact.email],
        ] as const
      ).flatMap(([kind, value]) => (value ? [{ kind, value }] : []));
      const isFoundBy = (way: { kind: string; value: string }) => foundBy !== undefined && way.kind === foundBy.kind && way.value === foundBy.value;
      const removeWay = async ({ kind, value }: { kind: 'externalId' | 'phone' | 'email'; value: string }) => {
        // Identity claims only where they name this contact (another may own the number now).
        await deleteClaims(kind, value, contactId);
        if (kind !== 'externalId') await deletePersonContactRefs(kind, value, contactId);
      };
      for (const way of ways.filter((way) => !isFoundBy(way))) await removeWay(way);
      await table.delete(keys.contact(contactId));
      if (foundBy) await removeWay(foundBy);
    },
  };
}
