/**
 * `npx manyi users add` against a running local platform: the user exists, the printed one-time
 * password signs in only to be replaced, and bad options are one line on stderr with exit code 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manyi } from '../helpers/cli';
import { ADMIN_TOKEN, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
  const units = await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }, { id: 'b1', name: 'B1', parentId: 'hq' }] } });
  expect(units.status).toBe(200);
}, 60_000);
afterAll(async () => platform?.stop());

describe('manyi users add', () => {
  it('adds the user and prints a one-time password that must be changed at the first sign-in', async () => {
    const run = await manyi('users', 'add', '--email', 'Li.Na@example.com', '--role', 'manager', '--unit', 'b1', '--pii', '--url', platform.url, '--token', ADMIN_TOKEN);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const password = /one-time password: (\S+)/.exec(run.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const user = await platform.deps.store.getUserByEmail('li.na@example.com');
    expect(user).toMatchObject({ role: 'manager', orgUnits: ['b1'], pii: true, disabled: false });

    const first = await platform.api('POST', '/auth/login', { token: null, body: { email: 'li.na@example.com', password } });
    expect(first.status, first.text).toBe(200);
    expect(first.body.passwordChangeRequired).toBe(true);
    const changed = await platform.api('POST', '/auth/login', { token: null, body: { email: 'li.na@example.com', password, newPassword: 'a new and long password' } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.passwordChangeRequired).toBeUndefined();
    const me = await platform.api('GET', '/admin/me', { token: changed.body.token });
    expect(me.body).toMatchObject({ role: 'manager', orgUnits: ['b1'], pii: true, passwordChangeRequired: false });
  });

  it('refuses a missing role, an unknown unit and an unreachable platform with one line and exit code 1', async () => {
    const noRole = await manyi('users', 'add', '--email', 'a@example.com', '--unit', 'hq', '--url', platform.url, '--token', ADMIN_TOKEN);
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toMatch(/^manyi users add: --role is required/);
    const unknownUnit = await manyi('users', 'add', '--email', 'b@example.com', '--role', 'agent', '--unit', 'nowhere', '--url', platform.url, '--token', ADMIN_TOKEN);
    expect(unknownUnit.code).toBe(1);
    expect(unknownUnit.stderr).toContain('unknown organisation unit "nowhere"');
    const down = await manyi('users', 'add', '--email', 'c@example.com', '--role', 'agent', '--unit', 'hq', '--url', 'http://127.0.0.1:9', '--token', ADMIN_TOKEN);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('does not answer');
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
  });
});
