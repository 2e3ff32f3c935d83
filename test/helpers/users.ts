/**
 * Users for tests: created through POST /admin/users (break-glass token), with a token minted by the
 * platform's own signer, exactly what POST /auth/login would return (sign-in is tested on its own,
 * and scrypt costs ~0.1-0.3 s per hash).
 */
import type { Role } from '../../functions/domain/access/roles';
import type { UserRecord } from '../../functions/domain/access/users';
import type { TestPlatform } from './platform';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  userId: string;
  email: string;
  token: string;
}

let counter = 0;

export async function createTestUser(platform: TestPlatform, options: { role: Role; orgUnits: string[]; pii?: boolean; email?: string; password?: string }): Promise<TestUser> {
  const email = options.email ?? `user${++counter}.${options.role}@example.com`;
  const created = await platform.api('POST', '/admin/users', {
    body: { email, name: `Test ${options.role}`, role: options.role, orgUnits: options.orgUnits, ...(options.pii ? { pii: true } : {}), password: options.password ?? TEST_PASSWORD },
  });
  if (created.status !== 201) throw new Error(`creating ${email}: ${created.status} ${created.text}`);
  const user = await platform.deps.store.getUser(created.body.userId as string);
  if (!user) throw new Error(`user ${created.body.userId} not stored`);
  return { userId: user.userId, email, token: (await platform.tokens.forUser(user)).token };
}

/** The org tree of the access tests: hq > north > n1 and hq > south > s1. */
export const BRANCH_TREE = [
  { id: 'hq', name: 'HQ' },
  { id: 'north', name: 'North', parentId: 'hq' },
  { id: 'south', name: 'South', parentId: 'hq' },
  { id: 'n1', name: 'N1', parentId: 'north' },
  { id: 's1', name: 'S1', parentId: 'south' },
];

/** A user record as the store keeps it, for tests below the HTTP layer. */
export const userRecord = (overrides: Partial<UserRecord> = {}): UserRecord => ({
  userId: 'usr_1',
  email: 'li.wei@example.com',
  name: 'Li Wei',
  language: 'zh-CN',
  role: 'manager',
  orgUnits: ['cityA'],
  pii: false,
  disabled: false,
  createdAt: '2026-11-10T02:00:00.000Z',
  updatedAt: '2026-11-10T02:00:00.000Z',
  createdBy: 'break-glass',
  revision: 1,
  ...overrides,
});
