/**
 * The organisation page's routes (issue #13) through HTTP against dynalite: a CSV import of units
 * (taken whole or refused whole, problems naming the file's rows), a rename and a move as upserts
 * of one unit, a move under its own subtree refused; a branch admin may change its own subtree only;
 * GET lists each unit's managers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, type TestUser } from '../helpers/users';

let platform: TestPlatform;
let northAdmin: TestUser;
const csv = (text: string, token?: string) => platform.api('POST', '/admin/org-units', { body: text, headers: { 'content-type': 'text/csv' }, ...(token ? { token } : {}) });
const units = async () => (await platform.api('GET', '/admin/org-units')).body.units as { id: string; name: string; parentId?: string; managers: { userId: string; name: string }[] }[];

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  northAdmin = await createTestUser(platform, { role: 'admin', orgUnits: ['north'] });
  await createTestUser(platform, { role: 'manager', orgUnits: ['n1'] });
});
afterAll(async () => {
  await platform?.stop();
});

describe('POST /admin/org-units with a CSV file', () => {
  it('imports a subtree of any depth, parents in any order, headers in any case', async () => {
    const res = await csv('ID,Name,ParentId\nn1a,N1 柜台 A,n1x\nn1x,N1 二级,n1\nn1b,N1 柜台 B,n1x\n');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ upserted: 3, total: BRANCH_TREE.length + 3 });
    const after = await units();
    expect(after.find((u) => u.id === 'n1a')).toMatchObject({ name: 'N1 柜台 A', parentId: 'n1x' });
    // Depth first: each unit followed by its subtree.
    const order = after.map((u) => u.id);
    expect(order.slice(order.indexOf('n1'), order.indexOf('n1') + 4)).toEqual(['n1', 'n1x', 'n1a', 'n1b']);
  });

  it('refuses the whole file when a row is wrong, naming the row, and changes nothing', async () => {
    const before = await units();
    const res = await csv('id,name,parentId\nz1,Z1,hq\nz2,Z2,hq\nz3,,hq\n');
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((p: { path: string }) => p.path)).toEqual(['row 3.name']);
    const orphan = await csv('id,name,parentId\nz1,Z1,hq\nz2,Z2,nowhere\n');
    expect(orphan.status, orphan.text).toBe(400);
    expect(orphan.body.errors).toEqual([expect.objectContaining({ path: 'row 2.parentId', message: expect.stringContaining('nowhere') })]);
    expect(await units()).toEqual(before);
  });

  it('refuses unknown columns and unreadable files with a 400', async () => {
    for (const [text, message] of [
      ['id,name,manager\nx,X,bob\n', /unknown column ..manager/],
      ['name\nX\n', /id, name and parentId are required/],
      // Without parentId a rename-only file would move every unit it names to the top.
      ['id,name\nn1,N1 renamed\n', /parentId are required/],
      ['id,name\n"x,X\n', /\S/],
      ['', /empty/],
    ] as const) {
      const res = await csv(text);
      expect(res.status, `${text}: ${res.text}`).toBe(400);
      expect(JSON.stringify(res.body.errors)).toMatch(message);
    }
  });
});

describe('rename and move', () => {
  it('renames and moves a unit by upserting it, and refuses a move below its own subtree', async () => {
    expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'n1x', name: 'N1 片区', parentId: 'n1' }] } })).status).toBe(200);
    expect((await units()).find((u) => u.id === 'n1x')?.name).toBe('N1 片区');
    const moved = await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'n1x', name: 'N1 片区', parentId: 'north' }] } });
    expect(moved.status, moved.text).toBe(200);
    expect((await units()).find((u) => u.id === 'n1a')?.parentId).toBe('n1x');
    const cycle = await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'n1x', name: 'N1 片区', parentId: 'n1a' }] } });
    expect(cycle.status).toBe(400);
    expect((await units()).find((u) => u.id === 'n1x')?.parentId).toBe('north');
  });

  it('lets a branch admin change its own subtree only', async () => {
    expect((await csv('id,name,parentId\nn9,N9,north\n', northAdmin.token)).status).toBe(200);
    expect((await csv('id,name,parentId\ns9,S9,south\n', northAdmin.token)).status).toBe(403);
    // Moving one's unit out of one's scope is a change outside it too.
    expect((await csv('id,name,parentId\nn9,N9,south\n', northAdmin.token)).status).toBe(403);
  });

  it('lists the managers of each unit', async () => {
    const n1 = (await units()).find((u) => u.id === 'n1');
    expect(n1?.managers).toEqual([expect.objectContaining({ name: 'Test manager' })]);
  });
});
