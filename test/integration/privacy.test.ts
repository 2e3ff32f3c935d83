/**
 * A person's export and erasure (PIPL) through HTTP against dynalite: two customers invited by SMS
 * and answering, one of whom writes their number, address and name in a comment; a third contact
 * whose identity is an external id, found by its e-mail address. Checked: the export holds all of
 * it; who may ask (admin, a pii user in scope; not without pii, not out of scope, not a manager);
 * the erasure's receipt; nothing of the person left (contact, snapshot, comment, SMS log, reply
 * targets, outbox), the other customer untouched, the index unchanged; a repeat erases nothing; an
 * erasure interrupted before its last write is completed by the retry; bad input is a 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASED_MARK } from '../../functions/domain/privacy/redact';
import { keys } from '../../functions/store/keys';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, type TestUser } from '../helpers/users';

process.env.MANYI_MINIMUM_N = '1';

let platform: TestPlatform;
const users = {} as Record<'analystPii' | 'analystNoPii' | 'analystSouthPii' | 'manager', TestUser>;

const sms = { signature: '【示例银行】', template: { 'zh-CN': '{name}您好，请评价本次服务：{link}', en: 'Hello {name}, please rate: {link}' }, marketing: false };
const WANG = { name: '王小明', phone: '+8613800000501', email: 'wang.xm@example.com' };
const LI = { name: '李四', phone: '+8613800000502' };
let wangToken: string;
let liToken: string;
let csiBefore: number;

const as = (user: TestUser | undefined) => (user ? { token: user.token } : {});
const exportOf = (query: string, user?: TestUser) => platform.api('GET', `/admin/privacy/export?${query}`, as(user));
const erase = (body: unknown, user?: TestUser) => platform.api('POST', '/admin/privacy/erase', { body, ...as(user) });
const outbox = async () => (await platform.api('GET', '/dev/outbox?channel=sms')).body as { to: string; invitationId?: string }[];
const csi = async () => {
  const computed = await platform.api('POST', '/admin/jobs/compute-indices', { body: { full: true } });
  expect(computed.status, computed.text).toBe(200);
  const report = await platform.api('GET', '/admin/reports/mini-csi?orgUnit=hq');
  expect(report.status, report.text).toBe(200);
  return report.body.csi as number;
};

beforeAll(async () => {
  platform = await startTestPlatform();
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  users.analystPii = await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'], pii: true });
  users.analystNoPii = await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'] });
  users.analystSouthPii = await createTestUser(platform, { role: 'analyst', orgUnits: ['south'], pii: true });
  users.manager = await createTestUser(platform, { role: 'manager', orgUnits: ['hq'] });

  const campaign = await platform.api('POST', '/admin/campaigns', {
    body: { surveyId: 'mini-csi', channel: 'sms', sms, contacts: [{ ...WANG, orgUnitId: 'n1' }, { ...LI, orgUnitId: 'n1' }] },
  });
  expect(campaign.status, campaign.text).toBe(201);
  [wangToken, liToken] = (campaign.body.invitations as { token: string }[]).map((i) => i.token) as [string, string];
  expect((await platform.api('POST', '/admin/jobs/dispatch', { body: {} })).status).toBe(200);
  expect((await outbox()).map((m) => m.to).sort()).toEqual([WANG.phone, LI.phone]);
  const answers = (comment: string) => ({ q1: 4, q2: 5, q3: 2, q4: 4, q5: 3, channel: 'counter', comment });
  for (const [token, comment] of [
    [wangToken, '服务很好。有问题请打 138-0000-0501 找王小明，或发邮件 Wang.XM@example.com'],
    [liToken, '柜员王小明很耐心'], // another customer naming a staff member who shares the name: see below
  ] as const) {
    const res = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: answers(comment) } });
    expect(res.status, res.text).toBe(201);
  }
  // A contact whose identity is its external id: found by its e-mail address through the person index.
  const imported = await platform.api('POST', '/admin/contacts', { body: { contacts: [{ externalId: 'CRM-77', name: '赵六', phone: '+8613800000503', email: 'zhao6@example.com', orgUnitId: 's1' }] } });
  expect(imported.status, imported.text).toBe(200);
  csiBefore = await csi();
});
afterAll(async () => {
  await platform?.stop();
});

describe('a person under PIPL', () => {
  it('exports everything held about them, in clear, to an admin', async () => {
    const res = await exportOf('phone=13800000501');
    expect(res.status, res.text).toBe(200);
    expect(res.body.subject).toEqual({ kind: 'phone', value: WANG.phone });
    expect(res.body.contacts).toEqual([expect.objectContaining({ name: WANG.name, phone: WANG.phone, email: WANG.email, orgUnitId: 'n1' })]);
    expect(res.body.contacts[0].fingerprint).toBeUndefined();
    expect(res.body.invitations).toEqual([expect.objectContaining({ channel: 'sms', status: 'sent', contact: expect.objectContaining({ name: WANG.name, phone: WANG.phone }) })]);
    expect(res.body.responses).toEqual([expect.objectContaining({ answers: expect.objectContaining({ comment: expect.stringContaining('138-0000-0501') }) })]);
    expect(res.body.smsLog.map((entry: { kind: string }) => entry.kind).sort()).toEqual(['delivery', 'send']);
    expect(res.body.optOuts).toEqual([]);
    // By e-mail, a contact whose identity is its external id.
    const zhao = await exportOf('email=ZHAO6@example.com');
    expect(zhao.body.contacts).toEqual([expect.objectContaining({ externalId: 'CRM-77', name: '赵六' })]);
  });

  it('answers only an admin or a user who may see personal data, within their scope', async () => {
    expect((await exportOf('phone=13800000501', users.analystPii)).status).toBe(200);
    expect((await exportOf('phone=13800000501', users.analystNoPii)).status).toBe(403);
    expect((await exportOf('phone=13800000501', users.manager)).status).toBe(403);
    const outside = await exportOf('phone=13800000501', users.analystSouthPii);
    expect(outside.status).toBe(403);
    expect(outside.text).not.toContain('13800000501');
    expect((await erase({ phone: '13800000501' }, users.analystNoPii)).status).toBe(403);
    expect((await erase({ phone: '13800000501' }, users.analystSouthPii)).status).toBe(403);
    // Nothing was erased by the refused requests.
    expect((await exportOf('phone=13800000501')).body.contacts).toHaveLength(1);
  });

  it('refuses a request that does not name exactly one person, with a 400', async () => {
    for (const body of [{}, { phone: '13800000501', email: 'a@example.com' }, { phone: 'not a number' }, { email: 'nope' }, { contactId: 'x'.repeat(200) }, { phone: '13800000501', extra: 1 }, []]) {
      const res = await erase(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await exportOf('phone=13800000501&email=a@example.com')).status).toBe(400);
    expect((await exportOf('')).status).toBe(400);
  });

  it('erases them everywhere, keeps the anonymised response, and leaves the others and the index as they were', async () => {
    const res = await erase({ phone: '138 0000 0501' }, users.analystPii);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      subject: { kind: 'phone', value: '+86138****0501' },
      erased: { contacts: 1, invitations: 1, responsesRedacted: 1, smsReplyTargets: 0, smsLogEntries: 2, outboxMessages: 1, personIndexRefs: 0 },
    });
    expect(res.body.kept.length).toBeGreaterThan(0);
    expect(res.text).not.toContain('13800000501');

    // The comment keeps its words, not the person.
    const response = await platform.deps.store.getResponse(wangToken);
    expect(response?.answers.comment).toBe(`服务很好。有问题请打 ${ERASED_MARK} 找${ERASED_MARK}，或发邮件 ${ERASED_MARK}`);
    expect(response?.answers.q1).toBe(4);
    const invitation = await platform.deps.store.getInvitationByToken(wangToken);
    expect(invitation?.contact).toEqual({});
    // Nothing left to export, and no trace in the table's items of the person's partitions.
    const after = await exportOf('phone=13800000501');
    expect(after.body).toMatchObject({ contacts: [], invitations: [], responses: [], smsLog: [] });
    expect(await platform.deps.store.contactIdByIdentity('phone', WANG.phone)).toBeUndefined();
    expect(await platform.deps.store.contactIdsOfPerson('email', WANG.email)).toEqual([]);
    expect((await outbox()).map((m) => m.to)).toEqual([LI.phone]);

    // The other customer is untouched (another person's words are theirs, even naming someone alike).
    expect((await platform.deps.store.getResponse(liToken))?.answers.comment).toBe('柜员王小明很耐心');
    expect((await exportOf('phone=13800000502')).body.contacts).toHaveLength(1);
    // The index is computed from the same scores.
    expect(await csi()).toBe(csiBefore);
  });

  it('audits the erasure and the export, naming no one', async () => {
    const audit = await platform.api('GET', '/admin/audit');
    expect(audit.status, audit.text).toBe(200);
    const records = audit.body.records as { action: string; userId: string; outcome: string }[];
    expect(records.filter((r) => r.action === 'POST /admin/privacy/erase' && r.outcome === 'succeeded').map((r) => r.userId)).toEqual([users.analystPii.userId]);
    expect(records.some((r) => r.action === 'GET /admin/privacy/export' && r.outcome === 'succeeded')).toBe(true);
    expect(records.some((r) => r.action === 'GET /admin/privacy/export' && r.outcome === 'refused')).toBe(true);
    expect(audit.text).not.toContain('13800000501');
  });

  it('erases nothing the second time (idempotent)', async () => {
    const again = await erase({ phone: '+8613800000501' });
    expect(again.status, again.text).toBe(200);
    expect(Object.values(again.body.erased as Record<string, number>).every((n) => n === 0)).toBe(true);
    expect((await erase({ contactId: 'ct_never_existed' })).body.erased.contacts).toBe(0);
  });

  it('keeps no names or numbers in campaign records, and erases a link campaign\'s inline contact, found by its number', async () => {
    const link = await platform.api('POST', '/admin/campaigns', {
      body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ name: '孙七', phone: '13800000504', email: 'sun7@example.com', orgUnitId: 'n1', grade: 'gold' }] },
    });
    expect(link.status, link.text).toBe(201);
    const token = link.body.invitations[0].token as string;
    const stored = await platform.deps.store.getCampaign(link.body.campaignId);
    expect(stored?.definition?.contacts).toEqual([{ orgUnitId: 'n1', grade: 'gold' }]);
    expect(JSON.stringify(stored)).not.toMatch(/孙七|13800000504|sun7/);
    // The SMS campaign of the set-up keeps its inline contacts as contact ids.
    const smsCampaign = await platform.deps.store.getCampaign((await platform.deps.store.getInvitationByToken(liToken))!.campaignId);
    expect(smsCampaign?.definition?.contactIds).toHaveLength(2);
    expect(JSON.stringify(smsCampaign)).not.toMatch(/13800000502|李四/);

    expect((await exportOf('email=sun7@example.com')).body.invitations).toEqual([expect.objectContaining({ contact: expect.objectContaining({ name: '孙七' }) })]);
    const erased = await erase({ phone: '13800000504' });
    expect(erased.body.erased).toMatchObject({ contacts: 0, invitations: 1, personIndexRefs: 2 });
    expect((await platform.deps.store.getInvitationByToken(token))?.contact).toEqual({});
    expect(await platform.deps.store.invitationTokensOfPerson('email', 'sun7@example.com')).toEqual([]);
    expect(await platform.deps.store.invitationTokensOfPerson('phone', '+8613800000504')).toEqual([]);
    expect(Object.values((await erase({ email: 'sun7@example.com' })).body.erased as Record<string, number>).every((n) => n === 0)).toBe(true);
  });

  /** Runs `work` with the process "dying" at the first DeleteItem of `target` (the write never happens). */
  async function dyingAtDeleteOf(target: { pk: string; sk: string }, work: () => Promise<void>): Promise<void> {
    let failed = false;
    platform.deps.store.client.middlewareStack.add(
      (next, context) => async (args) => {
        // The document client may pass the key marshalled ({ S: "..." }) or not, by step.
        const key = (args.input as { Key?: Record<string, string | { S?: string }> }).Key ?? {};
        const text = (value: string | { S?: string } | undefined) => (typeof value === 'string' ? value : value?.S);
        if (!failed && /^Delete/.test(String(context.commandName)) && text(key.pk) === target.pk && text(key.sk) === target.sk) {
          failed = true;
          throw new Error('the process died here');
        }
        return next(args);
      },
      { step: 'initialize', name: 'dieAtDelete' },
    );
    try {
      await work();
      expect(failed).toBe(true);
    } finally {
      platform.deps.store.client.middlewareStack.remove('dieAtDelete');
    }
  }

  it('completes an erasure interrupted before the contact is deleted when it is retried', async () => {
    const contactId = (await exportOf('email=zhao6@example.com')).body.contacts[0].contactId as string;
    await dyingAtDeleteOf(keys.contact(contactId), async () => {
      expect((await erase({ email: 'zhao6@example.com' })).status).toBe(500);
    });
    const retried = await erase({ email: 'zhao6@example.com' });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.erased.contacts).toBe(1);
    expect((await exportOf('email=zhao6@example.com')).body.contacts).toEqual([]);
    for (const [kind, value] of [['externalId', 'CRM-77'], ['phone', '+8613800000503'], ['email', 'zhao6@example.com']] as const) {
      expect(await platform.deps.store.contactIdByIdentity(kind, value)).toBeUndefined();
    }
    expect(await platform.deps.store.contactIdsOfPerson('phone', '+8613800000503')).toEqual([]);
  });

  it('completes an erasure interrupted after the contact, before the way it was found by, when it is retried', async () => {
    const contactId = (await exportOf('phone=13800000502')).body.contacts[0].contactId as string;
    await dyingAtDeleteOf(keys.personContact('phone', LI.phone, contactId), async () => {
      expect((await erase({ phone: LI.phone })).status).toBe(500);
    });
    expect(await platform.deps.store.getContact(contactId)).toBeUndefined();
    const retried = await erase({ phone: LI.phone });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.erased).toMatchObject({ contacts: 0, personIndexRefs: 1 });
    expect(await platform.deps.store.contactIdsOfPerson('phone', LI.phone)).toEqual([]);
    expect(await platform.deps.store.contactIdByIdentity('phone', LI.phone)).toBeUndefined();
    expect((await platform.deps.store.getInvitationByToken(liToken))?.contact).toEqual({});
  });
});
