/**
 * A CSV of service events as the bodies of POST /admin/service-events, one per data row, so an
 * import through the console is what a script posting the rows one by one does. Columns eventId,
 * type, orgUnitId, staffId, contactId, occurredAt, closedAt are the event's own; name, phone,
 * email, externalId and grade describe its contact (when there is no contactId); every other
 * column is one of the event's fields (reportedAt, handledAt, ...). Empty cells are left out.
 * Loaded only when a file is imported (it brings the CSV parser).
 */
import { parseCsvTable } from '../functions/domain/csv';

const EVENT_COLUMNS = ['eventId', 'type', 'orgUnitId', 'staffId', 'contactId', 'occurredAt', 'closedAt'];
const CONTACT_COLUMNS = ['name', 'phone', 'email', 'externalId', 'grade'];
const byLowerName = new Map([...EVENT_COLUMNS, ...CONTACT_COLUMNS].map((column) => [column.toLowerCase(), column]));

export function serviceEventsFromCsv(text: string): Record<string, unknown>[] {
  const table = parseCsvTable(text);
  const columns = table.columns.map((header) => ({ header, field: byLowerName.get(header.trim().toLowerCase()) ?? header.trim() }));
  return table.rows.map((row) => {
    const event: Record<string, unknown> = {};
    const contact: Record<string, string> = {};
    for (const { header, field } of columns) {
      const cell = (row[header] ?? '').trim();
      if (cell === '') continue;
      if (CONTACT_COLUMNS.includes(field)) contact[field] = cell;
      else event[field] = cell;
    }
    // The contact belongs to the event's unit (the route puts it there).
    if (event.contactId === undefined && Object.keys(contact).length > 0) event.contact = contact;
    return event;
  });
}
