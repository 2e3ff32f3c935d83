/**
 * Sealing what was written before field encryption was turned on (../shared/field-protection.ts):
 * a resumable pass over the table, page by page, that seals the clear personal fields of contacts
 * and invitation snapshots, and moves every item whose key holds a phone number or address in
 * clear to the key's hashed form. Each change is a single-item write that a repeat may redo:
 * fields are sealed on condition that they still hold the clear value read (an import in between
 * wins), and a key is moved by a put-if-absent of the hashed item (one already there is newer)
 * before the clear one is deleted, so a crash in between leaves both forms, which every lookup
 * reads, and the next run finishes the move.
 */
import type { FieldSealingStore } from '../app/ports';
import { isSealed, type FieldProtection } from '../shared/field-protection';
import { keys } from './keys';
import type { Item, Key, Table } from './table';

const PERSONAL_FIELDS = ['name', 'phone', 'email'] as const;
const isHashed = (value: string) => value.startsWith('h1:');

/** The hashed key of an item whose key holds a number or address in clear, or undefined. */
function hashedKeyOf(item: Item, fields: FieldProtection): Key | undefined {
  const pk = String(item.pk);
  const sk = String(item.sk);
  const withValue = (value: string, rebuild: (hashed: string) => Key) => (value && !isHashed(value) ? rebuild(fields.lookup(value)) : undefined);
  for (const kind of ['phone', 'email'] as const) {
    const identity = `CONTACT_ID#${kind}#`;
    if (pk.startsWith(identity)) return withValue(pk.slice(identity.length), (hashed) => keys.contactIdentity(kind, hashed));
    const person = `PERSON#${kind}#`;
    if (pk.startsWith(person)) return withValue(pk.slice(person.length), (hashed) => ({ pk: keys.personPartition(kind, hashed), sk }));
  }
  if (pk.startsWith('OPTOUT#')) {
    const [, channel = '', ...address] = pk.split('#');
    return withValue(address.join('#'), (hashed) => keys.optOut(channel, hashed));
  }
  if (pk.startsWith('SMSREPLY#')) return withValue(pk.slice('SMSREPLY#'.length), (hashed) => ({ pk: keys.smsReplyPartition(hashed), sk }));
  if (pk.startsWith('HELPREPLY#')) {
    const rest = pk.slice('HELPREPLY#'.length);
    const day = rest.slice(rest.lastIndexOf('#') + 1);
    return withValue(rest.slice(0, rest.lastIndexOf('#')), (hashed) => keys.helpReply(hashed, day));
  }
  return undefined;
}

/** The update that seals the clear personal fields of a record at `path` (the item, or its contact snapshot). */
function sealingUpdate(key: Key, record: Record<string, unknown>, path: string | undefined, fields: FieldProtection) {
  const clear = PERSONAL_FIELDS.filter((field) => typeof record[field] === 'string' && !isSealed(record[field] as string));
  if (clear.length === 0) return undefined;
  const names: Record<string, string> = path ? { '#path': path } : {};
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const conditions: string[] = [];
  for (const field of clear) {
    const ref = `${path ? '#path.' : ''}#${field}`;
    names[`#${field}`] = field;
    values[`:${field}`] = fields.seal(record[field] as string);
    values[`:${field}Clear`] = record[field];
    set.push(`${ref} = :${field}`);
    conditions.push(`${ref} = :${field}Clear`);
  }
  return { Key: key, UpdateExpression: `SET ${set.join(', ')}`, ConditionExpression: conditions.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

export function fieldSealingItems(table: Table): FieldSealingStore {
  return {
    async sealClearFieldsPage(cursor, limit) {
      const fields = await table.fields();
      if (!fields.sealing) throw new Error('field encryption is off: nothing is to be sealed');
      const { items, lastKey } = await table.scanPage(limit, cursor ? (JSON.parse(cursor) as Key) : undefined);
      let sealed = 0;
      let moved = 0;
      for (const item of items) {
        const key = { pk: String(item.pk), sk: String(item.sk) };
        const hashed = hashedKeyOf(item, fields);
        if (hashed) {
          const created = await table.putIfAbsent({ ...item, ...hashed });
          // An erasure between this page's read and the put deleted the clear item (and the hashed
          // one): the copy made from the stale read goes too, so nothing erased comes back.
          if (created === 'created' && !(await table.get(key, { consistent: true }))) await table.delete(hashed);
          else await table.delete(key);
          moved++;
          continue;
        }
        const update =
          item.entity === 'Contact' && item.sk === 'CONTACT'
            ? sealingUpdate(key, item, undefined, fields)
            : item.entity === 'Invitation' && item.sk === keys.invitationSk && item.contact && typeof item.contact === 'object'
              ? sealingUpdate(key, item.contact as Record<string, unknown>, 'contact', fields)
              : undefined;
        if (update && (await table.writeIf({ update }))) sealed++;
      }
      return { sealed, moved, ...(lastKey ? { cursor: JSON.stringify(lastKey) } : {}) };
    },

    async fieldsSealedAt() {
      const item = await table.get(keys.fieldKey, { consistent: true });
      return typeof item?.clearSealedAt === 'string' ? item.clearSealedAt : undefined;
    },

    async markFieldsSealed(at) {
      await table.update({ Key: keys.fieldKey, UpdateExpression: 'SET clearSealedAt = :at, entity = :entity', ExpressionAttributeValues: { ':at': at, ':entity': 'FieldKey' } });
    },
  };
}
