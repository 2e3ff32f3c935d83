/**
 * The local sign-in routes (on AWS, Cognito signs users in and these do not exist):
 * GET /login (the page), POST /auth/login (JSON -> 200 {"token","expiresAt",...} and the session
 * cookie; a form post -> 303 to `next` with the cookie, or the page again with the problem),
 * POST /auth/logout (clears the cookie), GET /dev/login?token=MANYI_ADMIN_TOKEN&next=... (a
 * break-glass browser session).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError, ThrottledError } from '../domain/errors';
import { negotiateLanguage } from '../domain/text';
import { loginPage, safeNext, type LoginPageOptions } from '../pages/login';
import { sameSecret, SESSION_COOKIE, type ExtraRoute } from './http-adapter';
import { signIn, type SignInDeps } from './sign-in';
import type { IssuedToken } from './tokens';

const MAX_FORM_BYTES = 16 * 1024;
const statusOf: Record<string, number> = { validation: 400, unauthorized: 401, throttled: 429 };

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new DomainError('validation', 'the sign-in request is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const nextOr = (next: unknown, fallback: string): string => safeNext(typeof next === 'string' ? next : undefined) ?? fallback;

const sessionCookie = (issued: IssuedToken, maxAgeSeconds: number) =>
  `${SESSION_COOKIE}=${issued.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
const clearedCookie = `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;

const securityHeaders = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}

const pageLanguage = (req: IncomingMessage, query: string | null): LoginPageOptions['lang'] =>
  negotiateLanguage(['zh-CN', 'en'], { query: query ?? undefined, acceptLanguage: req.headers['accept-language'] }) === 'en' ? 'en' : 'zh-CN';

function sendPage(res: ServerResponse, status: number, options: LoginPageOptions, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...securityHeaders, ...headers }).end(loginPage(options));
}

export function authRoutes(deps: SignInDeps & { adminToken: string }): ExtraRoute[] {
  /** A browser says where a request comes from (Origin, Sec-Fetch-Site); other clients send neither. */
  const crossSite = (req: IncomingMessage): boolean => {
    if (req.headers['sec-fetch-site'] === 'cross-site') return true;
    const origin = req.headers.origin;
    if (!origin || origin === 'null') return origin === 'null';
    try {
      return new URL(origin).host !== req.headers.host;
    } catch {
      return true;
    }
  };

  const maxAge = (issued: IssuedToken) => (Date.parse(issued.expiresAt) - deps.clock.now().getTime()) / 1000;

  const loginPageRoute: ExtraRoute = (req, url, res) => {
    if (req.method !== 'GET' || url.pathname !== '/login') return false;
    const next = nextOr(url.searchParams.get('next'), '');
    sendPage(res, 200, { lang: pageLanguage(req, url.searchParams.get('lang')), ...(next ? { next } : {}) });
    return true;
  };

  const login: ExtraRoute = async (req, url, res) => {
    if (req.method !== 'POST' || url.pathname !== '/auth/login') return false;
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    const isForm = contentType.startsWith('application/x-www-form-urlencoded');
    if (crossSite(req)) {
      // Login CSRF: another site's form would sign the browser in as the attacker's account.
      sendJson(res, 403, { message: 'a sign-in from another site is refused' });
      return true;
    }
    if (!isForm && !contentType.startsWith('application/json')) {
      // A text/plain body is what a cross-site "simple" request can send: JSON must say it is JSON.
      sendJson(res, 415, { message: 'send the sign-in as application/json (or the page\'s form)' });
      return true;
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    let input: Record<string, unknown> = {};
    try {
      const text = await readText(req);
      if (isForm) {
        input = Object.fromEntries([...new URLSearchParams(text)].filter(([, value]) => value !== ''));
      } else {
        try {
          input = JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new DomainError('validation', 'the body is not valid JSON');
        }
      }
      const signedIn = await signIn(deps, input, address);
      const cookie = sessionCookie(signedIn, maxAge(signedIn));
      if (isForm) {
        const next = nextOr(input.next, '/admin/me');
        if (signedIn.passwordChangeRequired) {
          // A temporary password: the same page asks for the new one (and keeps where to go next).
          sendPage(res, 200, { lang: pageLanguage(req, typeof input.lang === 'string' ? input.lang : null), email: String(input.email ?? ''), next, problem: { kind: 'password-change' } });
          return true;
        }
        res.writeHead(303, { location: next, 'set-cookie': cookie, 'cache-control': 'no-store' }).end();
        return true;
      }
      sendJson(res, 200, { token: signedIn.token, expiresAt: signedIn.expiresAt, csrfToken: signedIn.csrfToken, ...(signedIn.passwordChangeRequired ? { passwordChangeRequired: true } : {}) }, { 'set-cookie': cookie });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const status = statusOf[error.kind] ?? 400;
      const retry: Record<string, string> = error instanceof ThrottledError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
      if (isForm) {
        const problem: LoginPageOptions['problem'] =
          error instanceof ThrottledError
            ? { kind: 'throttled', retryAfterSeconds: error.retryAfterSeconds }
            : error.problems.some((p) => p.path === 'newPassword')
              ? { kind: 'weak-password' }
              : { kind: 'invalid' };
        const next = nextOr(input.next, '');
        sendPage(res, status, { lang: pageLanguage(req, typeof input.lang === 'string' ? input.lang : null), email: String(input.email ?? ''), problem, ...(next ? { next } : {}) }, retry);
        return true;
      }
      sendJson(res, status, error.kind === 'validation' ? { message: error.message, errors: error.problems } : { message: error.message }, retry);
    }
    return true;
  };

  const logout: ExtraRoute = (req, url, res) => {
    if (req.method !== 'POST' || url.pathname !== '/auth/logout') return false;
    if (crossSite(req)) {
      sendJson(res, 403, { message: 'a sign-out from another site is refused' });
      return true;
    }
    const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
    if (isForm) res.writeHead(303, { location: '/login', 'set-cookie': clearedCookie, 'cache-control': 'no-store' }).end();
    else res.writeHead(204, { 'set-cookie': clearedCookie, 'cache-control': 'no-store' }).end();
    return true;
  };

  const devLogin: ExtraRoute = async (req, url, res) => {
    if (req.method !== 'GET' || url.pathname !== '/dev/login') return false;
    if (!sameSecret(url.searchParams.get('token') ?? '', deps.adminToken)) {
      sendJson(res, 401, { message: 'Unauthorized' });
      return true;
    }
    const issued = await deps.tokens.forBreakGlass();
    res.writeHead(303, { location: nextOr(url.searchParams.get('next'), '/health'), 'set-cookie': sessionCookie(issued, maxAge(issued)), 'cache-control': 'no-store' }).end();
    return true;
  };

  return [loginPageRoute, login, logout, devLogin];
}

