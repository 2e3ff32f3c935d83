/**
 * Contacts: the people a campaign reaches. Input rows (JSON or CSV) are validated one by one and
 * normalised: phone numbers to E.164 (./phone.ts), e-mail addresses to lower case, time
 * zones to their canonical IANA names, language tags to their canonical case. Rules:
 * docs/distribution-rules.md.
 */
import { createHash } from 'node:crypto';
import * as z from '../zod';
import { exactNumberSchema, isReservedKey, LANGUAGE_TAG_PATTERN } from '../primitives';
import { parseCsvTable } from '../csv';
import { invalid, problemsFromZod, type Problem } from '../errors';
import { canonicalJson } from '../canonical-json';
import { DEFAULT_PHONE_REGION, normalisePhone, type CountryCode } from './phone';
import { DEFAULT_TIME_ZONE, canonicalTimeZone, timeZoneSchema } from './time';

/** Limits that keep one contact row small. */
export const CONTACT_LIMITS = { attributes: 50, attributeKey: 64, attributeValue: 500 } as const;

/** The CSV columns that are contact fields; every other column is an attribute. */
export const CONTACT_COLUMNS = ['name', 'phone', 'email', 'orgUnitId', 'externalId', 'grade', 'timeZone', 'lang'] as const;

const languageTag = z.pipe(
  z.string().check(z.trim(), z.regex(LANGUAGE_TAG_PATTERN, { error: 'expected a language tag such as zh-CN or en' })),
  z.transform((tag) => {
    try {
      return Intl.getCanonicalLocales(tag)[0] ?? tag;
    } catch {
      return tag;
    }
  }),
);

const attributeValue = z.union([z.string().check(z.maxLength(CONTACT_LIMITS.attributeValue)), exactNumberSchema, z.boolean()]);

export const attributesSchema = z
  .record(
    z.string().check(
      z.trim(),
      z.minLength(1, { error: 'an attribute name must not be empty' }),
      z.maxLength(CONTACT_LIMITS.attributeKey),
      z.refine((name) => !isReservedKey(name), { error: 'this attribute name is reserved; choose another' }),
    ),
    attributeValue,
  )
  .check(z.refine((attributes) => Object.keys(attributes).length <= CONTACT_LIMITS.attributes, { error: `at most ${CONTACT_LIMITS.attributes} attributes` }));

/** One contact as posted (JSON) or read from a CSV row. At least one of phone and email. */
export const contactInputSchema = z
  .strictObject({
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    /** Any format libphonenumber-js understands; national numbers are read in the default region. */
    phone: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
    email: z.optional(z.pipe(z.string().check(z.trim(), z.maxLength(254)), z.email({ error: 'not a valid e-mail address' }))),
    orgUnitId: z
      .string({ error: (issue) => (issue.input === undefined ? 'required' : 'expected a string') })
      .check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected 1-64 letters, digits, "_", "." or "-"' })),
    /** The caller's own id for the person (CRM id, policy holder id): the idempotency key when given. */
    externalId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))),
    /** Customer grade (客户分级), e.g. A/B/C or 1/2/3. */
    grade: z.optional(z.pipe(z.union([z.string().check(z.trim(), z.minLength(1), z.maxLength(32)), z.int()]), z.transform(String))),
    timeZone: z._default(timeZoneSchema, DEFAULT_TIME_ZONE),
    lang: z.optional(languageTag),
    attributes: z.optional(attributesSchema),
  })
  .check(z.refine((contact) => contact.phone !== undefined || contact.email !== undefined, { error: 'give a phone number or an e-mail address', path: ['phone'] }));

export type ContactInput = z.input<typeof contactInputSchema>;
export type AttributeValue = string | number | boolean;

/** A validated contact: phone in E.164, e-mail in lower case, zone and language canonical. */
export interface NormalisedContact {
  orgUnitId: string;
  timeZone: string;
  attributes: Record<string, AttributeValue>;
  name?: string;
  phone?: string;
  email?: string;
  externalId?: string;
  grade?: string;
  lang?: string;
}

export type ContactResult = { ok: true; contact: NormalisedContact } | { ok: false; problems: Problem[] };

/** Blank strings are absent values: an empty CSV cell or "" in JSON is the same as leaving it out. */
function dropBlanks(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input as Record<string, unknown>).filter(([, value]) => !(typeof value === 'string' && value.trim() === '')));
}

/** Validates and normalises one contact. */
export function normaliseContact(input: unknown, options: { defaultRegion?: CountryCode } = {}): ContactResult {
  const parsed = contactInputSchema.safeParse(dropBlanks(input));
  if (!parsed.success) {
    // An unknown key is reported under its own name ("foo: unknown field"), not under the root.
    const problems = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' && issue.path.length === 0 ? issue.keys.map((key) => ({ path: key, message: 'unknown field' })) : problemsFromZod([issue]),
    );
    return { ok: false, problems };
  }
  const value = parsed.data;
  let phone: string | undefined;
  if (value.phone !== undefined) {
    const result = normalisePhone(value.phone, options.defaultRegion ?? DEFAULT_PHONE_REGION);
    if (!result.ok) return { ok: false, problems: [{ path: 'phone', message: result.reason }] };
    phone = result.e164;
  }
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, attribute] of Object.entries(value.attributes ?? {})) attributes[key.trim()] = typeof attribute === 'string' ? attribute.trim() : attribute;
  const contact: NormalisedContact = {
    orgUnitId: value.orgUnitId,
    timeZone: canonicalTimeZone(value.timeZone),
    attributes,
    ...(value.name !== undefined ? { name: value.name } : {}),
    ...(phone !== undefined ? { phone } : {}),
    ...(value.email !== undefined ? { email: value.email.toLowerCase() } : {}),
    ...(value.externalId !== undefined ? { externalId: value.externalId } : {}),
    ...(value.grade !== undefined ? { grade: value.grade } : {}),
    ...(value.lang !== undefined ? { lang: value.lang } : {}),
  };
  return { ok: true, contact };
}

export interface ContactRow {
  /** 1-based number of the data row (the CSV header and blank lines are not counted). */
  row: number;
  contact?: NormalisedContact;
  /** Why the row was rejected: `column: message`, several joined by "; ". */
  reason?: string;
  problems?: Problem[];
}

/** The attribute-free CSV columns, matched case-insensitively (OrgUnitID reads as orgUnitId). */
const columnByLowerName = new Map<string, string>(CONTACT_COLUMNS.map((column) => [column.toLowerCase(), column]));

/** CSV rows as contact inputs: known columns become fields, every other column an attribute (non-empty cells only). */
function csvInputs(text: string): unknown[] {
  let table: ReturnType<typeof parseCsvTable>;
  try {
    table = parseCsvTable(text);
  } catch (error) {
    throw invalid([{ path: 'csv', message: (error as Error).message }], 'the CSV file cannot be read');
  }
  if (table.rowNames) throw invalid([{ path: 'csv', message: 'the first header cell is empty; every column needs a name' }], 'the CSV file cannot be read');
  const seen = new Map<string, string>();
  const mapping = table.columns.map((header) => {
    const trimmed = header.trim();
    const field = columnByLowerName.get(trimmed.toLowerCase());
    const key = field ?? trimmed;
    if (!trimmed) throw invalid([{ path: 'csv', message: 'a header cell is empty; every column needs a name' }], 'the CSV file cannot be read');
    const previous = seen.get(key.toLowerCase());
    if (previous !== undefined) throw invalid([{ path: 'csv', message: `columns "${previous}" and "${header}" name the same field` }], 'the CSV file cannot be read');
    seen.set(key.toLowerCase(), header);
    return { header, field, key };
  });
  return table.rows.map((cells) => {
    const input: Record<string, unknown> = {};
    // No prototype: a column named "__proto__" is an attribute (refused by name), not a setter.
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const { header, field, key } of mapping) {
      const cell = (cells[header] ?? '').trim();
      if (cell === '') continue;
      if (field) input[field] = cell;
      else attributes[key] = cell;
    }
    if (Object.keys(attributes).length > 0) input.attributes = attributes;
    return input;
  });
}

function jsonInputs(json: unknown): unknown[] {
  if (!json || typeof json !== 'object' || Array.isArray(json) || !Array.isArray((json as { contacts?: unknown }).contacts)) {
    throw invalid([{ path: 'contacts', message: 'expected {"contacts": [...]}' }]);
  }
  const extra = Object.keys(json).filter((key) => key !== 'contacts');
  if (extra.length > 0) throw invalid(extra.map((key) => ({ path: key, message: 'unknown key' })));
  return (json as { contacts: unknown[] }).contacts;
}

/**
 * Contact rows from a JSON body ({"contacts": [...]}) or a CSV text with a header row. Each row is
 * validated on its own: good rows carry `contact`, bad rows `reason` (e.g.
 * `phone: not a valid number for region CN`). A row whose identity (contactIdentity) repeats an
 * earlier row of the same upload is rejected as a duplicate. Throws a validation DomainError only
 * when the input as a whole is unreadable (no/both inputs, malformed CSV, wrong JSON shape).
 * Whether each org unit exists is the caller's check.
 */
export function parseContactRows(input: { json?: unknown; csv?: string }, options: { defaultRegion?: CountryCode } = {}): ContactRow[] {
  const hasJson = input.json !== undefined;
  const hasCsv = input.csv !== undefined;
  if (hasJson === hasCsv) throw invalid([{ path: '(root)', message: 'give either a JSON body or a CSV text' }]);
  const inputs = hasCsv ? csvInputs(input.csv ?? '') : jsonInputs(input.json);
  const firstRowOf = new Map<string, number>();
  return inputs.map((raw, index) => {
    const row = index + 1;
    const result = normaliseContact(raw, options);
    if (!result.ok) return { row, reason: result.problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems: result.problems };
    const identity = contactIdentity(result.contact);
    const key = `${identity.kind}:${identity.value}`;
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      const problems = [{ path: identity.kind, message: `duplicate of row ${first}` }];
      return { row, reason: `${identity.kind}: duplicate of row ${first}`, problems };
    }
    firstRowOf.set(key, row);
    return { row, contact: result.contact };
  });
}

export type ContactIdentity = { kind: 'externalId' | 'phone' | 'email'; value: string };

/** The idempotency key of a contact: its externalId, else its E.164 phone, else its e-mail address. */
export function contactIdentity(contact: Pick<NormalisedContact, 'externalId' | 'phone' | 'email'>): ContactIdentity {
  if (contact.externalId) return { kind: 'externalId', value: contact.externalId };
  if (contact.phone) return { kind: 'phone', value: contact.phone };
  if (contact.email) return { kind: 'email', value: contact.email };
  throw new RangeError('a contact needs an externalId, a phone number or an e-mail address');
}

/** The contact's fields as canonical JSON (sorted keys, absent fields left out). */
export function canonicalContact(contact: NormalisedContact): string {
  return canonicalJson(contact);
}

/**
 * A stable fingerprint (sha256 hex of canonicalContact) of everything a contact says: equal
 * fingerprints mean "unchanged", different ones "updated". Key order and omitted defaults do not
 * matter (the default time zone is filled in before hashing).
 */
export function contentFingerprint(contact: NormalisedContact): string {
  return createHash('sha256').update(canonicalContact(contact)).digest('hex');
}
