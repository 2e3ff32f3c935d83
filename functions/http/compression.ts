/**
 * Compressed responses, in the handler: the same code compresses on AWS (API Gateway's HTTP API
 * passes a base64 body with its content-encoding through as bytes; it has no compression of its
 * own) and behind the local adapter. A report page of 100-200 KB of HTML reaches a phone as
 * 15-25 KB.
 *
 * Written here rather than taken from middy: @middy/http-content-encoding exists for middy 5 and
 * 7, and 7 needs Node 22 while the local runtime and CI run Node 20.
 */
import type { MiddlewareObj } from '@middy/core';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 as HttpResult } from 'aws-lambda';

/** Below this a body gains too little to be worth the work (and the header bytes). */
const MIN_BYTES = 1024;
/** Brotli quality 5: most of quality 11's gain at a small part of its time (pages are built per request). */
const BROTLI_QUALITY = 5;
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml)|image\/svg\+xml)/i;

export type ContentEncoding = 'br' | 'gzip';

/**
 * The encoding to answer with for an Accept-Encoding header (RFC 9110 12.5.3): the client's
 * highest-q of br and gzip, br on a tie; none when neither is acceptable. `*` covers both.
 */
export function preferredEncoding(acceptEncoding: string | undefined): ContentEncoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name !== '' && Number.isFinite(weight)) weights.set(name, weight);
  }
  const weightOf = (encoding: ContentEncoding) => weights.get(encoding) ?? weights.get('*') ?? 0;
  const br = weightOf('br');
  const gzip = weightOf('gzip');
  if (br <= 0 && gzip <= 0) return undefined;
  return br >= gzip ? 'br' : 'gzip';
}

const headerOf = (headers: HttpResult['headers'], name: string): string | undefined => {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry === undefined ? undefined : String(entry[1]);
};

function compressed(result: HttpResult, encoding: ContentEncoding): HttpResult {
  if (typeof result.body !== 'string' || result.isBase64Encoded || Buffer.byteLength(result.body) < MIN_BYTES) return result;
  if (headerOf(result.headers, 'content-encoding') || !COMPRESSIBLE.test(headerOf(result.headers, 'content-type') ?? '')) return result;
  const bytes = Buffer.from(result.body, 'utf8');
  const body =
    encoding === 'br'
      ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
      : gzipSync(bytes);
  const vary = headerOf(result.headers, 'vary');
  return {
    ...result,
    headers: { ...result.headers, 'content-encoding': encoding, vary: vary ? `${vary}, accept-encoding` : 'accept-encoding' },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}

/** Compresses a successful response with br or gzip when the client accepts it. */
export function compressResponses<E extends APIGatewayProxyEventV2>(): MiddlewareObj<E, HttpResult> {
  return {
    after: (request) => {
      const encoding = preferredEncoding(request.event.headers?.['accept-encoding']);
      if (encoding && request.response && typeof request.response === 'object') request.response = compressed(request.response, encoding);
    },
  };
}
