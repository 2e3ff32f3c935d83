/**
 * Contact import (POST /admin/contacts): JSON or CSV, each row validated on its own, idempotent by
 * identity (externalId, else phone, else e-mail): re-importing the same file changes nothing.
 */
import { contactIdentity, contentFingerprint, parseContactRows, type NormalisedContact } from '../domain/distribution/contacts';
import type { CountryCode } from '../domain/distribution/phone';
import { newId } from '../shared/ids';
import type { ContactRecord } from '../domain/records';
import { DomainError, forbidden } from '../domain/errors';
import type { AccessCheck } from './access';
import type { Deps } from './deps';

export type ImportStatus = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface ImportRow {
  row: number;
  status: ImportStatus;
  contactId?: string;
  reason?: string;
}

/**
 * Creates or updates one contact by its identity. With `access`, a contact that exists in a unit
 * outside the caller's scope is refused (403): the same phone or e-mail must not move someone
 * else's contact into the caller's unit.
 */
export async function upsertContact(
  deps: Pick<Deps, 'store' | 'clock'>,
  contact: NormalisedContact,
  access?: AccessCheck,
): Promise<{ contactId: string; status: Exclude<ImportStatus, 'rejected'> }> {
  const identity = contactIdentity(contact);
  const fingerprint = contentFingerprint(contact);
  const now = deps.clock.now().toISOString();
  let contactId = await deps.store.contactIdByIdentity(identity.kind, identity.value);
  if (!contactId) contactId = await deps.store.claimContactIdentity(identity.kind, identity.value, newId('ct'));
  const existing = await deps.store.getContact(contactId);
  if (existing && access && existing.orgUnitId !== contact.orgUnitId && !(await access.covers(existing.orgUnitId))) {
    throw forbidden('this contact belongs to a unit outside your scope');
  }
  if (existing && existing.fingerprint === fingerprint) return { contactId, status: 'unchanged' };
  const record: ContactRecord = {
    contactId,
    ...contact,
    fingerprint,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.store.putContact(record);
  return { contactId, status: existing ? 'updated' : 'created' };
}

/** Rows for units outside the caller's scope are rejected one by one; the others are kept. */
export async function importContacts(
  deps: Pick<Deps, 'store' | 'clock' | 'config' | 'logger'>,
  input: { json?: unknown; csv?: string },
  access?: AccessCheck,
): Promise<{ rows: ImportRow[] }> {
  const parsed = parseContactRows(input, { defaultRegion: deps.config.defaultRegion as CountryCode });
  const units = new Set((await deps.store.listOrgUnits()).map((unit) => unit.id));
  const rows: ImportRow[] = [];
  for (const row of parsed) {
    if (!row.contact) {
      rows.push({ row: row.row, status: 'rejected', reason: row.reason ?? 'invalid row' });
      continue;
    }
    if (!units.has(row.contact.orgUnitId)) {
      rows.push({ row: row.row, status: 'rejected', reason: `orgUnitId: unknown organisation unit "${row.contact.orgUnitId}"` });
      continue;
    }
    if (access && !(await access.covers(row.contact.orgUnitId))) {
      rows.push({ row: row.row, status: 'rejected', reason: `orgUnitId: "${row.contact.orgUnitId}" is outside your scope` });
      continue;
    }
    try {
      const { contactId, status } = await upsertContact(deps, row.contact, access);
      rows.push({ row: row.row, status, contactId });
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'forbidden')) throw error;
      rows.push({ row: row.row, status: 'rejected', reason: error.message });
    }
  }
  const counts = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  deps.logger.info('contacts imported', { counts });
  return { rows };
}
