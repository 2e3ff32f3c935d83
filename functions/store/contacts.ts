/**
 * Contacts, their identities (externalId, else phone: what makes imports idempotent), the
 * frequency cap's claim on the contact item, and opt-outs, which belong to the address rather than
 * to a contact (every contact with the number is covered).
 */
import type { ContactStore } from '../app/ports';
import type { ContactRecord } from '../domain/records';
import { contactActivityItem, keys } from './keys';
import { recordOf, type Table } from './table';

/** Contact fields an import may leave out: a re-import without them removes them. */
const OPTIONAL_FIELDS = ['name', 'phone', 'email', 'externalId', 'grade', 'lang'] as const;

/** The person index items of a contact: one per phone number and e-mail address it holds. */
export const personRefs = (contact: Pick<ContactRecord, 'contactId' | 'phone' | 'email'>) =>
  (['phone', 'email'] as const).flatMap((kind) => {
    const value = contact[kind];
    return value ? [{ ...keys.personContact(kind, value, contact.contactId), entity: 'PersonContact', contactId: contact.contactId }] : [];
  });

export function contactItems(table: Table): ContactStore {
  const contactIdByIdentity = async (kind: string, value: string) => {
    const item = await table.get(keys.contactIdentity(kind, value), { consistent: true });
    return item ? String(item.contactId) : undefined;
  };
  return {
    contactIdByIdentity,

    async getContact(contactId) {
      return recordOf<ContactRecord>(await table.get(keys.contact(contactId), { consistent: true }));
    },

    async claimContactIdentity(kind, value, contactId) {
      if ((await table.putIfAbsent({ ...keys.contactIdentity(kind, value), entity: 'ContactIdentity', contactId })) === 'created') return contactId;
      return (await contactIdByIdentity(kind, value)) ?? contactId;
    },

    // An update, not a put: the frequency cap's claim (lastInvitedAt, lastInvitedBy) belongs to the
    // sender and is never touched by an import, even one racing it.
    async putContact(contact) {
      const { lastInvitedAt: _at, lastInvitedBy: _by, contactId, createdAt, ...content } = contact;
      const fields: Record<string, unknown> = { ...content, ...keys.contactByUnit(contact.orgUnitId, contactId), entity: 'Contact', contactId };
      const absent = OPTIONAL_FIELDS.filter((field) => fields[field] === undefined);
      const names: Record<string, string> = { '#createdAt': 'createdAt' };
      const values: Record<string, unknown> = { ':createdAt': createdAt };
      const set = Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([field, value]) => {
          names[`#${field}`] = field;
          values[`:${field}`] = value;
          return `#${field} = :${field}`;
        });
      absent.forEach((field) => (names[`#${field}`] = field));
      // Before the contact: a person is found by phone or e-mail whatever the contact's identity,
      // and the retention purge finds a contact by the month it was last active.
      await table.batchPut([...personRefs(contact), contactActivityItem(contactId, contact.updatedAt)]);
      await table.update({
        Key: keys.contact(contactId),
        UpdateExpression: `SET ${[...set, '#createdAt = if_not_exists(#createdAt, :createdAt)'].join(', ')}${absent.length ? ` REMOVE ${absent.map((f) => `#${f}`).join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
    },

    async listContactsOfUnit(orgUnitId) {
      const items = await table.itemsOf(keys.contactsOfUnit(orgUnitId), 'gsi1');
      return items.map((item) => recordOf<ContactRecord>(item) as ContactRecord);
    },

    async claimFrequencySlot(contactId, invitationId, now, windowStart) {
      const claimed = await table.writeIf({
        update: {
          Key: keys.contact(contactId),
          UpdateExpression: 'SET lastInvitedAt = :now, lastInvitedBy = :invitation',
          // The invitation that holds the slot may claim it again (a retried send is not a second invitation).
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastInvitedAt) OR lastInvitedAt < :windowStart OR lastInvitedBy = :invitation)',
          ExpressionAttributeValues: { ':now': now, ':windowStart': windowStart, ':invitation': invitationId },
        },
      });
      // An invitation is activity: the contact is kept for the retention period from now.
      if (claimed) await table.put(contactActivityItem(contactId, now));
      return claimed;
    },

    async isOptedOut(channel, address) {
      return (await table.get(keys.optOut(channel, address), { consistent: true }))?.optedOut === true;
    },

    async setOptOut(channel, address, optedOut, at) {
      return table.writeIf({
        update: {
          Key: keys.optOut(channel, address),
          UpdateExpression: 'SET optedOut = :state, changedAt = :at, entity = :entity',
          ConditionExpression: optedOut ? 'attribute_not_exists(optedOut) OR optedOut = :false' : 'optedOut = :true',
          ExpressionAttributeValues: optedOut
            ? { ':state': true, ':at': at, ':entity': 'OptOut', ':false': false }
            : { ':state': false, ':at': at, ':entity': 'OptOut', ':true': true },
        },
      });
    },
  };
}
