/**
 * The Console function's own handler (functions/http/console.ts `handler`, the Lambda entry) with
 * API Gateway v2 events, over a directory written by scripts/build-console.ts as the stack's
 * bundling writes it (infra/function.ts); and the local runtime's handler over its build in
 * memory, which must answer the same.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import type { ConsoleBuildManifest } from '../../functions/pages/console-index';
import type { HttpEvent, HttpResult } from '../../functions/http/middleware';
import { repositoryRoot } from '../../infra/function';
import { createLocalConsoleHandler, inMemoryConsoleBuild } from '../../functions/local/console-route';

const dir = mkdtempSync(path.join(tmpdir(), 'manyi-console-'));
const consoleDir = path.join(dir, 'console');
const SIGN_IN = {
  CONSOLE_SIGN_IN_DOMAIN: 'https://manyi-1a2b3c4d.auth.ap-east-1.amazoncognito.com',
  CONSOLE_SIGN_IN_CLIENT_ID: '4p1ec1ient1d',
  CONSOLE_SIGN_IN_REDIRECT_URI: 'https://abc123.execute-api.ap-east-1.amazonaws.com/console',
};
let manifest: ConsoleBuildManifest;
let handler: (event: HttpEvent, context: Context) => Promise<HttpResult>;
const context = { functionName: 'Console', awsRequestId: 'console-test' } as Context;

/** An event as API Gateway sends it for one of the Console routes. */
function event(routeKey: 'GET /console' | 'GET /console/{asset+}', rawPath: string, options: { asset?: string; headers?: Record<string, string> } = {}): HttpEvent {
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.ap-east-1.amazonaws.com', ...options.headers },
    ...(options.asset !== undefined ? { pathParameters: { asset: options.asset } } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.ap-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'GET', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'console-test',
      routeKey,
      stage: '$default',
      time: '10/Nov/2026:02:00:00 +0000',
      timeEpoch: 0,
    },
  } as HttpEvent;
}
const header = (result: HttpResult, name: string) => (result.headers as Record<string, string>)[name];
const bodyBytes = (result: HttpResult): Buffer => {
  const raw = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  const encoding = header(result, 'content-encoding');
  return encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
};

beforeAll(async () => {
  // The script the bundling runs, as it runs it.
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-console.ts', consoleDir], { cwd: repositoryRoot, encoding: 'utf8', timeout: 120_000 });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout + run.stderr).toBe('');
  manifest = JSON.parse(readFileSync(path.join(consoleDir, 'build.json'), 'utf8'));
  Object.assign(process.env, SIGN_IN, { MANYI_CONSOLE_DIR: consoleDir, POWERTOOLS_LOG_LEVEL: 'SILENT' });
  ({ handler } = (await import('../../functions/http/console')) as unknown as { handler: typeof handler });
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/build-console.ts', () => {
  it('writes the built files and a manifest naming them', () => {
    expect(manifest.script).toMatch(/^main-[A-Z0-9]+\.js$/);
    expect(manifest.styles).toMatch(/^main-[A-Z0-9]+\.css$/);
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining([manifest.script, manifest.styles]));
    for (const [name, type] of Object.entries(manifest.files)) {
      expect(type).toMatch(name.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect(readFileSync(path.join(consoleDir, name)).length, name).toBeGreaterThan(0);
    }
  });

  it('refuses a directory that holds something already', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-console.ts', consoleDir], { cwd: repositoryRoot, encoding: 'utf8', timeout: 120_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('is not empty');
  });
});

describe('the Console Lambda handler', () => {
  it('answers GET /console with the page, its CSP allowing the Cognito domain, and the hosted sign-in in its configuration', async () => {
    const page = await handler(event('GET /console', '/console', { headers: { 'accept-language': 'en-US,en;q=0.8' } }), context);
    expect(page.statusCode).toBe(200);
    expect(header(page, 'content-type')).toBe('text/html; charset=utf-8');
    expect(header(page, 'cache-control')).toBe('no-store');
    expect(header(page, 'content-security-policy')).toContain(`connect-src 'self' ${SIGN_IN.CONSOLE_SIGN_IN_DOMAIN};`);
    const html = bodyBytes(page).toString('utf8');
    expect(html).toContain(`src="/console/${manifest.script}"`);
    expect(html).toContain(`href="/console/${manifest.styles}"`);
    const config = JSON.parse(/id="manyi-config">(.*?)<\/script>/s.exec(html)![1]!);
    expect(config).toEqual({
      lang: 'en',
      signIn: { kind: 'cognito', domain: SIGN_IN.CONSOLE_SIGN_IN_DOMAIN, clientId: SIGN_IN.CONSOLE_SIGN_IN_CLIENT_ID, redirectUri: SIGN_IN.CONSOLE_SIGN_IN_REDIRECT_URI },
      devRoutes: false,
    });
  });

  it('answers /console/ with the same page, should API Gateway pass it with an empty remainder', async () => {
    const page = await handler(event('GET /console/{asset+}', '/console/', { asset: '' }), context);
    expect(page.statusCode).toBe(200);
    expect(bodyBytes(page).toString('utf8')).toContain(`src="/console/${manifest.script}"`);
  });

  it('answers every built file, byte for byte (compressed when asked), cached for good', async () => {
    for (const name of Object.keys(manifest.files)) {
      for (const encoding of [undefined, 'gzip', 'br']) {
        const result = await handler(event('GET /console/{asset+}', `/console/${name}`, { asset: name, headers: encoding ? { 'accept-encoding': encoding } : {} }), context);
        expect(result.statusCode, name).toBe(200);
        expect(header(result, 'content-type')).toBe(manifest.files[name]);
        expect(header(result, 'cache-control')).toBe('public, max-age=31536000, immutable');
        expect(bodyBytes(result).equals(readFileSync(path.join(consoleDir, name))), `${name} ${encoding}`).toBe(true);
      }
    }
  });

  it.each(['build.json', '../build.json', '..%2Fbuild.json', '../../package.json', '/etc/passwd', 'main.js', `${'a/'.repeat(500)}b`])('answers %j with 404 JSON, reading nothing', async (asset) => {
    const result = await handler(event('GET /console/{asset+}', `/console/${asset}`, { asset }), context);
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(bodyBytes(result).toString('utf8'))).toEqual({ message: 'Not Found' });
  });

  it('answers no 5xx for any name or header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom(...Object.keys(manifest.files))), fc.option(fc.string({ maxLength: 200 })), fc.option(fc.string({ maxLength: 50 })), async (asset, acceptLanguage, acceptEncoding) => {
        const headers: Record<string, string> = {};
        if (acceptLanguage !== null) headers['accept-language'] = acceptLanguage;
        if (acceptEncoding !== null) headers['accept-encoding'] = acceptEncoding;
        const result = await handler(event('GET /console/{asset+}', `/console/${encodeURIComponent(asset)}`, { asset, headers }), context);
        expect([200, 404]).toContain(result.statusCode);
        expect(result.statusCode === 200).toBe(asset === '' || Object.hasOwn(manifest.files, asset));
      }),
      { numRuns: 300, seed: 20_261_110 },
    );
  });
});

describe('the local runtime\'s Console handler', () => {
  it('serves the same build from memory, signing in locally', async () => {
    const local = createLocalConsoleHandler({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const page = await local(event('GET /console', '/console'), context);
    expect(page.statusCode).toBe(200);
    expect(header(page, 'content-security-policy')).toContain("connect-src 'self';");
    const html = bodyBytes(page).toString('utf8');
    expect(JSON.parse(/id="manyi-config">(.*?)<\/script>/s.exec(html)![1]!)).toEqual({ lang: 'zh-CN', signIn: 'local', devRoutes: true });
    // The same esbuild build, so the same hashed names and bytes as the directory the bundle carries.
    expect(html).toContain(`src="/console/${manifest.script}"`);
    const script = await local(event('GET /console/{asset+}', `/console/${manifest.script}`, { asset: manifest.script }), context);
    expect(bodyBytes(script).equals(readFileSync(path.join(consoleDir, manifest.script)))).toBe(true);
  }, 120_000);

  it('builds once, and again after a failed build', async () => {
    let calls = 0;
    const built = { files: new Map(), script: 'main-A.js', styles: undefined, firstScreen: [] };
    const source = inMemoryConsoleBuild(async () => {
      calls += 1;
      if (calls === 1) throw new Error('syntax error in console/main.tsx');
      return built;
    });
    await expect(source()).rejects.toThrow('syntax error');
    expect(await source()).toBe(built);
    expect(await source()).toBe(built);
    expect(calls).toBe(2);
  });
});
