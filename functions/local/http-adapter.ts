/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): it routes by the same route
 * table the stack uses, authorises admin routes (a bearer token instead of a Cognito JWT), builds
 * the event Lambda would receive and writes the handler's result back.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Deps } from '../app/deps';
import type { Access } from '../http/routes';
import { httpFunctions } from '../manifest';
import type { HttpEvent, HttpResult } from '../http/middleware';
import { httpHandlerFactories, type LocalHttpHandler } from './handlers';

/** Lambda's synchronous payload limit: larger requests never reach a function on AWS either. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
export const ADMIN_COOKIE = 'manyi_admin';

interface CompiledRoute {
  method: string;
  routeKey: string;
  pattern: RegExp;
  params: string[];
  access: Access;
  handler: LocalHttpHandler;
}

function compileRoute(routeKey: string, access: Access, handler: LocalHttpHandler): CompiledRoute {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(segment)?.[1];
      if (!param) return segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
      params.push(param);
      return '([^/]+)';
    })
    .join('/');
  return { method, routeKey, pattern: new RegExp(`^${source}$`), params, access, handler };
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

function cookiesOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .filter((parts) => parts.length >= 2)
      .map(([k = '', ...v]) => [k, safeDecode(v.join('='))]),
  );
}

export function isAdmin(req: IncomingMessage, adminToken: string): boolean {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  if (bearer) return sameSecret(bearer, adminToken);
  const cookie = cookiesOf(req)[ADMIN_COOKIE];
  return cookie !== undefined && sameSecret(cookie, adminToken);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
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

function toEvent(req: IncomingMessage, url: URL, route: CompiledRoute, params: Record<string, string>, body: Buffer, admin: boolean): HttpEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] ??= 'http';
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
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
      ...(admin ? { authorizer: { jwt: { claims: { sub: 'local-admin' }, scopes: [] } } } : {}),
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

export function createLocalServer(options: { deps: Deps; adminToken: string; extraRoutes?: ExtraRoute[] }): Server {
  const routes = httpFunctions.flatMap((fn) => {
    const handler = httpHandlerFactories[fn.name](options.deps);
    return fn.routes.map((key) => compileRoute(key, fn.access, handler));
  });

  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      for (const extra of options.extraRoutes ?? []) {
        if (await extra(req, url, res)) return;
      }
      const method = (req.method ?? 'GET').toUpperCase();
      let matched: { route: CompiledRoute; params: Record<string, string> } | undefined;
      for (const route of routes) {
        if (route.method !== method) continue;
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        matched = { route, params: Object.fromEntries(route.params.map((name, i) => [name, safeDecode(match[i + 1] ?? '')])) };
        break;
      }
      if (!matched) return send(res, jsonResult(404, { message: 'Not Found' }));
      const admin = isAdmin(req, options.adminToken);
      if (matched.route.access === 'admin' && !admin) return send(res, jsonResult(401, { message: 'Unauthorized' }));
      const body = await readBody(req);
      const event = toEvent(req, url, matched.route, matched.params, body, matched.route.access === 'admin' && admin);
      send(res, await matched.route.handler(event, {} as never));
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 413) return send(res, jsonResult(413, { message: 'Request Entity Too Large' }));
      options.deps.logger.error('local adapter failure', { error: error as Error });
      if (!res.headersSent) send(res, jsonResult(500, { message: 'Internal Server Error' }));
      else res.end();
    }
  });
}
