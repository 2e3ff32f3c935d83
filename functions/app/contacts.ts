/**
 * Contact import (POST /admin/contacts): JSON or CSV, each row validated on its own, idempotent by
 * identity (externalId, else phone, else e-mail): re-importing the same file changes nothing.
 */
import { contactIdentity, contentFingerprint, parseContactRows, type NormalisedContact } from '../domain/distribution/contacts';
import type { CountryCode } from '../domain/distribution/phone';
import { newId } from '../shared/ids';
import type { ContactRecord } from '../domain/records';
import type { Deps } from './deps';

export type ImportStatus = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface ImportRow {
  row: number;
  status: ImportStatus;
  contactId?: string;
  reason?: string;
}

/** Creates or updates one contact by its identity. */
export async function upsertContact(deps: Pick<Deps, 'store' | 'clock'>, contact: NormalisedContact): Promise<{ contactId: string; status: Exclude<ImportStatus, 'rejected'> }> {
  const identity = contactIdentity(contact);
  const fingerprint = contentFingerprint(contact);
  const now = deps.clock.now().toISOString();
  let contactId = await deps.store.contactIdByIdentity(identity.kind, identity.value);
  if (!contactId) contactId = await deps.store.claimContactIdentity(identity.kind, identity.value, newId('ct'));
  const existing = await deps.store.getContact(contactId);
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

export async function importContacts(deps: Pick<Deps, 'store' | 'clock' | 'config' | 'logger'>, input: { json?: unknown; csv?: string }): Promise<{ rows: ImportRow[] }> {
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
    const { contactId, status } = await upsertContact(deps, row.contact);
    rows.push({ row: row.row, status, contactId });
  }
  const counts = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  deps.logger.info('contacts imported', { counts });
  return { rows };
}
