/**
 * GET /admin/contacts?query=&cursor=&limit=: the contacts of the caller's units, unit by unit in
 * tree order and by id within a unit, masked unless the caller sees personal data. `query` finds
 * a person by phone number or e-mail address (the person index: one lookup, whatever field
 * encryption does to the stored values), by external id (exact), or by name (read and compared
 * here, since a sealed name cannot be searched in the table): a part of it for a caller with pii,
 * the whole name otherwise. A page reads at most a
 * bounded number of units and contacts: it may hold fewer than `limit`, with a cursor to go on.
 */
import type { CountryCode } from '../domain/distribution/phone';
import { normalisePhone } from '../domain/distribution/phone';
import { invalid, problemsFromZod } from '../domain/errors';
import type { ContactRecord } from '../domain/records';
import * as z from '../domain/zod';
import { maskEmail, maskName, maskPhone } from '../shared/privacy';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import { decodePageCursor, encodePageCursor, pageQueryShape } from './list-pages';

const DEFAULT_PAGE_SIZE = 50;
/** What one page may read at most while filtering by name: units queried, contacts compared. */
const MAX_UNITS_PER_PAGE = 25;
const MAX_CONTACTS_READ_PER_PAGE = 1000;

const searchSchema = z.strictObject({
  ...pageQueryShape,
  query: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
});

/** A contact as the list shows it (name, phone and e-mail masked unless the caller has pii). */
export type ContactView = Pick<ContactRecord, 'contactId' | 'orgUnitId' | 'name' | 'phone' | 'email' | 'externalId' | 'grade' | 'lang' | 'timeZone' | 'attributes' | 'updatedAt'> & {
  /** Per channel: whether the person's address there is opted out. */
  optedOut: { sms?: boolean };
};

/** Where a page stopped: the unit it was reading and the last contact it handed out there. */
const cursorSchema = z.strictObject({ unit: z.string().check(z.minLength(1), z.maxLength(128)), after: z.optional(z.string().check(z.minLength(1), z.maxLength(128))) });

const encode = (position: z.infer<typeof cursorSchema>) => encodePageCursor(position);
const decode = (cursor: string) => decodePageCursor(cursor, cursorSchema);

async function viewOf(deps: Pick<Deps, 'store'>, contact: ContactRecord, pii: boolean): Promise<ContactView> {
  const optedOut = contact.phone ? { sms: await deps.store.isOptedOut('sms', contact.phone) } : {};
  const shown = (value: string | undefined, mask: (value: string) => string) => (value === undefined ? undefined : pii ? value : mask(value));
  const name = shown(contact.name, maskName);
  const phone = shown(contact.phone, maskPhone);
  const email = shown(contact.email, maskEmail);
  return {
    contactId: contact.contactId,
    orgUnitId: contact.orgUnitId,
    ...(name !== undefined ? { name } : {}),
    ...(phone !== undefined ? { phone } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(contact.externalId ? { externalId: contact.externalId } : {}),
    ...(contact.grade ? { grade: contact.grade } : {}),
    ...(contact.lang ? { lang: contact.lang } : {}),
    timeZone: contact.timeZone,
    attributes: contact.attributes,
    optedOut,
    updatedAt: contact.updatedAt,
  };
}

const looksLikeAddress = (deps: Pick<Deps, 'config'>, query: string) => query.includes('@') || asPhone(deps, query) !== undefined;
const asPhone = (deps: Pick<Deps, 'config'>, query: string): string | undefined => {
  if (!/^[+\d][\d\s()-]{5,}$/.test(query)) return undefined;
  const phone = normalisePhone(query, deps.config.defaultRegion as CountryCode);
  return phone.ok ? phone.e164 : undefined;
};

/** The contacts a query names directly: by phone or e-mail (the person index), else by external id. */
async function directMatches(deps: Pick<Deps, 'store' | 'config'>, query: string): Promise<ContactRecord[] | undefined> {
  // The person index may still name a contact whose number or address has changed since: only
  // contacts that hold it now are matches.
  if (query.includes('@')) {
    const email = query.toLowerCase();
    return (await deps.store.getContacts(await deps.store.contactIdsOfPerson('email', email))).filter((contact) => contact.email === email);
  }
  const phone = asPhone(deps, query);
  if (phone) return (await deps.store.getContacts(await deps.store.contactIdsOfPerson('phone', phone))).filter((contact) => contact.phone === phone);
  const byExternalId = await deps.store.contactIdByIdentity('externalId', query);
  return byExternalId ? deps.store.getContacts([byExternalId]) : undefined;
}

export async function searchContacts(deps: Pick<Deps, 'store' | 'config'>, query: unknown, access: AccessCheck): Promise<{ contacts: ContactView[]; cursor?: string }> {
  const parsed = searchSchema.safeParse(query);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid contact search');
  const { limit = DEFAULT_PAGE_SIZE, cursor, query: text } = parsed.data;
  const scope = await access.scope();
  if (text && !cursor) {
    const direct = await directMatches(deps, text);
    // A number or an address is looked up, never searched for in names.
    if (direct && (direct.length > 0 || looksLikeAddress(deps, text))) {
      const inScope = direct.filter((contact) => scope.covers(contact.orgUnitId)).slice(0, limit);
      return { contacts: await Promise.all(inScope.map((contact) => viewOf(deps, contact, access.pii))) };
    }
  }
  // Every unit of the scope, in tree order; a page goes on from where the cursor says.
  const units: string[] = [];
  const visit = (id: string) => {
    if (scope.covers(id)) units.push(id);
    scope.tree.children(id).forEach(visit);
  };
  scope.tree.roots.forEach(visit);
  const position = cursor ? decode(cursor) : units[0] ? { unit: units[0] } : undefined;
  let index = position ? units.indexOf(position.unit) : -1;
  if (position && index < 0) throw invalid([{ path: 'cursor', message: 'the cursor is not one this list gave out' }], 'invalid cursor');
  let after = position?.after;
  // Without pii a name is matched whole, never by a part: a part could be grown one character at
  // a time until the masked name is known.
  const needle = text?.toLowerCase();
  const matchesName = (name: string | undefined) => name !== undefined && needle !== undefined && (access.pii ? name.toLowerCase().includes(needle) : name.toLowerCase() === needle);
  const found: ContactRecord[] = [];
  let read = 0;
  let unitsRead = 0;
  while (index >= 0 && index < units.length && found.length < limit && unitsRead < MAX_UNITS_PER_PAGE && read < MAX_CONTACTS_READ_PER_PAGE) {
    const unit = units[index]!;
    const page = await deps.store.contactsOfUnitPage(unit, needle ? Math.min(200, MAX_CONTACTS_READ_PER_PAGE - read) : limit - found.length, after);
    unitsRead++;
    read += page.contacts.length;
    for (const contact of page.contacts) {
      after = contact.contactId;
      if (needle && !matchesName(contact.name)) continue;
      found.push(contact);
      if (found.length === limit) break;
    }
    const unitDone = !page.more && (found.length < limit || after === page.contacts.at(-1)?.contactId);
    if (unitDone) {
      index++;
      after = undefined;
    }
  }
  const next = index >= 0 && index < units.length ? encode({ unit: units[index]!, ...(after ? { after } : {}) }) : undefined;
  return { contacts: await Promise.all(found.map((contact) => viewOf(deps, contact, access.pii))), ...(next ? { cursor: next } : {}) };
}
