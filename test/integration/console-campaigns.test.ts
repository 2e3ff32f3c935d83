/**
 * GET /admin/campaigns (issue #13) through HTTP against dynalite: newest first, cursor pages that
 * together hold every campaign once, each reader's campaigns only (a manager of a branch sees that
 * branch's; a reader granted two branches gets both lists merged, page by page, without a gap or a
 * repeat), forged cursors refused. The tree: hq > north > n1, n2; hq > south > s1.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/store/keys';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { createTestUser, type TestUser } from '../helpers/users';

let platform: TestPlatform;
const created: { campaignId: string; units: string[] }[] = [];
let managerN1: TestUser;
let analystTwoBranches: TestUser;

const pageThrough = async (user: TestUser | undefined, limit: number) => {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await platform.api('GET', `/admin/campaigns?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, user ? { token: user.token } : {});
    expect(res.status, res.text).toBe(200);
    expect(res.body.campaigns.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.campaigns.map((campaign: { campaignId: string }) => campaign.campaignId));
    cursor = res.body.cursor;
    pages++;
  } while (cursor && pages < 50);
  return ids;
};
/** The ids of campaigns whose units are all among `units`, newest first. */
const expectedFor = (units: string[]) =>
  created
    .filter((campaign) => campaign.units.every((unit) => units.includes(unit)))
    .map((campaign) => campaign.campaignId)
    .reverse();

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  const units = [
    { id: 'hq', name: 'HQ' },
    { id: 'north', name: 'North', parentId: 'hq' },
    { id: 'south', name: 'South', parentId: 'hq' },
    { id: 'n1', name: 'N1', parentId: 'north' },
    { id: 'n2', name: 'N2', parentId: 'north' },
    { id: 's1', name: 'S1', parentId: 'south' },
  ];
  expect((await platform.api('POST', '/admin/org-units', { body: { units } })).status).toBe(200);
  // One campaign a minute, so "newest first" is an order of creation.
  const audiences = [['n1'], ['s1'], ['n1', 'n2'], ['n2'], ['s1'], ['n1', 's1'], ['n1'], ['s1'], ['n2'], ['n1']];
  for (const [i, audience] of audiences.entries()) {
    platform.clock.freeze(new Date(Date.parse('2026-11-10T02:00:00Z') + i * 60_000));
    const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', name: `第${i + 1}批`, channel: 'link', contacts: audience.map((orgUnitId) => ({ orgUnitId })) } });
    expect(res.status, res.text).toBe(201);
    created.push({ campaignId: res.body.campaignId, units: audience });
  }
  managerN1 = await createTestUser(platform, { role: 'manager', orgUnits: ['n1'] });
  analystTwoBranches = await createTestUser(platform, { role: 'analyst', orgUnits: ['n2', 's1'] });
});
afterAll(async () => {
  await platform?.stop();
});

describe('GET /admin/campaigns', () => {
  it('lists every campaign newest first for a reader of the whole organisation, page by page', async () => {
    const first = await platform.api('GET', '/admin/campaigns?limit=3');
    expect(first.body.campaigns[0]).toEqual({
      campaignId: created.at(-1)!.campaignId,
      name: '第10批',
      surveyId: 'mini-csi',
      version: 1,
      channel: 'link',
      kind: 'one-off',
      createdAt: '2026-11-10T02:09:00.000Z',
      expiresAt: '2026-11-17T02:09:00.000Z',
      invitationCount: 1,
      reach: ['n1'],
    });
    for (const limit of [1, 3, 100]) expect(await pageThrough(undefined, limit), `limit ${limit}`).toEqual(created.map((c) => c.campaignId).reverse());
  });

  it('shows a manager its branch\'s campaigns only', async () => {
    expect(await pageThrough(managerN1, 2)).toEqual(expectedFor(['n1']));
  });

  it('merges the lists of a reader granted two branches, without a gap or a repeat, whatever the page size', async () => {
    const expected = expectedFor(['n2', 's1']);
    expect(expected.length).toBe(5);
    for (const limit of [1, 2, 4, 100]) expect(await pageThrough(analystTwoBranches, limit), `limit ${limit}`).toEqual(expected);
  });

  it('refuses a cursor it did not give out, or another reader\'s', async () => {
    const managerCursor = (await platform.api('GET', '/admin/campaigns?limit=1', { token: managerN1.token })).body.cursor as string;
    expect(managerCursor).toBeDefined();
    for (const cursor of ['x', Buffer.from('{"CAMPAIGNS":null}').toString('base64url'), managerCursor]) {
      const res = await platform.api('GET', `/admin/campaigns?cursor=${cursor}`, { token: analystTwoBranches.token });
      expect(res.status, cursor).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    }
    expect((await platform.api('GET', '/admin/campaigns?limit=0')).status).toBe(400);
  });
});

describe('GET /admin/campaigns/{campaignId}/invitations', () => {
  let campaignId: string;
  let tokens: string[];
  const people = ['王小明', '李四', '赵六', '钱七', '孙八'].map((name, i) => ({ name, phone: `+86138000009${i}0`, orgUnitId: 'n1' }));
  beforeAll(async () => {
    const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: people } });
    expect(res.status, res.text).toBe(201);
    campaignId = res.body.campaignId;
    tokens = res.body.invitations.map((invitation: { token: string }) => invitation.token);
    const answered = await platform.api('POST', `/s/${tokens[2]}`, { token: null, body: { answers: { q1: 4, q2: 5, q3: 2, q4: 4, q5: 3 } } });
    expect(answered.status, answered.text).toBe(201);
  });

  const allPages = async (user: TestUser | undefined, limit: number) => {
    const invitations: { invitationId: string; status: string; contact: { name?: string; phone?: string } }[] = [];
    let cursor: string | undefined;
    do {
      const res = await platform.api('GET', `/admin/campaigns/${campaignId}/invitations?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, user ? { token: user.token } : {});
      expect(res.status, res.text).toBe(200);
      invitations.push(...res.body.invitations);
      cursor = res.body.cursor;
    } while (cursor);
    return invitations;
  };

  it('pages through every invitation once, with its status, masking the contact for a reader without pii', async () => {
    const seen = await allPages(managerN1, 2);
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((invitation) => invitation.invitationId)).size).toBe(5);
    expect(seen.map((invitation) => invitation.status).sort()).toEqual(['responded', 'sent', 'sent', 'sent', 'sent']);
    const text = JSON.stringify(seen);
    for (const person of people) {
      expect(text).not.toContain(person.phone);
      expect(text).not.toContain(person.name);
    }
    expect(seen[0]!.contact.phone).toMatch(/^\+86138\*{4}\d{4}$/);
    expect(text).not.toMatch(/"token"|\/s\//);
  });

  it('shows the contact in clear to a reader with pii', async () => {
    const piiAnalyst = await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'], pii: true });
    const names = (await allPages(piiAnalyst, 100)).map((invitation) => invitation.contact.name).sort();
    expect(names).toEqual(people.map((person) => person.name).sort());
  });

  it('answers only within the campaign\'s reach, 404 for an unknown campaign, 400 for a forged cursor', async () => {
    const southCampaign = created.find((campaign) => campaign.units.join() === 's1')!.campaignId;
    expect((await platform.api('GET', `/admin/campaigns/${southCampaign}/invitations`, { token: managerN1.token })).status).toBe(403);
    expect((await platform.api('GET', '/admin/campaigns/cmp_unknown/invitations')).status).toBe(404);
    const forged = Buffer.from(JSON.stringify({ pk: 'TOKEN#x', sk: 'INVITATION', gsi1pk: 'CAMPAIGN#other#INVITATIONS', gsi1sk: 'INV#x' })).toString('base64url');
    expect((await platform.api('GET', `/admin/campaigns/${campaignId}/invitations?cursor=${forged}`)).status).toBe(400);
  });
});

describe('POST /admin/invitations/{invitationId}/reissue', () => {
  let campaign: { campaignId: string; invitations: { invitationId: string; token: string; url: string }[] };
  const reissue = (invitationId: string, options: { body?: unknown; token?: string } = {}) => platform.api('POST', `/admin/invitations/${invitationId}/reissue`, options);
  const opens = async (token: string) => (await platform.api('GET', `/s/${token}`, { token: null })).status;
  beforeAll(async () => {
    const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: 'n1', name: '周九', phone: '+8613800000990' }, { orgUnitId: 'n1' }, { orgUnitId: 's1' }] } });
    expect(res.status, res.text).toBe(201);
    campaign = res.body;
  });

  it('gives a new link and voids the old one; the invitation stays one invitation, and the new link is answered as it', async () => {
    const [first] = campaign.invitations;
    const res = await reissue(first!.invitationId);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ invitationId: first!.invitationId, campaignId: campaign.campaignId, expiresAt: expect.any(String) });
    expect(res.body.token).not.toBe(first!.token);
    expect(res.body.url).toBe(first!.url.replace(first!.token, res.body.token));
    expect(await opens(first!.token)).toBe(404);
    expect(await opens(res.body.token)).toBe(200);
    const listed = (await platform.api('GET', `/admin/campaigns/${campaign.campaignId}/invitations`)).body.invitations as { invitationId: string }[];
    expect(listed.map((invitation) => invitation.invitationId).sort()).toEqual(campaign.invitations.map((invitation) => invitation.invitationId).sort());
    // The person is still found by their number, through the new link.
    expect((await platform.api('GET', '/admin/privacy/export?phone=13800000990')).body.invitations).toEqual([expect.objectContaining({ invitationId: first!.invitationId })]);
    const answered = await platform.api('POST', `/s/${res.body.token}`, { token: null, body: { answers: { q1: 4, q2: 5, q3: 2, q4: 4, q5: 3 } } });
    expect(answered.status, answered.text).toBe(201);
    expect((await platform.api('GET', `/admin/campaigns/${campaign.campaignId}`)).body.invitations.find((i: { invitationId: string }) => i.invitationId === first!.invitationId).status).toBe('responded');
    // Answered: a new link would change nothing.
    expect((await reissue(first!.invitationId)).status).toBe(409);
  });

  it('finishes a re-issue that stopped after its commit, and gives the newest link', async () => {
    const second = campaign.invitations[1]!;
    // The state a crash after the commit point leaves: the copy unlisted, the old item superseded, the ref moved.
    const client = platform.deps.store.client;
    const TableName = platform.deps.store.tableName;
    const old = (await client.send(new GetCommand({ TableName, Key: keys.invitation(second.token), ConsistentRead: true }))).Item!;
    const { gsi1pk: _pk, gsi1sk: _sk, ...unlisted } = old;
    await client.send(new PutCommand({ TableName, Item: { ...unlisted, ...keys.invitation('interrupted-token'), token: 'interrupted-token', reissuedFrom: second.token } }));
    await client.send(new UpdateCommand({ TableName, Key: keys.invitation(second.token), UpdateExpression: 'SET supersededBy = :t', ExpressionAttributeValues: { ':t': 'interrupted-token' } }));
    await client.send(new UpdateCommand({ TableName, Key: keys.invitationRef(second.invitationId), UpdateExpression: 'SET #token = :t', ExpressionAttributeNames: { '#token': 'token' }, ExpressionAttributeValues: { ':t': 'interrupted-token' } }));
    expect(await opens(second.token)).toBe(404);

    const res = await reissue(second.invitationId);
    expect(res.status, res.text).toBe(200);
    expect(await opens('interrupted-token')).toBe(404);
    expect(await opens(res.body.token)).toBe(200);
    expect((await client.send(new GetCommand({ TableName, Key: keys.invitation(second.token) }))).Item).toBeUndefined();
    const listed = (await platform.api('GET', `/admin/campaigns/${campaign.campaignId}/invitations`)).body.invitations as { invitationId: string }[];
    expect(listed.filter((invitation) => invitation.invitationId === second.invitationId)).toHaveLength(1);
  });

  it('gives a working link after a re-issue that stopped before its commit, and after a double click', async () => {
    const third = campaign.invitations[1]!;
    const current = (await reissue(third.invitationId)).body.token as string;
    // A re-issue that marked the old item superseded and stopped before moving the ref.
    const client = platform.deps.store.client;
    const TableName = platform.deps.store.tableName;
    await client.send(new UpdateCommand({ TableName, Key: keys.invitation(current), UpdateExpression: 'SET supersededBy = :t', ExpressionAttributeValues: { ':t': 'never-committed' } }));
    const retried = await reissue(third.invitationId);
    expect(retried.status, retried.text).toBe(200);
    expect(await opens(retried.body.token)).toBe(200);
    // Two at once: one wins, the other is told; the winner's link works.
    const both = await Promise.all([reissue(third.invitationId), reissue(third.invitationId)]);
    const winners = both.filter((res) => res.status === 200);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    for (const res of both) expect([200, 409]).toContain(res.status);
    const newest = (await platform.api('POST', `/admin/invitations/${third.invitationId}/reissue`)).body.token as string;
    expect(await opens(newest)).toBe(200);
  });

  it('re-issues only within the caller\'s scope and role, and never an SMS invitation', async () => {
    const south = campaign.invitations[2]!;
    const analystNorth = await createTestUser(platform, { role: 'analyst', orgUnits: ['north'] });
    expect((await reissue(south.invitationId, { token: analystNorth.token })).status).toBe(403);
    expect((await reissue(south.invitationId, { token: managerN1.token })).status).toBe(403);
    expect(await opens(south.token)).toBe(200);
    expect((await reissue('inv_unknown')).status).toBe(404);
    expect((await reissue(south.invitationId, { body: { campaignId: 'x'.repeat(500) } })).status).toBe(400);
    const contact = await platform.api('POST', '/admin/contacts', { body: { contacts: [{ name: '吴十', phone: '13800000991', orgUnitId: 'n1' }] } });
    const sms = { signature: '【示例银行】', template: { 'zh-CN': '请评价：{link}', en: 'Please rate: {link}' }, marketing: false };
    const smsCampaign = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'sms', sms, contactIds: [contact.body.rows[0].contactId] } });
    expect(smsCampaign.status, smsCampaign.text).toBe(201);
    const smsInvitation = smsCampaign.body.invitations[0];
    const refused = await reissue(smsInvitation.invitationId, { body: { campaignId: smsCampaign.body.campaignId } });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.message).toMatch(/SMS/);
  });
});

