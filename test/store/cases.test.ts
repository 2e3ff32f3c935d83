/**
 * The case store (functions/store/cases.ts) against a real DynamoDB API (dynalite and DynamoDB
 * Local): one case per id however many create it at once, replacement only on the version read,
 * the open-case index by next timer (a closed case leaves it), the month list, and the case
 * configuration read in one query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/cases/case';
import { defaultCaseSettings } from '../../functions/domain/cases/settings';
import { startTestDynamo, type TestDynamo } from '../helpers/dynamodb-backend';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';

let dynamo: TestDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = connectStore(dynamo.table('cases-test'), dynamo.clientConfig);
  await store.ensureTable();
});
afterAll(async () => {
  store?.client.destroy();
  await dynamo?.close();
});

const record = (caseId: string, dueAt: string): CaseRecord => ({
  caseId,
  version: 1,
  source: 'manual',
  reasons: ['logged by hand'],
  orgUnitId: 'n1',
  priority: 'normal',
  state: 'new',
  ownerUnit: 'n1',
  openedAt: '2025-09-26T09:00:00.000Z',
  firstContactDueAt: dueAt,
  overdueNoticed: [],
  escalations: [],
  notifications: [],
  reopenedCount: 0,
  timeline: [],
  contact: { name: '张三', phone: '+8613800000001' },
});

describe('cases', () => {
  it('creates one case of ten concurrent creations of one id, and returns it to the others', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.createCaseOnce({ ...record('case_race', '2025-09-28T09:00:00.000Z'), reasons: [`try ${i}`] })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = (await store.getCase('case_race'))!;
    for (const loser of results.filter((r) => !r.created)) expect(loser.existing?.reasons).toEqual(winner.reasons);
    expect(winner.contact).toEqual({ name: '张三', phone: '+8613800000001' });
  });

  it('replaces a case only on the version it read: of two updates of one version, one wins', async () => {
    await store.createCaseOnce(record('case_versions', '2025-09-28T09:00:00.000Z'));
    const current = (await store.getCase('case_versions'))!;
    const [a, b] = await Promise.all([
      store.replaceCase({ ...current, version: 2, priority: 'high' }, 1),
      store.replaceCase({ ...current, version: 2, priority: 'low' }, 1),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((await store.getCase('case_versions'))!.version).toBe(2);
    expect(await store.replaceCase({ ...current, version: 3 }, 1)).toBe(false);
  });

  it('lists open cases by their next timer, finds those due, and drops a closed one from the index', async () => {
    await store.createCaseOnce(record('case_early', '2025-09-27T01:00:00.000Z'));
    await store.createCaseOnce(record('case_late', '2025-10-10T09:00:00.000Z'));
    const due = (await store.casesDue('2025-09-27T01:00:00.000Z')).map((c) => c.caseId);
    expect(due).toContain('case_early');
    expect(due).not.toContain('case_late');
    expect(due).not.toContain('case_versions');
    const early = (await store.getCase('case_early'))!;
    expect(await store.replaceCase({ ...early, version: 2, state: 'closed', closedAt: '2025-09-27T02:00:00.000Z' }, 1)).toBe(true);
    const open = (await store.listOpenCases()).map((c) => c.caseId);
    expect(open).not.toContain('case_early');
    expect(open).toContain('case_late');
    // Still listed by the month it opened.
    expect((await store.casesOfMonth('2025-09')).map((c) => c.caseId)).toContain('case_early');
  });

  it('reads the stored rules and the settings in one query, a rule of one id replaced in place', async () => {
    expect(await store.getCaseConfig()).toEqual({ rules: [] });
    const rule = { ruleId: 'r1', rule: { id: 'r1', when: { question: 'q1', atMost: 1 }, priority: 'normal', owner: 'manager', escalate: [] }, createdAt: '2025-09-26T00:00:00.000Z', createdBy: 'u1' } as never;
    expect(await store.putAlertRule(rule)).toBe('created');
    expect(await store.putAlertRule(rule)).toBe('replaced');
    await store.putCaseSettings(defaultCaseSettings());
    const config = await store.getCaseConfig();
    expect(config.rules.map((r) => r.ruleId)).toEqual(['r1']);
    expect(config.settings?.workingHours).toEqual({ start: '09:00', end: '17:30' });
  });

  it("reads a month's and the open cases for the figures without their contact or timeline", async () => {
    await store.createCaseOnce({ ...record('case_figures', '2025-09-28T09:00:00.000Z'), timeline: [{ at: '2025-09-26T09:00:00.000Z', by: 'u1', type: 'opened', note: '张三来电' }] });
    const { ofMonth, open } = await store.caseFiguresOf('2025-09');
    const read = ofMonth.find((c) => c.caseId === 'case_figures')!;
    expect(read).toMatchObject({ caseId: 'case_figures', state: 'new', orgUnitId: 'n1', firstContactDueAt: '2025-09-28T09:00:00.000Z', reopenedCount: 0 });
    expect(Object.keys(read).sort()).toEqual(['caseId', 'firstContactDueAt', 'openedAt', 'orgUnitId', 'reopenedCount', 'source', 'state']);
    expect(open.map((c) => c.caseId)).toContain('case_figures');
    expect(open.every((c) => !('contact' in c) && !('timeline' in c))).toBe(true);
  });

  it('lists breach watches strictly before now, moves one on a second watch, and ends one only on the deadline read', async () => {
    const watch = { eventId: 'rep-1', commitmentId: 'repair.handle', dueAt: '2025-09-26T10:00:00.000Z' };
    await store.watchBreach(watch);
    expect(await store.breachWatchesDue('2025-09-26T10:00:00.000Z')).toEqual([]);
    expect(await store.breachWatchesDue('2025-09-26T10:00:00.001Z')).toEqual([watch]);
    // A later post moves the deadline: ending the old one leaves the new one.
    const moved = { ...watch, dueAt: '2025-09-26T12:00:00.000Z' };
    await store.watchBreach(moved);
    await store.endBreachWatch(watch);
    expect(await store.breachWatchesDue('2025-09-27T00:00:00.000Z')).toEqual([moved]);
    await store.endBreachWatch(moved);
    expect(await store.breachWatchesDue('2025-09-27T00:00:00.000Z')).toEqual([]);
  });

  it("finds a case by each way to its person (contact, invitation, typed-in number), and deletes those refs", async () => {
    await store.createCaseOnce({ ...record('case_refs', '2025-09-28T09:00:00.000Z'), contactId: 'ct_1', invitationId: 'inv_1', contact: { name: '李四', phone: '+8613800000002' } });
    expect(await store.caseIdsOfPerson({ contactIds: ['ct_1'], invitationIds: [] })).toEqual(['case_refs']);
    expect(await store.caseIdsOfPerson({ contactIds: [], invitationIds: ['inv_1'] })).toEqual(['case_refs']);
    expect(await store.caseIdsOfPerson({ contactIds: [], invitationIds: [], person: { kind: 'phone', value: '+8613800000002' } })).toEqual(['case_refs']);
    expect(await store.caseIdsOfPerson({ contactIds: ['ct_other'], invitationIds: [], person: { kind: 'phone', value: '+8613800000003' } })).toEqual([]);
    const ways = { contactIds: ['ct_1'], invitationIds: ['inv_1'], person: { kind: 'phone' as const, value: '+8613800000002' } };
    expect(await store.deleteCaseRefs(ways)).toBe(3);
    expect(await store.caseIdsOfPerson(ways)).toEqual([]);
  });
});

