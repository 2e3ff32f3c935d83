/**
 * Responses are compressed when the client accepts it, by the handlers themselves (so on AWS as
 * behind the local adapter): checked with raw HTTP, not fetch, which would decompress unseen.
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preferredEncoding } from '../../functions/http/compression';
import { ADMIN_TOKEN, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

/** GET with the given Accept-Encoding; the raw bytes and headers as they came over the wire. */
function rawGet(path: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, platform.url);
    const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'text/html' };
    if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding;
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compressed responses', () => {
  it('picks br or gzip by the client weights', () => {
    expect(preferredEncoding('gzip, deflate, br')).toBe('br');
    expect(preferredEncoding('gzip;q=1.0, br;q=0.5')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip')).toBe('gzip');
    expect(preferredEncoding('identity')).toBeUndefined();
    expect(preferredEncoding('*')).toBe('br');
    expect(preferredEncoding('*;q=0')).toBeUndefined();
    expect(preferredEncoding(undefined)).toBeUndefined();
  });

  it('sends the same page brotli- or gzip-compressed, or plain, as asked', async () => {
    const page = '/s/unknown-token-0000000000000000';
    const plainPage = await rawGet(page);
    const br = await rawGet(page, 'gzip, br');
    const gzip = await rawGet(page, 'gzip');
    expect(plainPage.body.length).toBeGreaterThan(1024);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(br.status).toBe(plainPage.status);
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(plainPage.body.toString('utf8'));
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(plainPage.body.toString('utf8'));
    expect(br.body.length).toBeLessThan(plainPage.body.length / 2);
  });

  it('leaves small bodies as they are', async () => {
    const small = await rawGet('/admin/commitments', 'br');
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ commitments: [] });
  });
});
