/**
 * Field-level encryption on the local platform (dynalite, the key file in the data directory),
 * through HTTP. The platform first runs with encryption off and takes a customer, an SMS campaign
 * and an opt-out; it is restarted on the same data with encryption on. Checked: the start-up pass
 * seals what was in clear, and from then on a dump of the whole table holds no phone number, name
 * or e-mail address of anyone; the person written before is still the same contact, the opt-out
 * still holds; the whole loop works on sealed data (import, SMS with the name in its text, a link
 * answer, a STOP reply, a service event, export and erasure); the key file is 0600; a start with
 * encryption off on sealed data is refused.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

process.env.MANYI_MINIMUM_N = '1';

const dataDir = mkdtempSync(join(tmpdir(), 'manyi-field-encryption-'));
let platform: TestPlatform;
const printed: string[] = [];

const sms = { signature: '【示例银行】', template: { 'zh-CN': '{name}您好，请评价本次服务：{link}', en: 'Hello {name}, please rate: {link}' }, marketing: false };
const ZHANG = { name: '张三丰', phone: '13800000901', email: 'zhang3f@example.com', orgUnitId: 'n1' };
const STOPPED = '13800000902';
const WANG = { name: '王五郎', phone: '13800000903', email: 'wang5l@example.com', orgUnitId: 'n1' };
const VISITOR = { name: '赵子龙', phone: '13800000904' };
/** What no item of the table may hold once encryption is on (numbers without their +86 too). */
const SECRETS = ['13800000901', '13800000902', '13800000903', '13800000904', '张三丰', '王五郎', '赵子龙', 'zhang3f@', 'wang5l@'];

const start = (fieldEncryption: boolean) => startTestPlatform(new Date('2026-11-10T02:00:00Z'), { dataDir, fieldEncryption, dispatchEveryMinutes: 0, print: (line) => printed.push(line) });
const importContacts = async (contacts: Record<string, unknown>[]) => {
  const res = await platform.api('POST', '/admin/contacts', { body: { contacts } });
  expect(res.status, res.text).toBe(200);
  return res.body.rows as { contactId: string; status: string }[];
};
const importOne = async (contact: Record<string, unknown>) => (await importContacts([contact]))[0]!.contactId;
const smsCampaign = async (contactIds: string[]) => {
  const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'sms', sms, contactIds } });
  expect(res.status, res.text).toBe(201);
  return res.body as { campaignId: string; invitations: { token: string }[] };
};
const dispatch = async () => expect((await platform.api('POST', '/admin/jobs/dispatch', { body: {} })).status).toBe(200);
const statusOf = async (campaignId: string) => (await platform.api('GET', `/admin/campaigns/${campaignId}`)).body.invitations as { status: string; reason?: string }[];
const outbox = async () => (await platform.api('GET', '/dev/outbox?channel=sms')).body as { to: string; body: string; campaignId?: string }[];
const tableDump = async () => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await platform.deps.store.client.send(new ScanCommand({ TableName: platform.deps.store.tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return JSON.stringify(items);
};
const expectNoPersonalData = async () => {
  const dump = await tableDump();
  for (const secret of SECRETS) expect(dump, secret).not.toContain(secret);
};

let zhangId: string;

beforeAll(async () => {
  // Before encryption: a customer invited by SMS, and a number that opted out.
  platform = await start(false);
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }, { id: 'n1', name: 'N1', parentId: 'hq' }] } })).status).toBe(200);
  zhangId = await importOne(ZHANG);
  await smsCampaign([zhangId]);
  await dispatch();
  expect((await platform.api('POST', '/dev/sms/inbound', { body: { from: STOPPED, body: 'TD' } })).body.outcome).toBe('opted-out');
  expect(await tableDump()).toContain('13800000901');
  await platform.stop();
  platform = await start(true);
}, 60_000);
afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('field-level encryption on the local platform', () => {
  it('seals at start what was written in clear, with the key file readable by its owner only', async () => {
    expect(printed.some((line) => line.includes('field encryption on') && line.includes(join(dataDir, 'field-key')))).toBe(true);
    expect(printed.some((line) => /sealed [1-9]\d* record\(s\) and moved [1-9]\d* key\(s\)/.test(line))).toBe(true);
    expect(statSync(join(dataDir, 'field-key')).mode & 0o777).toBe(0o600);
    await expectNoPersonalData();
  });

  it('still knows the person written before, and the opt-out still holds', async () => {
    expect(await importContacts([ZHANG])).toEqual([expect.objectContaining({ contactId: zhangId, status: 'unchanged' })]);
    const stoppedId = await importOne({ name: '某人', phone: STOPPED, orgUnitId: 'n1' });
    const campaign = await smsCampaign([stoppedId]);
    await dispatch();
    expect(await statusOf(campaign.campaignId)).toEqual([expect.objectContaining({ status: 'skipped', reason: 'opted_out' })]);
  });

  it('runs the whole loop on sealed data: SMS with the name, a link answer, STOP, a service event', async () => {
    const contactId = await importOne(WANG);
    const campaign = await smsCampaign([contactId]);
    await dispatch();
    const sent = (await outbox()).filter((message) => message.campaignId === campaign.campaignId);
    expect(sent).toEqual([expect.objectContaining({ to: '+8613800000903', body: expect.stringContaining('王五郎您好') })]);
    const answered = await platform.api('POST', `/s/${campaign.invitations[0]!.token}`, { token: null, body: { answers: { q1: 4, q2: 5, q3: 2, q4: 4, q5: 3 } } });
    expect(answered.status, answered.text).toBe(201);
    expect((await platform.api('POST', '/dev/sms/inbound', { body: { from: WANG.phone, body: 'TD' } })).body.outcome).toBe('opted-out');
    const event = await platform.api('POST', '/admin/service-events', { body: { eventId: 'E-901', type: 'visit', orgUnitId: 'n1', contact: VISITOR, occurredAt: '2026-11-09T10:00:00+08:00' } });
    expect(event.status, event.text).toBe(201);
    await expectNoPersonalData();
  });

  it('exports a person in clear and erases them, found by what they give', async () => {
    const wang = await platform.api('GET', `/admin/privacy/export?phone=${WANG.phone}`);
    expect(wang.status, wang.text).toBe(200);
    expect(wang.body.contacts).toEqual([expect.objectContaining({ name: WANG.name, phone: '+8613800000903', email: WANG.email })]);
    expect(wang.body.invitations).toEqual([expect.objectContaining({ contact: expect.objectContaining({ name: WANG.name, phone: '+8613800000903' }) })]);
    expect(wang.body.optOuts).toEqual([expect.objectContaining({ channel: 'sms', optedOut: true })]);
    expect((await platform.api('GET', `/admin/privacy/export?email=${ZHANG.email}`)).body.contacts).toEqual([expect.objectContaining({ contactId: zhangId, name: ZHANG.name })]);

    const erased = await platform.api('POST', '/admin/privacy/erase', { body: { phone: ZHANG.phone } });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body.erased).toMatchObject({ contacts: 1, invitations: 1 });
    expect((await platform.api('GET', `/admin/privacy/export?phone=${ZHANG.phone}`)).body.contacts).toEqual([]);
    await expectNoPersonalData();
  });

  it('refuses to start on sealed data with encryption off', async () => {
    await platform.stop();
    await expect(start(false)).rejects.toThrow(/MANYI_FIELD_ENCRYPTION=on/);
    platform = await start(true);
    expect((await platform.api('GET', `/admin/privacy/export?phone=${WANG.phone}`)).body.contacts).toHaveLength(1);
  });
});
