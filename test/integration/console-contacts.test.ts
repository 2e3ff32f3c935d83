/**
 * GET /admin/contacts (issue #13) through HTTP against dynalite, with field encryption on (so the
 * search works on sealed data): pages through the reader's units in tree order, masked unless
 * pii, each contact's SMS opt-out; a query by phone or e-mail (the person index), by external id,
 * by part of a name; a manager sees its branch only; refused input is a 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, type TestUser } from '../helpers/users';

let platform: TestPlatform;
let managerNorth: TestUser;
let piiAnalyst: TestUser;
const contacts = [
  ...Array.from({ length: 7 }, (_, i) => ({ name: `北方客户${i}`, phone: `1380000110${i}`, orgUnitId: i % 2 === 0 ? 'n1' : 'north' })),
  { name: '王小明', phone: '13800001200', email: 'wang.xm@example.com', externalId: 'CRM-9', orgUnitId: 's1' },
  { name: '李王氏', phone: '13800001201', orgUnitId: 'n1' },
];
type View = { contactId: string; orgUnitId: string; name?: string; phone?: string; email?: string; optedOut: { sms?: boolean } };

const search = async (query: string, user?: TestUser) => {
  const res = await platform.api('GET', `/admin/contacts${query}`, user ? { token: user.token } : {});
  expect(res.status, res.text).toBe(200);
  return res.body as { contacts: View[]; cursor?: string };
};
const everyPage = async (query: string, user?: TestUser) => {
  const seen: View[] = [];
  let cursor: string | undefined;
  do {
    const page = await search(`${query}${cursor ? `&cursor=${cursor}` : ''}`, user);
    seen.push(...page.contacts);
    cursor = page.cursor;
  } while (cursor);
  return seen;
};

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'), { fieldEncryption: true });
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  const imported = await platform.api('POST', '/admin/contacts', { body: { contacts } });
  expect(imported.status, imported.text).toBe(200);
  expect((await platform.api('POST', '/dev/sms/inbound', { body: { from: '13800001100', body: 'TD' } })).body.outcome).toBe('opted-out');
  managerNorth = await createTestUser(platform, { role: 'manager', orgUnits: ['north'] });
  piiAnalyst = await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'], pii: true });
});
afterAll(async () => {
  await platform?.stop();
});

describe('GET /admin/contacts', () => {
  it('pages through every contact of the reader\'s units once, in tree order, masked unless pii', async () => {
    for (const limit of [1, 3, 50]) {
      const seen = await everyPage(`?limit=${limit}`);
      expect(seen.map((contact) => contact.contactId).length, `limit ${limit}`).toBe(contacts.length);
      expect(new Set(seen.map((contact) => contact.contactId)).size).toBe(contacts.length);
      // Tree order: hq's subtree is north, n1, south, s1.
      expect(seen.map((contact) => contact.orgUnitId)).toEqual([...seen.map((contact) => contact.orgUnitId)].sort((a, b) => ['north', 'n1', 'south', 's1'].indexOf(a) - ['north', 'n1', 'south', 's1'].indexOf(b)));
    }
    const text = JSON.stringify(await everyPage('?limit=50'));
    for (const contact of contacts) {
      expect(text).not.toContain(contact.phone);
      expect(text).not.toContain(contact.name);
    }
    const clear = await everyPage('?limit=50', piiAnalyst);
    expect(clear.find((contact) => contact.phone === '+8613800001200')).toMatchObject({ name: '王小明', email: 'wang.xm@example.com', optedOut: { sms: false } });
    expect(clear.find((contact) => contact.phone === '+8613800001100')?.optedOut).toEqual({ sms: true });
  });

  it('finds a person by phone, e-mail or external id, and by part of a name', async () => {
    const names = async (query: string) => (await search(`?query=${encodeURIComponent(query)}`, piiAnalyst)).contacts.map((contact) => contact.name).sort();
    expect(await names('138 0000 1200')).toEqual(['王小明']);
    expect(await names('WANG.XM@example.com')).toEqual(['王小明']);
    expect(await names('CRM-9')).toEqual(['王小明']);
    expect(await names('王')).toEqual(['李王氏', '王小明']);
    expect(await names('13900009999')).toEqual([]);
  });

  it('shows a manager its branch only, whatever it asks', async () => {
    const seen = await everyPage('?limit=2', managerNorth);
    expect(new Set(seen.map((contact) => contact.orgUnitId))).toEqual(new Set(['north', 'n1']));
    expect(seen).toHaveLength(8);
    expect((await search('?query=13800001200', managerNorth)).contacts).toEqual([]);
    // Without pii a name is matched whole, never by a part that could be grown into it.
    expect((await search(`?query=${encodeURIComponent('王')}`, managerNorth)).contacts).toEqual([]);
    expect((await search(`?query=${encodeURIComponent('李王氏')}`, managerNorth)).contacts).toEqual([expect.objectContaining({ name: '李**' })]);
  });

  it('refuses bad input with a 400', async () => {
    for (const query of ['?limit=0', '?limit=x', '?query=', `?query=${'a'.repeat(101)}`, '?cursor=abc', `?cursor=${Buffer.from('{"unit":"s1"}').toString('base64url')}`, '?sort=name']) {
      const res = await platform.api('GET', `/admin/contacts${query}`, { token: managerNorth.token });
      expect(res.status, query).toBe(400);
    }
  });
});
