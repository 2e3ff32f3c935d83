/**
 * Contacts, their identities (externalId, else phone: what makes imports idempotent), the
 * frequency cap's claim on the contact item, and opt-outs, which belong to the address rather than
 * to a contact (every contact with the number is covered).
 */
import type { ContactStore } from '../app/ports';
import type { ContactRecord } from '../domain/records';
import { mapPersonalFields, type FieldProtection } from '../shared/field-protection';
import { contactActivityItem, keys } from './keys';
import { itemKey, recordOf, type Item, type Table } from './table';

/** Contact fields an import may leave out: a re-import without them removes them. */
const OPTIONAL_FIELDS = ['name', 'phone', 'email', 'externalId', 'grade', 'lang'] as const;

/** The person index items of a contact: one per phone number and e-mail address it holds. */
const personRefs = (contact: Pick<ContactRecord, 'contactId' | 'phone' | 'email'>, fields: FieldProtection) =>
  (['phone', 'email'] as const).flatMap((kind) => {
    const value = contact[kind];
    return value ? [{ ...keys.personContact(kind, fields.lookup(value), contact.contactId), entity: 'PersonContact', contactId: contact.contactId }] : [];
  });

/**
 * The forms an identity's value takes in keys: an external id is not personal data and stays as
 * it is; a phone number or e-mail address is hashed while encryption is on (older keys in clear).
 */
export const identityLookups = (kind: string, value: string, fields: FieldProtection): string[] => (kind === 'externalId' ? [value] : fields.lookups(value));
export const identityLookup = (kind: string, value: string, fields: FieldProtection): string => (kind === 'externalId' ? value : fields.lookup(value));

/** A contact item's record, its personal fields opened. */
export const contactOf = (item: Item | undefined, fields: FieldProtection): ContactRecord | undefined => {
  const record = recordOf<ContactRecord>(item);
  return record && mapPersonalFields(record, fields.open);
};

export function contactItems(table: Table): ContactStore {
  const contactIdByIdentity = async (kind: string, value: string) => {
    const fields = await table.fields();
    const item = await table.firstOf(identityLookups(kind, value, fields).map((form) => keys.contactIdentity(kind, form)));
    return item ? String(item.contactId) : undefined;
  };
  /** The opt-out item of an address: the one written in the current form, else an older one in clear. */
  const optOutItem = async (channel: string, address: string, fields: FieldProtection) =>
    table.firstOf(fields.lookups(address).map((form) => keys.optOut(channel, form)));
  return {
    contactIdByIdentity,

    async getContact(contactId) {
      return contactOf(await table.get(keys.contact(contactId), { consistent: true }), await table.fields());
    },

    async claimContactIdentity(kind, value, contactId) {
      const fields = await table.fields();
      // A claim written in clear before encryption was turned on still names its contact.
      const [current, ...older] = identityLookups(kind, value, fields);
      for (const form of older) {
        const claimed = await table.get(keys.contactIdentity(kind, form), { consistent: true });
        if (claimed) return String(claimed.contactId);
      }
      if ((await table.putIfAbsent({ ...keys.contactIdentity(kind, current!), entity: 'ContactIdentity', contactId })) === 'created') return contactId;
      return (await contactIdByIdentity(kind, value)) ?? contactId;
    },

    // An update, not a put: the frequency cap's claim (lastInvitedAt, lastInvitedBy) belongs to the
    // sender and is never touched by an import, even one racing it.
    async putContact(contact) {
      const protection = await table.fields();
      const { lastInvitedAt: _at, lastInvitedBy: _by, contactId, createdAt, ...content } = contact;
      const fields: Record<string, unknown> = { ...mapPersonalFields(content, protection.seal), ...keys.contactByUnit(contact.orgUnitId, contactId), entity: 'Contact', contactId };
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
      await table.batchPut([...personRefs(contact, protection), contactActivityItem(contactId, contact.updatedAt)]);
      await table.update({
        Key: keys.contact(contactId),
        UpdateExpression: `SET ${[...set, '#createdAt = if_not_exists(#createdAt, :createdAt)'].join(', ')}${absent.length ? ` REMOVE ${absent.map((f) => `#${f}`).join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
    },

    async listContactsOfUnit(orgUnitId) {
      const [items, fields] = await Promise.all([table.itemsOf(keys.contactsOfUnit(orgUnitId), 'gsi1'), table.fields()]);
      return items.map((item) => contactOf(item, fields) as ContactRecord);
    },

    async contactsOfUnitPage(orgUnitId, limit, after) {
      const partition = keys.contactsOfUnit(orgUnitId);
      const start = after ? { ...keys.contact(after), ...keys.contactByUnit(orgUnitId, after) } : undefined;
      const [{ items, lastKey }, fields] = await Promise.all([
        table.queryPage({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': partition }, Limit: limit }, start),
        table.fields(),
      ]);
      return { contacts: items.map((item) => contactOf(item, fields) as ContactRecord), more: lastKey !== undefined };
    },

    async getContacts(contactIds) {
      const [found, fields] = await Promise.all([table.batchGet(contactIds.map((id) => keys.contact(id)), { consistent: true }), table.fields()]);
      return contactIds.flatMap((id) => {
        const contact = contactOf(found.get(itemKey(keys.contact(id))), fields);
        return contact ? [contact] : [];
      });
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
      return (await optOutItem(channel, address, await table.fields()))?.optedOut === true;
    },

    async setOptOut(channel, address, optedOut, at) {
      const fields = await table.fields();
      const current = keys.optOut(channel, fields.lookup(address));
      // An opt-out stored in clear before encryption was turned on moves to the current key first,
      // so the change below is conditional on the state the person last chose, wherever it was kept.
      const found = await optOutItem(channel, address, fields);
      if (found && found.pk !== current.pk) {
        await table.putIfAbsent({ ...found, ...current });
        await table.delete({ pk: String(found.pk), sk: String(found.sk) });
      }
      return table.writeIf({
        update: {
          Key: current,
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
