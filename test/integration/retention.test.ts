/**
 * The retention purge (functions/app/retention.ts) on the platform (dynalite, which has no TTL):
 * contacts erased after 24 full months without activity and kept while active, contacts stored
 * before the activity index found by the first run's backfill, free text expired after 24 months
 * with scores kept (the index unchanged), audit records and SMS log entries past their retention
 * deleted and recent ones kept; a second run repeats nothing; no scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED_TEXT } from '../../functions/app/retention';
import { activityShard, keys } from '../../functions/store/keys';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

process.env.MANYI_MINIMUM_N = '1';

let platform: TestPlatform;
const at = (instant: string) => platform.clock.freeze(new Date(instant));
const sms = { signature: '【示例银行】', template: { 'zh-CN': '您好，请评价：{link}', en: 'Please rate: {link}' }, marketing: false };
const contactIds = {} as Record<'A' | 'B' | 'C', string>;
let caseId: string;
let tokenA: string;
let csiBefore: number;

const importContact = async (contact: Record<string, unknown>) => {
  const res = await platform.api('POST', '/admin/contacts', { body: { contacts: [contact] } });
  expect(res.status, res.text).toBe(200);
  return res.body.rows[0].contactId as string;
};
const retention = async () => (await platform.runJob('Retention')) as Record<string, number>;
const csi = async () => {
  expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11', full: true } })).status).toBe(200);
  return (await platform.api('GET', '/admin/reports/mini-csi?orgUnit=hq&period=2026-11')).body.csi as number;
};

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }, { id: 'n1', name: 'N1', parentId: 'hq' }] } })).status).toBe(200);
  contactIds.A = await importContact({ name: '王小明', phone: '13800000701', orgUnitId: 'n1' });
  contactIds.B = await importContact({ name: '李四', phone: '13800000702', orgUnitId: 'n1' });
  contactIds.C = await importContact({ name: '赵六', phone: '13800000703', orgUnitId: 'n1' });
  // C stands for a contact stored before the activity index existed: its entry is not there.
  await platform.deps.store.client.send(
    new (await import('@aws-sdk/lib-dynamodb')).DeleteCommand({ TableName: 'manyi', Key: keys.contactActivity('2026-11', activityShard(contactIds.C), contactIds.C) }),
  );
  const campaign = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'sms', sms, contactIds: [contactIds.A] } });
  expect(campaign.status, campaign.text).toBe(201);
  tokenA = campaign.body.invitations[0].token;
  expect((await platform.api('POST', '/admin/jobs/dispatch', { body: {} })).status).toBe(200);
  const answered = await platform.api('POST', `/s/${tokenA}`, { token: null, body: { answers: { q1: 4, q2: 5, q3: 2, q4: 4, q5: 3, comment: '王小明：等了很久' } } });
  expect(answered.status, answered.text).toBe(201);
  csiBefore = await csi();
  // A complaint logged by hand that month, with the customer's number typed in and named in the note.
  const logged = await platform.api('POST', '/admin/cases', {
    body: { orgUnitId: 'n1', note: '王小明来电：13800000701', contact: { name: '王小明', phone: '13800000701' } },
    headers: { 'idempotency-key': 'retention-1' },
  });
  expect(logged.status, logged.text).toBe(201);
  caseId = logged.body.caseId;
});
afterAll(async () => {
  await platform?.stop();
});

describe('the retention purge', () => {
  it('keeps everything while it is within its period, and indexes the contacts stored before the index', async () => {
    at('2027-03-01T02:00:00Z'); // within the SMS log's 180 days
    const first = await retention();
    expect(first).toEqual({ smsLogEntries: 0, auditRecords: 0, contactsErased: 0, responsesWithTextExpired: 0, casesWithTextExpired: 0, contactsIndexed: 3 });
    // B is active again in June 2027: an import that changes it.
    at('2027-06-01T02:00:00Z');
    await importContact({ name: '李四', phone: '13800000702', orgUnitId: 'n1', grade: 'gold' });
    expect(await platform.deps.store.getContact(contactIds.C)).toBeDefined();
  });

  it('erases the contacts inactive for 24 full months, expires old free text, and deletes expired audit and SMS log days', async () => {
    at('2029-01-15T02:00:00Z'); // months before 2027-01 have passed 24 months; B was active in 2027-06
    const smsDay = (await platform.deps.store.smsLogOf('2026-11-10')).length;
    expect(smsDay).toBeGreaterThan(0);
    const summary = await retention();
    expect(summary).toMatchObject({ contactsErased: 2, responsesWithTextExpired: 1, casesWithTextExpired: 1, smsLogEntries: smsDay, contactsIndexed: 0 });
    expect(summary.auditRecords).toBeGreaterThan(0);
    expect(await platform.deps.store.getContact(contactIds.A)).toBeUndefined();
    expect(await platform.deps.store.getContact(contactIds.C)).toBeUndefined();
    expect(await platform.deps.store.getContact(contactIds.B)).toBeDefined();
    expect(await platform.deps.store.contactIdByIdentity('phone', '+8613800000701')).toBeUndefined();
    expect((await platform.deps.store.getInvitationByToken(tokenA))?.contact).toEqual({});
    // The comment expired; the scores stayed, so the index did not move.
    const response = await platform.deps.store.getResponse(tokenA);
    expect(response?.answers).toMatchObject({ q1: 4, q5: 3, comment: EXPIRED_TEXT });
    expect(await csi()).toBe(csiBefore);
    // The case's text expired and its typed-in contact went; the case itself stays, for the figures.
    const expired = await platform.deps.store.getCase(caseId);
    expect(expired).toMatchObject({ state: 'new', source: 'manual' });
    expect(expired?.contact).toBeUndefined();
    expect(expired?.timeline[0]?.note).toBe(EXPIRED_TEXT);
    expect(await platform.deps.store.smsLogOf('2026-11-10')).toEqual([]);
    expect((await platform.api('GET', '/admin/audit?from=2026-11-10&to=2026-11-10')).body.records).toEqual([]);
  });

  it('repeats nothing on the next run, keeps recent audit records, and erases the last contact once its time has come', async () => {
    const recent = await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }, { id: 'n1', name: 'N1', parentId: 'hq' }] } });
    expect(recent.status).toBe(200);
    expect(await retention()).toEqual({ smsLogEntries: 0, auditRecords: 0, contactsErased: 0, responsesWithTextExpired: 0, casesWithTextExpired: 0, contactsIndexed: 0 });
    expect((await platform.api('GET', '/admin/audit?from=2029-01-15&to=2029-01-15')).body.records.length).toBeGreaterThan(0);
    at('2029-07-02T02:00:00Z'); // 2027-06 has now passed 24 months
    expect((await retention()).contactsErased).toBe(1);
    expect(await platform.deps.store.getContact(contactIds.B)).toBeUndefined();
  });

  it('reads by key only: no scan', () => {
    expect(platform.commands).not.toContain('ScanCommand');
  });
});
