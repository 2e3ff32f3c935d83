/**
 * The local runtime's dev routes (outbox, clock, simulated inbound SMS) attacked as the review of
 * issue #12 did: without credentials, as a non-admin, cross-site as text/plain, and the platform
 * bound to the network; and the redirects of /dev/login with off-site `next` values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPlatform } from '../../functions/local/platform';
import { safeNext } from '../../functions/pages/login';
import { ADMIN_TOKEN, fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser } from '../helpers/users';

let platform: TestPlatform;
let analystToken: string;
let adminUserToken: string;
let managerToken: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  analystToken = (await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'] })).token;
  managerToken = (await createTestUser(platform, { role: 'manager', orgUnits: ['north'] })).token;
  adminUserToken = (await createTestUser(platform, { role: 'admin', orgUnits: ['north'] })).token;
}, 60_000);
afterAll(async () => platform?.stop());

const DEV_REQUESTS = [
  { method: 'GET', path: '/dev/outbox' },
  { method: 'GET', path: '/dev/clock' },
  { method: 'POST', path: '/dev/clock', body: { now: '2026-11-11T00:00:00+08:00' } },
  { method: 'POST', path: '/dev/sms/inbound', body: { from: '+8613800138000', body: 'TD' } },
] as const;

describe('the dev routes', () => {
  it.each(DEV_REQUESTS)('$method $path answers 401 without credentials and 403 to a manager or an analyst, changing nothing', async ({ method, path, ...rest }) => {
    const before = platform.clock.now().toISOString();
    const body = 'body' in rest ? rest.body : undefined;
    expect((await platform.api(method, path, { token: null, ...(body ? { body } : {}) })).status).toBe(401);
    expect((await platform.api(method, path, { token: 'not-a-token', ...(body ? { body } : {}) })).status).toBe(401);
    const refused = await platform.api(method, path, { token: managerToken, ...(body ? { body } : {}) });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('the dev routes are for admins');
    expect((await platform.api(method, path, { token: analystToken, ...(body ? { body } : {}) })).status).toBe(403);
    expect(platform.clock.now().toISOString()).toBe(before);
  });

  it('mask the outbox\'s numbers for an admin without pii, and take a reply to an invitation\'s message', async () => {
    await platform.outbox.send({ to: '+8613800138123', body: '【示例】test', segments: 1, kind: 'transactional', idempotencyKey: 'dev-routes-outbox', campaignId: 'cmp_x', invitationId: 'inv_x' });
    const listed = await platform.api('GET', '/dev/outbox?channel=sms', { token: adminUserToken });
    expect(listed.status).toBe(200);
    expect((listed.body as { to: string; campaignId: string }[]).find((message) => message.campaignId === 'cmp_x')?.to).toBe('+86138****8123');
    const unmasked = await platform.api('GET', '/dev/outbox?channel=sms');
    expect((unmasked.body as { to: string; campaignId: string }[]).find((message) => message.campaignId === 'cmp_x')?.to).toBe('+8613800138123');
    const reply = await platform.api('POST', '/dev/sms/inbound', { body: { replyTo: 'inv_x', body: 'TD' } });
    expect(reply.status).toBe(200);
    expect(reply.body.outcome).toBe('opted-out');
    expect((await platform.api('POST', '/dev/sms/inbound', { body: { replyTo: 'inv_nowhere', body: 'TD' } })).status).toBe(404);
  });

  it('serve the break-glass token and a signed-in admin', async () => {
    expect((await platform.api('GET', '/dev/clock')).status).toBe(200);
    expect((await platform.api('GET', '/dev/outbox', { token: adminUserToken })).status).toBe(200);
  });

  it('take JSON only: a text/plain body (what another site can post) is 415 and moves no clock', async () => {
    const before = platform.clock.now().toISOString();
    const plain = await platform.api('POST', '/dev/clock', { body: JSON.stringify({ now: '2030-01-01T00:00:00Z' }), headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect(platform.clock.now().toISOString()).toBe(before);
  });

  it('refuse a cookie session\'s write without its CSRF token', async () => {
    const session = await platform.api('GET', `/dev/login?token=${ADMIN_TOKEN}&next=/health`, { token: null });
    const cookie = /manyi_session=[^;]+/.exec(session.headers.get('set-cookie') ?? '')?.[0];
    expect(cookie).toBeDefined();
    const write = await platform.api('POST', '/dev/clock', { token: null, body: { now: null }, headers: { cookie: cookie! } });
    expect(write.status).toBe(403);
    expect((await platform.api('GET', '/dev/outbox', { token: null, headers: { cookie: cookie! } })).status).toBe(200);
  });

  it('read no more than the API does (6 MB): a larger body is 413', async () => {
    const huge = JSON.stringify({ from: '+8613800138000', body: 'x'.repeat(7 * 1024 * 1024) });
    expect((await platform.api('POST', '/dev/sms/inbound', { body: huge })).status).toBe(413);
  });
});

describe('the platform on a network address', () => {
  it('refuses to start on a non-loopback address unless told to, before starting anything', async () => {
    await expect(startLocalPlatform({ host: '0.0.0.0', logLevel: 'SILENT' })).rejects.toThrow(/MANYI_ALLOW_REMOTE=true/);
  });
});

describe('/dev/login and the sign-in page keep `next` on this site', () => {
  it.each(['//evil.example/x', '/\\evil.example/x', '/%5Cevil.example/x', '/%2F%2Fevil.example', '/\tevil.example', 'https://evil.example', '/..//evil.example', 'javascript:alert(1)'])('%s goes to the default instead', async (next) => {
    expect(safeNext(next)).toBeUndefined();
    const res = await platform.api('GET', `/dev/login?token=${ADMIN_TOKEN}&next=${encodeURIComponent(next)}`, { token: null });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/health');
  });

  it('keeps a same-site path with its query', async () => {
    const res = await platform.api('GET', `/dev/login?token=${ADMIN_TOKEN}&next=${encodeURIComponent('/admin/reports/x?orgUnit=hq')}`, { token: null });
    expect(res.headers.get('location')).toBe('/admin/reports/x?orgUnit=hq');
  });
});

describe('respondent links', () => {
  it('come from configuration (the platform\'s address), whatever Host and X-Forwarded-Proto the request claims', async () => {
    expect([200, 201]).toContain((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status);
    const res = await platform.api('POST', '/admin/campaigns', {
      body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: 'n1' }] },
      headers: { host: 'evil.example', 'x-forwarded-proto': 'javascript' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.invitations[0].url).toBe(`${platform.url}/s/${res.body.invitations[0].token}`);
  });
});
