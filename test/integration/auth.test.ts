/**
 * Sign-in, sessions, users and the audit trail of the local platform, through HTTP against
 * dynalite: POST /auth/login (JSON and form), the temporary password, the throttle, the token's
 * verification (tampered, expired, not ours), the session cookie and its CSRF token, GET /login and
 * GET /dev/login, the users routes (conflicts, validation, self-changes, masking, scope) and
 * GET /admin/audit (what a record holds and never holds, filters, limits, scope, TTL).
 *
 * The role x route matrix is test/integration/access-matrix.test.ts's; this file does not repeat it.
 * One platform for the file, its clock frozen and only ever moved forward (no sleeps). Tokens are
 * minted afresh for each request (`tokenOf`), so moving the clock never leaves a test with a stale one.
 * Every failed sign-in also counts against the client address (20 free per 30 minutes, all from
 * 127.0.0.1 here), so the file keeps its failed sign-ins few.
 */
import { decodeJwt, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyDigest } from '../../functions/app/audit';
import type { AuditRecord } from '../../functions/domain/access/audit';
import type { Role } from '../../functions/domain/access/roles';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../functions/local/tokens';
import { maskEmail, maskName } from '../../functions/shared/privacy';
import { partitionItems } from '../helpers/items';
import { ADMIN_TOKEN, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, TEST_PASSWORD, type TestUser } from '../helpers/users';

const T0 = new Date('2026-11-10T02:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let platform: TestPlatform;

/** The users every part of the file shares (each test makes the users it changes). */
const users = {} as Record<'hqAdmin' | 'hqAdminPii' | 'northAdmin' | 'northManager' | 'analystN1' | 'southAgent', TestUser>;

// ---- helpers ---------------------------------------------------------------------------------------

const now = () => platform.clock.now();
const advance = (ms: number) => platform.clock.advance(ms);
/** A calendar date in the platform's zone (Asia/Shanghai, UTC+8 without summer time). */
const localDate = (instant: Date) => new Date(instant.getTime() + 8 * HOUR).toISOString().slice(0, 10);

/** A full token of a stored user, minted now (what POST /auth/login would return). */
async function tokenOf(user: { userId: string }): Promise<string> {
  const record = await platform.deps.store.getUser(user.userId);
  if (!record) throw new Error(`no user ${user.userId}`);
  return (await platform.tokens.forUser(record)).token;
}

const login = (body: unknown, headers: Record<string, string> = {}) => platform.api('POST', '/auth/login', { token: null, body, headers });

const formPost = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  platform.api('POST', path, { token: null, body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

/** The session cookie's value in a Set-Cookie header (undefined when there is none). */
const sessionOf = (headers: Headers): string | undefined => /(?:^|[\s,])manyi_session=([^;]*)/.exec(headers.get('set-cookie') ?? '')?.[1];

/** Request options that authenticate by the session cookie alone. */
const byCookie = (session: string, headers: Record<string, string> = {}) => ({ token: null, headers: { cookie: `manyi_session=${session}`, ...headers } });

let userCounter = 0;
/** A user created by the break-glass admin with a name and e-mail of its own. */
async function makeUser(options: { role: Role; orgUnits: string[]; password?: string | null; name?: string; pii?: boolean }) {
  const email = `auth${++userCounter}.${options.role}@example.com`;
  const res = await platform.api('POST', '/admin/users', {
    body: {
      email,
      name: options.name ?? `Auth Person ${userCounter}`,
      role: options.role,
      orgUnits: options.orgUnits,
      ...(options.pii ? { pii: true } : {}),
      ...(options.password === null ? {} : { password: options.password ?? TEST_PASSWORD }),
    },
  });
  if (res.status !== 201) throw new Error(`creating ${email}: ${res.status} ${res.text}`);
  return { userId: res.body.userId as string, email, temporaryPassword: res.body.temporaryPassword as string | undefined };
}

/** The signing key of the platform (LocalTokens keeps it in a private field; tests forge tokens with it). */
const signingKey = () => (platform.tokens as unknown as { privateKey: CryptoKey }).privateKey;

async function sign(payload: JWTPayload, key: CryptoKey | Uint8Array = signingKey(), alg = 'ES256'): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const me = (token: string | null, headers: Record<string, string> = {}) => platform.api('GET', '/admin/me', { token, headers });

const auditRange = () => `from=${localDate(T0)}&to=${localDate(now())}`;

async function audit(query: string, token: string | null = ADMIN_TOKEN): Promise<{ status: number; records: AuditRecord[]; text: string; body: any }> {
  const res = await platform.api('GET', `/admin/audit?${query}`, { token });
  return { status: res.status, records: (res.body?.records ?? []) as AuditRecord[], text: res.text, body: res.body };
}

// ---- the platform ----------------------------------------------------------------------------------

beforeAll(async () => {
  platform = await startTestPlatform(T0);
  const units = await platform.api('POST', '/admin/org-units', {
    body: {
      units: BRANCH_TREE,
    },
  });
  if (units.status !== 200) throw new Error(`org units: ${units.status} ${units.text}`);
  users.hqAdmin = await createTestUser(platform, { role: 'admin', orgUnits: ['hq'] });
  users.hqAdminPii = await createTestUser(platform, { role: 'admin', orgUnits: ['hq'], pii: true });
  users.northAdmin = await createTestUser(platform, { role: 'admin', orgUnits: ['north'] });
  users.northManager = await createTestUser(platform, { role: 'manager', orgUnits: ['north'] });
  users.analystN1 = await createTestUser(platform, { role: 'analyst', orgUnits: ['n1'] });
  users.southAgent = await createTestUser(platform, { role: 'agent', orgUnits: ['s1'] });
}, 60_000);
afterAll(async () => platform?.stop());

// ---- POST /auth/login --------------------------------------------------------------------------------

describe('POST /auth/login', () => {
  it('refuses a sign-in from another site (login CSRF) and a body that does not say it is JSON', async () => {
    const account = await makeUser({ role: 'agent', orgUnits: ['n1'] });
    const credentials = { email: account.email, password: TEST_PASSWORD };
    const foreign = await login(credentials, { origin: 'https://evil.example' });
    expect(foreign.status, foreign.text).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    expect((await formPost('/auth/login', credentials, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const plain = await platform.api('POST', '/auth/login', { token: null, body: JSON.stringify(credentials), headers: { 'content-type': 'text/plain' } });
    expect(plain.status, plain.text).toBe(415);
    expect(plain.headers.get('set-cookie')).toBeNull();
    // The platform's own page posts with its own origin.
    const own = await login(credentials, { origin: platform.url });
    expect(own.status, own.text).toBe(200);
    expect((await platform.api('POST', '/auth/logout', { token: null, headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('signs a user in: a token for 8 hours, a CSRF token, and the session cookie', async () => {
    const res = await login({ email: users.analystN1.email, password: TEST_PASSWORD });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['csrfToken', 'expiresAt', 'token']);
    expect(res.body.expiresAt).toBe(new Date(now().getTime() + 8 * HOUR).toISOString());
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const claims = decodeJwt(res.body.token);
    expect(claims).toMatchObject({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub: users.analystN1.userId, token_use: 'id', 'manyi:csrf': res.body.csrfToken });
    expect(claims.exp).toBe(Date.parse(res.body.expiresAt) / 1000);

    const cookie = res.headers.get('set-cookie') ?? '';
    expect(sessionOf(res.headers)).toBe(res.body.token);
    const attributes = cookie.split(';').map((part) => part.trim());
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/');
    expect(attributes).toContain(`Max-Age=${8 * 3600}`);
  });

  it('takes the e-mail in any case and with spaces around it', async () => {
    const res = await login({ email: `  ${users.analystN1.email.toUpperCase()} `, password: TEST_PASSWORD });
    expect(res.status, res.text).toBe(200);
    expect(decodeJwt(res.body.token).sub).toBe(users.analystN1.userId);
  });

  it('answers a wrong password and an unknown e-mail alike: 401, the same body, no cookie', async () => {
    const wrongPassword = await login({ email: users.analystN1.email, password: 'not the password at all' });
    const unknownEmail = await login({ email: 'nobody.here@example.com', password: TEST_PASSWORD });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.text).toBe(unknownEmail.text);
    expect(wrongPassword.body).toEqual({ message: 'wrong e-mail or password' });
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();
    expect(unknownEmail.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    ['no body', ''],
    ['a body that is not JSON', 'email=a@example.com&password=x'],
    ['JSON null', 'null'],
    ['a JSON list', '[]'],
    ['no password', { email: 'a@example.com' }],
    ['no e-mail', { password: TEST_PASSWORD }],
    ['an e-mail that is not a string', { email: 42, password: TEST_PASSWORD }],
    ['a password that is not a string', { email: 'a@example.com', password: ['x'] }],
    ['a blank e-mail', { email: '   ', password: TEST_PASSWORD }],
    ['an unknown field', { email: 'a@example.com', password: TEST_PASSWORD, role: 'admin' }],
    ['a body over 16 KiB', { email: 'a@example.com', password: 'x'.repeat(17 * 1024) }],
  ])('refuses %s with 400 and a message, never 5xx', async (_label, body) => {
    const res = await login(body);
    expect(res.status, res.text).toBe(400);
    expect(res.body.message).toMatch(/JSON|"email" and "password"|too large/);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('names the fields of a bad body', async () => {
    const res = await login({ email: 42 });
    expect(res.body.message).toBe('give "email" and "password"');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'password']);
    const notJson = await login('{"email":');
    expect(notJson.body.message).toBe('the body is not valid JSON');
  });
});

// ---- sessions --------------------------------------------------------------------------------------

describe('the session token', () => {
  it('opens GET /admin/me with the stored role and units, until its 8 hours have passed', async () => {
    const signedIn = await login({ email: users.northManager.email, password: TEST_PASSWORD });
    expect(signedIn.status).toBe(200);
    const { token } = signedIn.body;
    const session = sessionOf(signedIn.headers)!;

    const first = await me(token);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ role: 'manager', orgUnits: ['north'], pii: false, passwordChangeRequired: false });
    expect(first.body.user.userId).toBe(users.northManager.userId);
    expect(first.body.permissions).toContain('audit:read');
    expect(first.body.permissions).not.toContain('users:manage');
    expect(JSON.stringify(first.body)).not.toMatch(/hash|revision|createdBy/);

    advance(8 * HOUR - 1000);
    expect((await me(token)).status).toBe(200);
    advance(2000);
    const expired = await me(token);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: 'Unauthorized' });
    const expiredCookie = await me(null, { cookie: `manyi_session=${session}` });
    expect(expiredCookie.status).toBe(401);
    expect(expiredCookie.body.message).toMatch(/sign in again/);
  });

  it('without any credential, answers 401', async () => {
    expect((await me(null)).status).toBe(401);
    expect((await me(null, { authorization: 'Basic YWRtaW46YWRtaW4=' })).status).toBe(401);
  });
});

// ---- temporary passwords ------------------------------------------------------------------------------

describe('a temporary password', () => {
  it('signs in only to be replaced, opens GET /admin/me alone, and is gone once replaced', async () => {
    const created = await makeUser({ role: 'analyst', orgUnits: ['n1'], password: null });
    const temporary = created.temporaryPassword!;
    expect(temporary).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await platform.deps.store.getCredential(created.userId))?.mustChange).toBe(true);

    const first = await login({ email: created.email, password: temporary });
    expect(first.status, first.text).toBe(200);
    expect(first.body.passwordChangeRequired).toBe(true);
    const limited = first.body.token as string;

    const self = await me(limited);
    expect(self.status, self.text).toBe(200);
    expect(self.body).toMatchObject({ passwordChangeRequired: true, permissions: ['self:read'], role: 'analyst' });
    // Every other route the role could take is refused (403: the user is known, the token is limited).
    for (const [method, path, body] of [
      ['GET', '/admin/commitments', undefined],
      ['GET', '/admin/reports/none?period=2026-11', undefined],
      ['POST', '/admin/contacts', { contacts: [{ name: '赵六', phone: '13900000101', orgUnitId: 'n1' }] }],
    ] as const) {
      const res = await platform.api(method, path, { token: limited, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
      expect(res.body.message).toMatch(/temporary password must be changed/);
    }
    expect(await platform.deps.store.listContactsOfUnit('n1')).toEqual([]);

    const tooShort = await login({ email: created.email, password: temporary, newPassword: 'short-11chr' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.errors).toEqual([expect.objectContaining({ path: 'newPassword', message: expect.stringContaining('12') })]);
    const same = await login({ email: created.email, password: temporary, newPassword: temporary });
    expect(same.status).toBe(400);
    expect(same.body.errors[0].path).toBe('newPassword');

    const newPassword = 'a brand new long password';
    const changed = await login({ email: created.email, password: temporary, newPassword });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.passwordChangeRequired).toBeUndefined();
    expect((await platform.deps.store.getCredential(created.userId))?.mustChange).toBe(false);
    const full = await platform.api('GET', '/admin/commitments', { token: changed.body.token });
    expect(full.status, full.text).toBe(200);
    expect((await me(changed.body.token)).body.passwordChangeRequired).toBe(false);

    const oldAgain = await login({ email: created.email, password: temporary });
    expect(oldAgain.status).toBe(401);
    expect(oldAgain.body).toEqual({ message: 'wrong e-mail or password' });
    const withNew = await login({ email: created.email, password: newPassword });
    expect(withNew.status).toBe(200);
    expect(withNew.body.passwordChangeRequired).toBeUndefined();
  });
});

// ---- the throttle ----------------------------------------------------------------------------------

describe('the sign-in throttle', () => {
  it('answers 429 with Retry-After after 5 failures of one e-mail, doubling, until the wait has passed', async () => {
    const user = await makeUser({ role: 'executive', orgUnits: ['north'] });
    // The e-mail's case does not make another count.
    for (let i = 0; i < 5; i++) {
      const email = i % 2 ? user.email.toUpperCase() : user.email;
      expect((await login({ email, password: `wrong password ${i}` })).status).toBe(401);
    }
    const throttled = await login({ email: user.email, password: TEST_PASSWORD });
    expect(throttled.status, throttled.text).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(throttled.body.message).toMatch(/too many failed sign-ins/);
    // Another e-mail from the same address is not held up.
    expect((await login({ email: users.southAgent.email, password: TEST_PASSWORD })).status).toBe(200);

    advance(1000);
    expect((await login({ email: user.email, password: 'wrong password 5' })).status).toBe(401);
    const longer = await login({ email: user.email, password: TEST_PASSWORD });
    expect(longer.status).toBe(429);
    const wait = Number(longer.headers.get('retry-after'));
    expect(wait).toBe(2);

    advance(wait * 1000 + 1);
    const after = await login({ email: user.email, password: TEST_PASSWORD });
    expect(after.status, after.text).toBe(200);
    // The success cleared the e-mail's count: one more failure is a plain 401, not a wait.
    expect((await login({ email: user.email, password: 'wrong password 6' })).status).toBe(401);
  });
});

// ---- tampered and foreign tokens ------------------------------------------------------------------

describe('a token that is not a valid one of ours', () => {
  let genuine: string;
  let payload: JWTPayload;
  const fresh = (): JWTPayload => {
    const at = Math.floor(now().getTime() / 1000);
    return { ...payload, iat: at, auth_time: at, exp: at + 3600 };
  };

  beforeAll(async () => {
    genuine = await tokenOf(users.analystN1);
    payload = decodeJwt(genuine);
  });

  it('is accepted when forged exactly as the platform signs (the forging below is sound)', async () => {
    const res = await me(await sign(fresh()));
    expect(res.status, res.text).toBe(200);
    expect(res.body.user.userId).toBe(users.analystN1.userId);
  });

  it('is 401 with a modified signature', async () => {
    const [header, body, signature] = genuine.split('.') as [string, string, string];
    const i = 20;
    const flipped = `${signature.slice(0, i)}${signature[i] === 'A' ? 'B' : 'A'}${signature.slice(i + 1)}`;
    const res = await me(`${header}.${body}.${flipped}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
  });

  it('is 401 with a modified payload (another user, another role)', async () => {
    const [header, , signature] = genuine.split('.') as [string, string, string];
    const forged = base64url({ ...payload, 'cognito:username': users.hqAdmin.userId, sub: users.hqAdmin.userId, 'manyi:role': 'admin' });
    expect((await me(`${header}.${forged}.${signature}`)).status).toBe(401);
  });

  it('is 401 when expired', async () => {
    const at = Math.floor(now().getTime() / 1000);
    expect((await me(await sign({ ...payload, iat: at - 7200, exp: at - 1 }))).status).toBe(401);
  });

  it('is 401 without an expiry, or before its nbf', async () => {
    const { exp: _exp, ...noExpiry } = fresh();
    expect((await me(await sign(noExpiry))).status).toBe(401);
    expect((await me(await sign({ ...fresh(), nbf: Math.floor(now().getTime() / 1000) + 600 }))).status).toBe(401);
  });

  it('is 401 for another audience or another issuer', async () => {
    expect((await me(await sign({ ...fresh(), aud: 'another-client' }))).status).toBe(401);
    expect((await me(await sign({ ...fresh(), iss: 'https://cognito-idp.example.com/pool' }))).status).toBe(401);
  });

  it('is 401 for an access token (token_use "access")', async () => {
    expect((await me(await sign({ ...fresh(), token_use: 'access' }))).status).toBe(401);
  });

  it('is 401 with alg "none", with HS256, or signed by another key', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(fresh())}.`;
    expect((await me(unsigned)).status).toBe(401);
    const hmac = await sign(fresh(), new TextEncoder().encode('a shared secret of at least 32 bytes!'), 'HS256');
    expect((await me(hmac)).status).toBe(401);
    const stranger = await generateKeyPair('ES256');
    expect((await me(await sign(fresh(), stranger.privateKey))).status).toBe(401);
  });

  it('is 401 for a well-signed token of a user who does not exist', async () => {
    const res = await me(await sign({ ...fresh(), sub: 'usr_nobody', 'cognito:username': 'usr_nobody' }));
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/unknown user/);
  });

  it('is 401 as a session cookie too, and a bad bearer is not retried against a good cookie', async () => {
    const [header, body] = genuine.split('.') as [string, string, string];
    expect((await me(null, { cookie: `manyi_session=${header}.${body}.AAAA` })).status).toBe(401);
    const res = await me('not-a-token', { cookie: `manyi_session=${genuine}` });
    expect(res.status).toBe(401);
  });
});

// ---- changes to a signed-in user -----------------------------------------------------------------------

describe('a changed user', () => {
  it('disabled: its token is 401 at the next request, and it cannot sign in', async () => {
    const user = await makeUser({ role: 'analyst', orgUnits: ['n1'] });
    const token = await tokenOf(user);
    expect((await me(token)).status).toBe(200);

    const disabled = await platform.api('PATCH', `/admin/users/${user.userId}`, { token: await tokenOf(users.hqAdmin), body: { disabled: true } });
    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.body.user.disabled).toBe(true);

    const after = await me(token);
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/disabled/);
    expect((await me(null, { cookie: `manyi_session=${token}` })).status).toBe(401);
    const write = await platform.api('POST', '/admin/contacts', { token, body: { contacts: [{ name: '钱七', phone: '13900000102', orgUnitId: 'n1' }] } });
    expect(write.status).toBe(401);
    // The refused write is in the trail under the user who tried, at its unit.
    const trail = await audit(`${auditRange()}&userId=${user.userId}`);
    expect(trail.records.find((record) => record.action === 'POST /admin/contacts')).toMatchObject({ userId: user.userId, role: 'analyst', orgUnit: 'n1', status: 401, outcome: 'refused' });

    const again = await login({ email: user.email, password: TEST_PASSWORD });
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/disabled/);
    expect(again.headers.get('set-cookie')).toBeNull();

    // Enabled again, the same (unexpired) token works again: the stored user is the truth.
    await platform.api('PATCH', `/admin/users/${user.userId}`, { token: await tokenOf(users.hqAdmin), body: { disabled: false } });
    expect((await me(token)).status).toBe(200);
  });

  it('given another role or scope: effective at the next request, whatever the token says', async () => {
    const user = await makeUser({ role: 'analyst', orgUnits: ['n1'] });
    const token = await tokenOf(user);
    const contacts = (phone: string) => ({ contacts: [{ name: '孙八', phone, orgUnitId: 'n1' }] });

    const asAnalyst = await platform.api('POST', '/admin/contacts', { token, body: contacts('13900000103') });
    expect(asAnalyst.status, asAnalyst.text).toBe(200);
    expect(asAnalyst.body.rows[0].status).toBe('created');

    const patched = await platform.api('PATCH', `/admin/users/${user.userId}`, { token: await tokenOf(users.hqAdmin), body: { role: 'executive' } });
    expect(patched.status, patched.text).toBe(200);
    expect(decodeJwt(token)['manyi:role']).toBe('analyst');
    const asExecutive = await platform.api('POST', '/admin/contacts', { token, body: contacts('13900000104') });
    expect(asExecutive.status).toBe(403);
    expect(asExecutive.body.message).toBe('the role "executive" may not do "contacts:write"');
    expect((await me(token)).body).toMatchObject({ role: 'executive', orgUnits: ['n1'] });
    expect((await platform.api('GET', '/admin/commitments', { token })).status).toBe(200);

    await platform.api('PATCH', `/admin/users/${user.userId}`, { token: await tokenOf(users.hqAdmin), body: { role: 'analyst', orgUnits: ['s1'] } });
    expect((await me(token)).body).toMatchObject({ role: 'analyst', orgUnits: ['s1'] });
    const outside = await platform.api('POST', '/admin/contacts', { token, body: contacts('13900000105') });
    expect(outside.body.rows[0].status).toBe('rejected');
  });
});

// ---- the session cookie -----------------------------------------------------------------------------

describe('the session cookie', () => {
  let session: string;
  let csrfToken: string;
  const contact = (phone: string) => ({ contacts: [{ name: '周九', phone, orgUnitId: 'n1' }] });

  beforeAll(async () => {
    const signedIn = await login({ email: users.hqAdmin.email, password: TEST_PASSWORD });
    session = sessionOf(signedIn.headers)!;
    csrfToken = signedIn.body.csrfToken;
  });

  it('opens a GET by itself', async () => {
    const res = await me(null, { cookie: `manyi_session=${session}` });
    expect(res.status, res.text).toBe(200);
    expect(res.body.user.userId).toBe(users.hqAdmin.userId);
    // Among other cookies, in any order.
    expect((await me(null, { cookie: `theme=dark; manyi_session=${session}; other=1` })).status).toBe(200);
  });

  it('refuses a write without its CSRF token (403), or with another session\'s, and writes nothing', async () => {
    const before = (await platform.deps.store.listContactsOfUnit('n1')).length;
    const none = await platform.api('POST', '/admin/contacts', { ...byCookie(session), body: contact('13900000201') });
    expect(none.status).toBe(403);
    expect(none.body.message).toMatch(/CSRF/);
    const other = (await platform.tokens.forUser((await platform.deps.store.getUser(users.hqAdmin.userId))!)).csrfToken;
    const wrong = await platform.api('POST', '/admin/contacts', { ...byCookie(session, { 'x-csrf-token': other }), body: contact('13900000202') });
    expect(wrong.status).toBe(403);
    const patch = await platform.api('PATCH', `/admin/users/${users.southAgent.userId}`, { ...byCookie(session), body: { language: 'en' } });
    expect(patch.status).toBe(403);
    expect((await platform.deps.store.listContactsOfUnit('n1')).length).toBe(before);
  });

  it('allows a write with the right x-csrf-token', async () => {
    const res = await platform.api('POST', '/admin/contacts', { ...byCookie(session, { 'x-csrf-token': csrfToken }), body: contact('13900000203') });
    expect(res.status, res.text).toBe(200);
    expect(res.body.rows[0].status).toBe('created');
  });

  it('accepts the CSRF token as the _csrf field of a form post', async () => {
    // The contacts route reads JSON or CSV, so the form is refused as a body (400), but past the CSRF check.
    const withField = await platform.api('POST', '/admin/contacts', {
      ...byCookie(session, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ _csrf: csrfToken, x: '1' }).toString(),
    });
    expect(withField.status).toBe(400);
    const withoutField = await platform.api('POST', '/admin/contacts', {
      ...byCookie(session, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ x: '1' }).toString(),
    });
    expect(withoutField.status).toBe(403);
  });

  it('is cleared by POST /auth/logout (204, or 303 to /login for a form)', async () => {
    const res = await platform.api('POST', '/auth/logout', byCookie(session));
    expect(res.status).toBe(204);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^manyi_session=;/);
    expect(cookie).toContain('Max-Age=0');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Path=/');
    const form = await formPost('/auth/logout', {}, { cookie: `manyi_session=${session}` });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/login');
    expect(form.headers.get('set-cookie')).toContain('Max-Age=0');
  });
});

// ---- the sign-in page and the break-glass session ---------------------------------------------------

describe('GET /login and its form', () => {
  it('is an HTML page in zh-CN by default, in English by ?lang=en or Accept-Language', async () => {
    const page = await platform.api('GET', '/login', { token: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(page.text).toContain('登录');
    expect(page.text).toMatch(/<form[^>]*method="post"[^>]*action="\/auth\/login"/);

    const byQuery = await platform.api('GET', '/login?lang=en', { token: null });
    expect(byQuery.text).toContain('<html lang="en">');
    expect(byQuery.text).toContain('Sign in');
    const byHeader = await platform.api('GET', '/login', { token: null, headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(byHeader.text).toContain('<html lang="en">');
    const queryWins = await platform.api('GET', '/login?lang=zh-CN', { token: null, headers: { 'accept-language': 'en' } });
    expect(queryWins.text).toContain('<html lang="zh-CN">');
  });

  it('keeps a local `next` in the form and drops one to another site', async () => {
    const local = await platform.api('GET', `/login?next=${encodeURIComponent('/admin/users')}`, { token: null });
    expect(local.text).toContain('name="next" value="/admin/users"');
    const foreign = await platform.api('GET', `/login?next=${encodeURIComponent('//evil.example/x')}`, { token: null });
    expect(foreign.text).toContain('name="next" value=""');
    expect(foreign.text).not.toContain('evil.example');
  });

  it('a form post answers 303 to `next` with the session cookie, and never to another site', async () => {
    const res = await formPost('/auth/login', { email: users.analystN1.email, password: TEST_PASSWORD, next: '/admin/me', lang: 'en' });
    expect(res.status, res.text).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/me');
    const session = sessionOf(res.headers)!;
    expect(res.headers.get('set-cookie')).toContain('HttpOnly');
    expect((await me(null, { cookie: `manyi_session=${session}` })).body.user.userId).toBe(users.analystN1.userId);

    const foreign = await formPost('/auth/login', { email: users.analystN1.email, password: TEST_PASSWORD, next: 'https://evil.example/' });
    expect(foreign.status).toBe(303);
    expect(foreign.headers.get('location')).toBe('/admin/me');
  });

  it('a failed form post shows the page again with the problem and the e-mail kept, without a cookie', async () => {
    const res = await formPost('/auth/login', { email: users.analystN1.email, password: 'wrong again', lang: 'en', next: '/admin/users' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.text).toContain('The e-mail address or password is not correct.');
    expect(res.text).toContain(`value="${users.analystN1.email}"`);
    expect(res.text).toContain('name="next" value="/admin/users"');
    const empty = await formPost('/auth/login', { email: '', password: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<html lang="zh-CN">');
  });

  it('a temporary password in the form asks for the new one, then signs in', async () => {
    const created = await makeUser({ role: 'executive', orgUnits: ['north'], password: null });
    const first = await formPost('/auth/login', { email: created.email, password: created.temporaryPassword!, next: '/admin/me', lang: 'en' });
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toBeNull();
    expect(first.text).toContain('name="newPassword"');
    expect(first.text).toContain('name="next" value="/admin/me"');
    const weak = await formPost('/auth/login', { email: created.email, password: created.temporaryPassword!, newPassword: 'too short', lang: 'en' });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('The new password is too weak');
    const done = await formPost('/auth/login', { email: created.email, password: created.temporaryPassword!, newPassword: 'my own new password', next: '/admin/me' });
    expect(done.status).toBe(303);
    expect(sessionOf(done.headers)).toBeTruthy();
  });
});

describe('GET /dev/login', () => {
  it('turns the break-glass token into a browser session, and nothing else', async () => {
    const none = await platform.api('GET', '/dev/login', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('set-cookie')).toBeNull();
    const wrong = await platform.api('GET', `/dev/login?token=${ADMIN_TOKEN}x`, { token: null });
    expect(wrong.status).toBe(401);
    // The bearer header does not count: the token goes in the query.
    expect((await platform.api('GET', '/dev/login')).status).toBe(401);

    const res = await platform.api('GET', `/dev/login?token=${encodeURIComponent(ADMIN_TOKEN)}`, { token: null });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/health');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const self = await me(null, { cookie: `manyi_session=${sessionOf(res.headers)}` });
    expect(self.status, self.text).toBe(200);
    expect(self.body).toMatchObject({ user: { userId: 'break-glass', breakGlass: true }, role: 'admin', orgUnits: 'everything', pii: false });

    const next = await platform.api('GET', `/dev/login?token=${encodeURIComponent(ADMIN_TOKEN)}&next=${encodeURIComponent('/admin/me')}`, { token: null });
    expect(next.headers.get('location')).toBe('/admin/me');
    const foreign = await platform.api('GET', `/dev/login?token=${encodeURIComponent(ADMIN_TOKEN)}&next=${encodeURIComponent('//evil.example')}`, { token: null });
    expect(foreign.headers.get('location')).toBe('/health');
  });
});

// ---- users --------------------------------------------------------------------------------------------

describe('the users routes', () => {
  it('refuse a second user with the same e-mail, in any case (409), naming it masked', async () => {
    const created = await makeUser({ role: 'agent', orgUnits: ['n1'] });
    for (const email of [created.email, created.email.toUpperCase()]) {
      const res = await platform.api('POST', '/admin/users', { body: { email, name: 'Twin', role: 'agent', orgUnits: ['n1'], password: TEST_PASSWORD } });
      expect(res.status, res.text).toBe(409);
      expect(res.text).not.toContain(created.email);
      expect(res.body.message).toContain(maskEmail(created.email));
    }
  });

  const valid = { email: 'valid.shape@example.com', name: 'Valid Shape', role: 'agent', orgUnits: ['n1'], password: TEST_PASSWORD };
  it.each([
    ['a bad e-mail', { ...valid, email: 'not-an-email' }, 'email'],
    ['an unknown role', { ...valid, role: 'boss' }, 'role'],
    ['no units', { ...valid, orgUnits: [] }, 'orgUnits'],
    ['an unknown unit', { ...valid, orgUnits: ['nowhere'] }, 'orgUnits'],
    ['a short password', { ...valid, password: 'elevenchars' }, 'password'],
    ['a blank name', { ...valid, name: '  ' }, 'name'],
    ['an unknown field', { ...valid, admin: true }, '(root)'],
    ['no body', '', '(body)'],
    ['a body that is not JSON', '{"email"', '(body)'],
  ])('refuse a user with %s (400)', async (_label, body, path) => {
    const res = await platform.api('POST', '/admin/users', { body });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('refuse a PATCH with a bad body (400) or for an unknown user (404)', async () => {
    const target = users.southAgent.userId;
    expect((await platform.api('PATCH', `/admin/users/${target}`, { body: {} })).status).toBe(400);
    expect((await platform.api('PATCH', `/admin/users/${target}`, { body: { role: 'boss' } })).status).toBe(400);
    expect((await platform.api('PATCH', `/admin/users/${target}`, { body: { email: 'new@example.com' } })).status).toBe(400);
    expect((await platform.api('PATCH', '/admin/users/usr_nobody', { body: { language: 'en' } })).status).toBe(404);
  });

  it('let nobody disable himself or change his own role or scope (403), but his name', async () => {
    const self = await makeUser({ role: 'admin', orgUnits: ['hq'] });
    const token = await tokenOf(self);
    for (const body of [{ disabled: true }, { role: 'analyst' }, { orgUnits: ['north'] }, { orgUnits: ['hq', 'north'] }, { pii: true }, { disabled: true, name: 'Sneaky' }]) {
      const res = await platform.api('PATCH', `/admin/users/${self.userId}`, { token, body });
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(403);
      expect(res.body.message).toBe('you may not change your own role, scope or access');
    }
    const stored = await platform.deps.store.getUser(self.userId);
    expect(stored).toMatchObject({ role: 'admin', orgUnits: ['hq'], disabled: false });
    const renamed = await platform.api('PATCH', `/admin/users/${self.userId}`, { token, body: { name: 'A New Name', role: 'admin', orgUnits: ['hq'] } });
    expect(renamed.status, renamed.text).toBe(200);
    // The answer masks the name (the admin has no pii); the store has it.
    expect((await platform.deps.store.getUser(self.userId))?.name).toBe('A New Name');
  });

  it('complete, on its retry, a creation whose sign-in failed after the record was written (one user, then 409)', async () => {
    const original = platform.deps.directory;
    let failures = 1;
    platform.deps.directory = {
      ...original,
      createSignIn: async (user, password) => {
        if (failures-- > 0) throw new Error('the directory is down');
        return original.createSignIn(user, password);
      },
    };
    try {
      const body = { email: 'half.made@example.com', name: 'Half Made', role: 'agent', orgUnits: ['n1'] };
      const token = await tokenOf(users.hqAdmin);
      const failed = await platform.api('POST', '/admin/users', { token, body });
      expect(failed.status).toBe(500);
      expect(failed.text).not.toContain('directory');
      // Another admin's identical request is a conflict: only the creator's retry finishes it.
      expect((await platform.api('POST', '/admin/users', { token: await tokenOf(users.hqAdminPii), body })).status).toBe(409);
      const retried = await platform.api('POST', '/admin/users', { token, body });
      expect(retried.status, retried.text).toBe(201);
      const stored = await platform.deps.store.getUserByEmail('half.made@example.com');
      expect(retried.body.userId).toBe(stored!.userId);
      expect((await login({ email: 'half.made@example.com', password: retried.body.temporaryPassword })).body.passwordChangeRequired).toBe(true);
      expect((await platform.api('POST', '/admin/users', { token, body })).status).toBe(409);
      expect((await platform.deps.store.listUsers()).filter((user) => user.email === 'half.made@example.com')).toHaveLength(1);
    } finally {
      platform.deps.directory = original;
    }
  });

  it('let an admin grant "pii" only if he sees personal data himself (403 otherwise, nothing written)', async () => {
    const withoutPii = await tokenOf(users.hqAdmin);
    const email = 'pii.grant@example.com';
    const refused = await platform.api('POST', '/admin/users', { token: withoutPii, body: { email, name: 'Pii Grant', role: 'agent', orgUnits: ['n1'], pii: true, password: TEST_PASSWORD } });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.message).toMatch(/grant only what you hold/);
    expect(await platform.deps.store.getUserByEmail(email)).toBeUndefined();
    const target = await makeUser({ role: 'agent', orgUnits: ['n1'] });
    expect((await platform.api('PATCH', `/admin/users/${target.userId}`, { token: withoutPii, body: { pii: true } })).status).toBe(403);
    // Taking it away needs no such right; granting it with it does.
    expect((await platform.api('PATCH', `/admin/users/${target.userId}`, { token: await tokenOf(users.hqAdminPii), body: { pii: true } })).status).toBe(200);
    expect((await platform.api('PATCH', `/admin/users/${target.userId}`, { token: withoutPii, body: { pii: false } })).status).toBe(200);
  });

  it('GET /admin/users masks e-mails and names without pii and shows them with it', async () => {
    const person = await makeUser({ role: 'agent', orgUnits: ['n1'], name: 'Alice Smith' });
    const masked = await platform.api('GET', '/admin/users', { token: await tokenOf(users.hqAdmin) });
    expect(masked.status).toBe(200);
    const maskedPerson = masked.body.users.find((u: { userId: string }) => u.userId === person.userId);
    expect(maskedPerson).toMatchObject({ email: maskEmail(person.email), name: maskName('Alice Smith') });
    expect(masked.text).not.toContain(person.email);
    expect(masked.text).not.toContain('Alice Smith');
    // The break-glass token sees them masked too.
    expect((await platform.api('GET', '/admin/users')).text).not.toContain(person.email);

    const clear = await platform.api('GET', '/admin/users', { token: await tokenOf(users.hqAdminPii) });
    expect(clear.body.users.find((u: { userId: string }) => u.userId === person.userId)).toMatchObject({ email: person.email, name: 'Alice Smith' });
    for (const user of clear.body.users) expect(Object.keys(user).sort()).toEqual(['createdAt', 'disabled', 'email', 'language', 'name', 'orgUnits', 'pii', 'role', 'updatedAt', 'userId']);
    expect(clear.text).not.toMatch(/scrypt|"hash"/);
  });

  it('GET /admin/users shows an admin of a branch only the users inside his subtree', async () => {
    const res = await platform.api('GET', '/admin/users', { token: await tokenOf(users.northAdmin) });
    expect(res.status, res.text).toBe(200);
    const ids = res.body.users.map((u: { userId: string }) => u.userId);
    expect(ids).toEqual(expect.arrayContaining([users.northAdmin.userId, users.northManager.userId, users.analystN1.userId]));
    expect(ids).not.toContain(users.hqAdmin.userId);
    expect(ids).not.toContain(users.southAgent.userId);
    for (const user of res.body.users) for (const unit of user.orgUnits) expect(['north', 'n1']).toContain(unit);
  });
});

// ---- the audit trail ---------------------------------------------------------------------------------

describe('the audit trail', () => {
  const personal = {
    contactName: '王小明',
    phone: '13912345678',
    contactEmail: 'wang.xiaoming@example.com',
    userName: 'Audrey Personal',
    userEmail: 'audrey.personal@example.com',
  };
  let temporaryPassword: string;
  let createdUserId: string;
  const requestIds: string[] = [];

  beforeAll(async () => {
    const hq = await tokenOf(users.hqAdmin);
    const event = {
      eventId: 'AUD-1',
      type: 'visit',
      orgUnitId: 'n1',
      contact: { name: personal.contactName, phone: personal.phone, email: personal.contactEmail },
      occurredAt: '2026-11-09T10:00:00+08:00',
    };
    const requests: [string, string, string, unknown][] = [
      [hq, 'POST', '/admin/service-events', event],
      [hq, 'POST', '/admin/service-events', { ...event, eventId: 'AUD-2', orgUnitId: 's1', contact: { name: '李四', phone: '13987654321' } }],
      [hq, 'POST', '/admin/users', { email: personal.userEmail, name: personal.userName, role: 'agent', orgUnits: ['n1'] }],
      [await tokenOf(users.analystN1), 'POST', '/admin/users', { email: 'refused.person@example.com', name: 'Refused Person', role: 'agent', orgUnits: ['n1'] }],
      [hq, 'POST', '/admin/users', { email: personal.userEmail, name: personal.userName, role: 'agent', orgUnits: ['n1'] }],
    ];
    const writes = [];
    for (const [token, method, path, body] of requests) {
      // A second apart: records of one instant have no order among themselves.
      advance(1000);
      writes.push(await platform.api(method, path, { token, body }));
    }
    expect(writes.map((w) => w.status)).toEqual([201, 201, 201, 403, 409]);
    temporaryPassword = writes[2]!.body.temporaryPassword;
    createdUserId = writes[2]!.body.userId;
    expect(temporaryPassword).toBeTruthy();
    // Reads are not recorded.
    await platform.api('GET', '/admin/users', { token: hq });
    const all = await audit(auditRange());
    requestIds.push(...all.records.slice(0, 5).map((r) => r.requestId));
  });

  it('records every write with who, what, where, how it ended and a digest of the body', async () => {
    const { status, records } = await audit(auditRange());
    expect(status).toBe(200);
    const recent = records.slice(0, 5);
    // Newest first.
    expect(recent.map((r) => `${r.action} ${r.status}`)).toEqual([
      'POST /admin/users 409',
      'POST /admin/users 403',
      'POST /admin/users 201',
      'POST /admin/service-events 201',
      'POST /admin/service-events 201',
    ]);
    const [conflict, refused, created, south, north] = recent as [AuditRecord, AuditRecord, AuditRecord, AuditRecord, AuditRecord];
    expect(created).toMatchObject({ userId: users.hqAdmin.userId, role: 'admin', outcome: 'succeeded', orgUnit: 'n1', targetIds: [createdUserId] });
    expect(north).toMatchObject({ userId: users.hqAdmin.userId, action: 'POST /admin/service-events', orgUnit: 'n1', outcome: 'succeeded' });
    expect(south).toMatchObject({ orgUnit: 's1' });
    expect(refused).toMatchObject({ userId: users.analystN1.userId, role: 'analyst', status: 403, outcome: 'refused', orgUnit: 'n1' });
    expect(conflict).toMatchObject({ status: 409, outcome: 'refused' });
    expect(Date.parse(conflict.at)).toBe(now().getTime());
    recent.forEach((record, i) => {
      expect(record.bodyDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(record.auditId).toBe(`aud_${record.requestId}`);
      expect(Date.parse(record.at)).toBe(now().getTime() - i * 1000);
    });
    // The digest is of the body with its personal fields blanked: the same request for another person digests alike.
    const body = { email: personal.userEmail, name: personal.userName, role: 'agent', orgUnits: ['n1'] };
    expect(created.bodyDigest).toBe(bodyDigest(JSON.stringify(body)));
    expect(created.bodyDigest).toBe(bodyDigest(JSON.stringify({ ...body, email: 'someone.else@example.com', name: 'Someone Else' })));
    expect(conflict.bodyDigest).toBe(created.bodyDigest);
    expect(created.bodyDigest).not.toBe(bodyDigest(JSON.stringify({ ...body, role: 'admin' })));
  });

  it('holds no e-mail, phone, name or password of the bodies and answers, in the API nor in the table', async () => {
    const { text } = await audit(auditRange());
    const day = now().toISOString().slice(0, 10);
    const stored = JSON.stringify(await partitionItems(platform.deps.store, `AUDIT#${day}`));
    for (const value of [...Object.values(personal), 'Refused Person', 'refused.person', '李四', '13987654321', '987654321', '12345678', temporaryPassword, TEST_PASSWORD]) {
      expect(text, value).not.toContain(value);
      expect(stored, value).not.toContain(value);
    }
    expect(text).not.toMatch(/@example\.com/);
  });

  it('records a contact import at the unit it wrote to', async () => {
    advance(1000);
    const res = await platform.api('POST', '/admin/contacts', { token: await tokenOf(users.hqAdmin), body: { contacts: [{ name: '吴十', phone: '13900000301', orgUnitId: 'n1' }] } });
    expect(res.status).toBe(200);
    const [record] = (await audit(auditRange())).records;
    expect(record).toMatchObject({ action: 'POST /admin/contacts', userId: users.hqAdmin.userId, targetIds: [res.body.rows[0].contactId] });
    // The write concerned n1: north's admin and manager must find it in their subtree.
    expect(record!.orgUnit).toBe('n1');
  });

  it('filters by user and by unit', async () => {
    const byUser = await audit(`${auditRange()}&userId=${users.analystN1.userId}`);
    expect(byUser.status).toBe(200);
    expect(byUser.records.length).toBeGreaterThan(0);
    expect(byUser.records.every((r) => r.userId === users.analystN1.userId)).toBe(true);
    expect(byUser.records.some((r) => r.status === 403 && r.action === 'POST /admin/users')).toBe(true);

    const south = await audit(`${auditRange()}&orgUnit=south`);
    expect(south.status).toBe(200);
    expect(south.records.length).toBeGreaterThan(0);
    expect(south.records.every((r) => r.orgUnit === 'south' || r.orgUnit === 's1')).toBe(true);
    expect((await audit(`${auditRange()}&userId=usr_nobody`)).records).toEqual([]);
  });

  it('refuses a bad query: from after to, over 400 days, a malformed date, an unknown parameter (400)', async () => {
    const reversed = await audit('from=2026-11-10&to=2026-11-09');
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors[0].message).toMatch(/after/);
    const tooLong = await audit('from=2025-10-05&to=2026-11-09');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].message).toMatch(/400 days/);
    expect((await audit('from=2026-13-01&to=2026-11-10')).status).toBe(400);
    expect((await audit('from=10/11/2026')).status).toBe(400);
    expect((await audit('since=2026-11-01')).status).toBe(400);
  });

  it('reads 400 days at once (the limit itself is allowed)', async () => {
    const res = await audit('from=2025-10-06&to=2026-11-09');
    expect(res.status, res.text).toBe(200);
  });

  it('is for admins and managers: an analyst gets 403', async () => {
    const res = await audit(auditRange(), await tokenOf(users.analystN1));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('the role "analyst" may not do "audit:read"');
  });

  it('shows an admin or manager of a branch only the records of his subtree', async () => {
    for (const reader of [users.northAdmin, users.northManager]) {
      const res = await audit(auditRange(), await tokenOf(reader));
      expect(res.status, res.text).toBe(200);
      expect(res.records.length).toBeGreaterThan(0);
      for (const record of res.records) expect(['north', 'n1']).toContain(record.orgUnit);
      const actions = res.records.map((r) => `${r.action} ${r.orgUnit}`);
      expect(actions).toContain('POST /admin/service-events n1');
      expect(actions).not.toContain('POST /admin/service-events s1');
      expect((await audit(`${auditRange()}&orgUnit=south`, await tokenOf(reader))).status).toBe(403);
    }
    // The organisation's records (no unit, e.g. the break-glass admin's) are for organisation-wide readers.
    const all = await audit(auditRange(), await tokenOf(users.hqAdmin));
    expect(all.records.some((r) => r.orgUnit === undefined)).toBe(true);
  });

  it('stores each record with a TTL 400 days after it', async () => {
    const day = now().toISOString().slice(0, 10);
    const items = await partitionItems(platform.deps.store, `AUDIT#${day}`);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.ttl).toBe(Math.floor(Date.parse(String(item.at)) / 1000) + 400 * 86_400);
    }
    expect(items.map((item) => item.requestId)).toEqual(expect.arrayContaining(requestIds));
  });

  it('selects the records of the days asked for, in the platform\'s zone', async () => {
    const firstDay = localDate(now());
    advance(2 * DAY);
    const laterDay = localDate(now());
    const patch = async (language: string) => {
      const res = await platform.api('PATCH', `/admin/users/${users.southAgent.userId}`, { token: await tokenOf(users.hqAdmin), body: { language } });
      expect(res.status, res.text).toBe(200);
    };
    await patch('en');

    const later = await audit(`from=${laterDay}&to=${laterDay}`);
    expect(later.records.map((r) => r.action)).toEqual(['PATCH /admin/users/{userId}']);
    expect(later.records[0]).toMatchObject({ targetIds: [users.southAgent.userId], orgUnit: 's1', status: 200 });
    // Today by default.
    expect((await audit('')).records.map((r) => r.requestId)).toEqual(later.records.map((r) => r.requestId));
    const earlier = await audit(`from=${firstDay}&to=${firstDay}`);
    expect(earlier.records.length).toBeGreaterThan(5);
    expect(earlier.records.every((r) => localDate(new Date(r.at)) === firstDay)).toBe(true);
    const both = await audit(`from=${firstDay}&to=${laterDay}`);
    expect(both.records.map((r) => r.requestId)).toEqual([...later.records, ...earlier.records].map((r) => r.requestId));

    // 00:30 the next day in Shanghai is 16:30 UTC of the day before: the record is the next local day's.
    const nextDay = localDate(new Date(now().getTime() + DAY));
    platform.clock.freeze(new Date(`${nextDay}T00:30:00+08:00`));
    await patch('zh-CN');
    const next = await audit(`from=${nextDay}&to=${nextDay}`);
    expect(next.records.map((r) => r.at)).toEqual([`${laterDay}T16:30:00.000Z`]);
    expect((await audit(`from=${laterDay}&to=${laterDay}`)).records.map((r) => r.requestId)).toEqual(later.records.map((r) => r.requestId));
  });

  it('no longer lists records past their TTL', async () => {
    const day = localDate(now());
    expect((await audit(`from=${day}&to=${day}`)).records.length).toBeGreaterThan(0);
    advance(401 * DAY);
    const res = await audit(`from=${day}&to=${day}`);
    expect(res.status).toBe(200);
    expect(res.records).toEqual([]);
  });
});
