/**
 * What every HTTP handler shares: response helpers, body parsing and the error mapping (admin
 * routes add the caller and the audit trail: ./admin-route.ts). Like middy's http-error-handler, only client errors (4xx) expose their message; any
 * other failure is logged and answered with a bare 500.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, invalid, notFound, ThrottledError, type FailureKind } from '../domain/errors';
import { isPathId } from '../domain/primitives';
import type { AppLogger } from '../shared/logger';
import { compressResponses } from './compression';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;

const statusOf: Record<FailureKind, number> = { validation: 400, unauthorized: 401, forbidden: 403, 'not-found': 404, conflict: 409, gone: 410, throttled: 429 };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

/** HTML with headers that keep the respondent's token out of referrers and caches. */
export function html(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      ...headers,
    },
    body,
  };
}

/** A body declared as text/csv (imports take CSV or JSON on the same route). */
export const isCsv = (event: HttpEvent): boolean => /^text\/csv\b/i.test(event.headers['content-type'] ?? '');

export function rawBody(event: HttpEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function parseJsonBody(event: HttpEvent): unknown {
  const text = rawBody(event);
  if (text.trim() === '') throw invalid([{ path: '(body)', message: 'a JSON body is required' }], 'a JSON body is required');
  try {
    return JSON.parse(text);
  } catch {
    throw invalid([{ path: '(body)', message: 'the body is not valid JSON' }], 'the body is not valid JSON');
  }
}

export const isFormPost = (event: HttpEvent): boolean =>
  (event.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

export function parseFormBody(event: HttpEvent): Record<string, string | string[]> {
  // A Map, not a plain object: "constructor" or "__proto__" as a field name must be a field like any other.
  const fields = new Map<string, string | string[]>();
  for (const [key, value] of new URLSearchParams(rawBody(event))) {
    const previous = fields.get(key);
    fields.set(key, previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value]);
  }
  return Object.fromEntries(fields);
}

export function errorResponse(error: DomainError): HttpResult {
  const status = statusOf[error.kind];
  const headers: Record<string, string> = error instanceof ThrottledError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
  return json(status, error.kind === 'validation' ? { message: error.message, errors: error.problems } : { message: error.message }, headers);
}

export function httpErrors(logger: AppLogger): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    // Every id and token of a path (/s/{token}, /admin/campaigns/{campaignId}, ...) has one format
    // and length: anything else names nothing that exists, so it is a 404 before any lookup.
    before: (request) => {
      for (const value of Object.values(request.event.pathParameters ?? {})) {
        if (value !== undefined && !isPathId(value)) throw notFound('Not Found');
      }
    },
    onError: (request) => {
      const { error } = request;
      if (error instanceof DomainError) {
        request.response = errorResponse(error);
        return;
      }
      logger.error('unhandled error', { error: error as Error, routeKey: request.event?.routeKey });
      request.response = json(500, { message: 'Internal Server Error' });
    },
  };
}

/** What every HTTP handler answers through: errors mapped (above), then the body compressed when the client accepts it. */
export function httpResponses(logger: AppLogger): MiddlewareObj<HttpEvent, HttpResult>[] {
  return [compressResponses<HttpEvent>(), httpErrors(logger)];
}
