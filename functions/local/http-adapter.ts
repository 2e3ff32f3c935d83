/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): it routes by the same route
 * table the stack uses, verifies the JWT of admin routes as API Gateway's JWT authorizer does (a
 * local sign-in token from ./tokens.ts instead of Cognito's, as a bearer token or a session
 * cookie; or the break-glass MANYI_ADMIN_TOKEN), builds the event Lambda would receive with the
 * verified claims where API Gateway puts them, and writes the handler's result back. A session
 * cookie is a browser's: its writes must carry the session's CSRF token (header x-csrf-token or
 * form field _csrf), which a bearer token does not need.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { BREAK_GLASS_ISSUER, BREAK_GLASS_USER_ID, CLAIMS } from '../http/caller';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Deps } from '../app/deps';
import type { Access } from '../http/routes';
import { httpFunctions } from '../manifest';
import type { HttpEvent, HttpResult } from '../http/middleware';
import { httpHandlerFactories, type LocalHttpHandler } from './handlers';
import { asApiGatewayClaims, type LocalTokens } from './tokens';

/** Lambda's synchronous payload limit: larger requests never reach a function on AWS either. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
/** The browser session: a local sign-in token, HttpOnly and SameSite=Strict. */
export const SESSION_COOKIE = 'manyi_session';

interface CompiledRoute {
  method: string;
  routeKey: string;
  pattern: RegExp;
  params: string[];
  /** Ends in a greedy variable: API Gateway tries every full match first. */
  greedy: boolean;
  access: Access;
  handler: LocalHttpHandler;
}

function compileRoute(routeKey: string, access: Access, handler: LocalHttpHandler): CompiledRoute {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const params: string[] = [];
  let greedy = false;
  const source = path
    .split('/')
    .map((segment, index, segments) => {
      // A greedy variable ({asset+}, last only, as API Gateway requires) takes the rest of the
      // path, slashes included, and at least one character.
      const variable = /^\{([A-Za-z0-9_]+)\+\}$/.exec(segment)?.[1];
      if (variable && index === segments.length - 1) {
        params.push(variable);
        greedy = true;
        return '(.+)';
      }
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment)?.[1];
      if (!param) return segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
      params.push(param);
      return '([^/]+)';
    })
    .join('/');
  return { method, routeKey, pattern: new RegExp(`^${source}$`), params, greedy, access, handler };
}

export const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Malformed percent-encoding is kept as it is (a bad token then simply does not match). */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function cookiesOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .filter((parts) => parts.length >= 2)
      .map(([k = '', ...v]) => [k, safeDecode(v.join('='))]),
  );
}

const BREAK_GLASS_CLAIMS = { iss: BREAK_GLASS_ISSUER, sub: BREAK_GLASS_USER_ID, [CLAIMS.username]: BREAK_GLASS_USER_ID };

export type Authentication = { claims: Record<string, string> } | { refused: 401 | 403; message: string } | undefined;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The verified claims of the request (bearer first, then the session cookie), a refusal, or undefined when it carries none. */
export async function authenticate(req: IncomingMessage, body: Buffer, options: { adminToken: string; tokens: LocalTokens }): Promise<Authentication> {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  if (bearer) {
    if (sameSecret(bearer, options.adminToken)) return { claims: BREAK_GLASS_CLAIMS };
    const payload = await options.tokens.verify(bearer);
    return payload ? { claims: asApiGatewayClaims(payload) } : { refused: 401, message: 'Unauthorized' };
  }
  const session = cookiesOf(req)[SESSION_COOKIE];
  if (!session) return undefined;
  const payload = await options.tokens.verify(session);
  if (!payload) return { refused: 401, message: 'Unauthorized: the session has ended; sign in again at /login' };
  if (UNSAFE_METHODS.has((req.method ?? 'GET').toUpperCase())) {
    const expected = String(payload[CLAIMS.csrf] ?? '');
    const header = req.headers['x-csrf-token'];
    const sent = typeof header === 'string' ? header : csrfFieldOf(req, body);
    if (!expected || !sent || !sameSecret(sent, expected)) return { refused: 403, message: 'a cookie session\'s write needs its CSRF token (x-csrf-token header or _csrf form field)' };
  }
  return { claims: asApiGatewayClaims(payload) };
}

function csrfFieldOf(req: IncomingMessage, body: Buffer): string | undefined {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(body.toString('utf8')).get('_csrf') ?? undefined;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** API Gateway passes text bodies as they are and base64-encodes the rest (form posts included). */
const isTextBody = (contentType: string) => /^(application\/json|text\/)/i.test(contentType);

function toEvent(req: IncomingMessage, url: URL, route: CompiledRoute, params: Record<string, string>, body: Buffer, claims: Record<string, string> | undefined): HttpEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] ??= 'http';
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  // Own keys only: "constructor" or "__proto__" in a query string is a parameter like any other.
  for (const [key, value] of url.searchParams) query[key] = Object.hasOwn(query, key) ? `${query[key]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  const now = Date.now();
  const cookies = req.headers.cookie ? req.headers.cookie.split(';').map((c) => c.trim()) : undefined;
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.params.length > 0 ? { pathParameters: params } : {}),
    ...(body.length > 0 ? { body: isTextBody(contentType) ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isTextBody(contentType),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method: route.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as HttpEvent;
}

function send(res: ServerResponse, result: HttpResult): void {
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
}

const jsonResult = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

export type ExtraRoute = (req: IncomingMessage, url: URL, res: ServerResponse) => Promise<boolean> | boolean;

export function createLocalServer(options: {
  deps: Deps;
  adminToken: string;
  tokens: LocalTokens;
  extraRoutes?: ExtraRoute[];
  /** Paths routed as another path (local conveniences API Gateway does not have; the event keeps the real path). */
  pathAliases?: ReadonlyMap<string, string>;
}): Server {
  const routes = httpFunctions.flatMap((fn) => {
    const handler = httpHandlerFactories[fn.name](options.deps);
    return fn.routes.map((key) => compileRoute(key, fn.access, handler));
  }).sort((a, b) => Number(a.greedy) - Number(b.greedy));

  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      for (const extra of options.extraRoutes ?? []) {
        if (await extra(req, url, res)) return;
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const routedPath = options.pathAliases?.get(url.pathname) ?? url.pathname;
      let matched: { route: CompiledRoute; params: Record<string, string> } | undefined;
      for (const route of routes) {
        if (route.method !== method) continue;
        const match = route.pattern.exec(routedPath);
        if (!match) continue;
        matched = { route, params: Object.fromEntries(route.params.map((name, i) => [name, safeDecode(match[i + 1] ?? '')])) };
        break;
      }
      if (!matched) return send(res, jsonResult(404, { message: 'Not Found' }));
      const body = await readBody(req);
      let claims: Record<string, string> | undefined;
      if (matched.route.access === 'admin') {
        const authentication = await authenticate(req, body, options);
        if (!authentication) return send(res, jsonResult(401, { message: 'Unauthorized' }));
        if ('refused' in authentication) return send(res, jsonResult(authentication.refused, { message: authentication.message }));
        claims = authentication.claims;
      }
      const event = toEvent(req, url, matched.route, matched.params, body, claims);
      send(res, await matched.route.handler(event, {} as never));
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 413) {
        // The rest of the body is never read: the connection cannot serve another request.
        res.setHeader('connection', 'close');
        return send(res, jsonResult(413, { message: 'Request Entity Too Large' }));
      }
      options.deps.logger.error('local adapter failure', { error: error as Error });
      if (!res.headersSent) send(res, jsonResult(500, { message: 'Internal Server Error' }));
      else res.end();
    }
  });
}
