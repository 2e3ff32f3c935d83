/**
 * Cases: one item each (the record with its timeline and timers), listed by the month it opened
 * (GSI1) and, while open, in the sparse open-case index by its next timer (GSI2), which the timers
 * read up to now and the inbox reads whole. Every change replaces the item on its version. A manual
 * case's contact is sealed like an invitation's. Beside them: the alert rules added through the
 * API, the case settings and the sweep's progress per questionnaire.
 */
import type { CaseStore } from '../app/ports';
import { CASE_FIGURE_FIELDS, nextTimerAt, type CaseFigureInput, type CaseRecord } from '../domain/cases/case';
import type { CaseSettings } from '../domain/cases/settings';
import type { StoredAlertRule } from '../domain/cases/stored-rules';
import { periodOf } from '../domain/period';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone';
import { mapPersonalFields, type FieldProtection } from '../shared/field-protection';
import { keys, type CaseRefWay } from './keys';
import { recordOf, type Item, type Table } from './table';

function caseItem(record: CaseRecord, fields: FieldProtection): Item {
  return {
    ...keys.case(record.caseId),
    ...keys.caseByMonth(periodOf(new Date(record.openedAt), DEFAULT_TIME_ZONE), new Date(record.openedAt).toISOString(), record.caseId),
    // Open cases are in the open index, and a closed one only while a timer is left (its follow-up).
    ...(record.state === 'closed' && !nextTimerAt(record) ? {} : keys.openCase(nextTimerAt(record), record.caseId)),
    entity: 'Case',
    ...record,
    ...(record.contact ? { contact: mapPersonalFields(record.contact, fields.seal) } : {}),
  };
}

function caseOf(item: Item | undefined, fields: FieldProtection): CaseRecord | undefined {
  const record = recordOf<CaseRecord>(item);
  if (record?.contact) record.contact = mapPersonalFields(record.contact, fields.open);
  return record;
}

/**
 * The ways to the person a case is about, as keys.caseRef writes them: its contact, its
 * invitation, and a typed-in contact's number and address (`lookup` hashes them when sealed).
 */
export function caseRefWays(c: Pick<CaseRecord, 'contactId' | 'invitationId' | 'contact'>, lookup: (value: string) => string): CaseRefWay[] {
  return [
    ...(c.contactId ? [{ kind: 'contact' as const, value: c.contactId }] : []),
    ...(c.invitationId ? [{ kind: 'invitation' as const, value: c.invitationId }] : []),
    ...(c.contact?.phone ? [{ kind: 'phone' as const, value: lookup(c.contact.phone) }] : []),
    ...(c.contact?.email ? [{ kind: 'email' as const, value: lookup(c.contact.email) }] : []),
  ];
}

export function caseItems(table: Table): CaseStore {
  const casesOf = async (items: Item[]) => {
    const fields = await table.fields();
    return items.map((item) => caseOf(item, fields) as CaseRecord);
  };
  return {
    async createCaseOnce(record) {
      const fields = await table.fields();
      const item = caseItem(record, fields) as Item & { pk: string; sk: string };
      // The refs first: one left by a crash before the case is skipped by the erasure that finds it.
      const refs = caseRefWays(record, fields.lookup).map((way) => ({ ...keys.caseRef(way, record.caseId), entity: 'CaseRef', caseId: record.caseId }));
      if (refs.length > 0) await table.batchPut(refs);
      if ((await table.putIfAbsent(item)) === 'created') return { created: true };
      const existing = caseOf(await table.get(keys.case(record.caseId), { consistent: true }), fields);
      return { created: false, ...(existing ? { existing } : {}) };
    },

    async getCase(caseId) {
      return caseOf(await table.get(keys.case(caseId), { consistent: true }), await table.fields());
    },

    async replaceCase(record, expectedVersion) {
      const fields = await table.fields();
      return table.writeIf({
        put: { Item: caseItem(record, fields), ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } },
      });
    },

    async listOpenCases() {
      return casesOf(await table.itemsOf(keys.openCasesPartition, 'gsi2'));
    },

    async casesDue(now) {
      // "~" sorts after every digit: cases with no timer armed are never due.
      const items = await table.queryAll({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
        ExpressionAttributeValues: { ':pk': keys.openCasesPartition, ':now': `${now}#~` },
      });
      return casesOf(items);
    },

    async casesOfMonth(month) {
      return casesOf(await table.itemsOf(keys.casesOfMonth(month), 'gsi1'));
    },

    async caseFiguresOf(month) {
      // Only what the figures read: no contact (no field key needed), no timeline (up to 256 KB a case).
      const names = Object.fromEntries(CASE_FIGURE_FIELDS.map((field, i) => [`#f${i}`, field]));
      const projection = { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names };
      const [ofMonth, open] = await Promise.all([
        table.queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.casesOfMonth(month) }, ...projection }),
        table.queryAll({ IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': keys.openCasesPartition }, ...projection }),
      ]);
      const figuresOf = (items: Item[]) => items.map((item) => recordOf<CaseFigureInput>(item) as CaseFigureInput);
      return { ofMonth: figuresOf(ofMonth), open: figuresOf(open) };
    },

    async watchBreach(watch) {
      await table.put({ ...keys.breachWatch(watch.eventId, watch.commitmentId), ...keys.breachWatchDue(watch.dueAt, watch.eventId, watch.commitmentId), entity: 'BreachWatch', ...watch });
    },

    async breachWatchesDue(now) {
      // Strictly before `now` (a watch at exactly `now` sorts after it by its '#'): an event is missed
      // only once its deadline has passed, so a watch is never looked at while still in time.
      const items = await table.queryAll({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :now',
        ExpressionAttributeValues: { ':pk': keys.breachWatchesPartition, ':now': now },
      });
      return items.map((item) => ({ eventId: String(item.eventId), commitmentId: String(item.commitmentId), dueAt: String(item.dueAt) }));
    },

    async endBreachWatch(watch) {
      await table.deleteIf(keys.breachWatch(watch.eventId, watch.commitmentId), { ConditionExpression: 'dueAt = :due', ExpressionAttributeValues: { ':due': watch.dueAt } });
    },

    async putAlertRule(rule) {
      const item = { ...keys.alertRule(rule.ruleId), entity: 'AlertRule', ...rule };
      if ((await table.putIfAbsent(item)) === 'created') return 'created';
      await table.put(item);
      return 'replaced';
    },

    async listAlertRules() {
      return (await table.itemsUnder(keys.caseConfigPartition, 'RULE#', { consistent: true })).map((item) => recordOf<StoredAlertRule>(item) as StoredAlertRule);
    },

    async getCaseConfig() {
      const items = await table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.caseConfigPartition }, ConsistentRead: true });
      const settings = items.find((item) => item.sk === keys.caseSettings.sk);
      return {
        ...(settings ? { settings: (recordOf<{ settings: CaseSettings }>(settings) as { settings: CaseSettings }).settings } : {}),
        rules: items.filter((item) => String(item.sk).startsWith('RULE#')).map((item) => recordOf<StoredAlertRule>(item) as StoredAlertRule),
      };
    },

    async putCaseSettings(settings) {
      await table.put({ ...keys.caseSettings, entity: 'CaseSettings', settings });
    },

    async getCaseSweep(surveyId) {
      const item = await table.get(keys.caseSweep(surveyId), { consistent: true });
      return typeof item?.through === 'string' ? item.through : undefined;
    },

    async putCaseSweep(surveyId, through) {
      await table.put({ ...keys.caseSweep(surveyId), entity: 'CaseSweep', through });
    },
  };
}
