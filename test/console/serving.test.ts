/**
 * What GET /console and its files answer (functions/http/console.ts `consoleResponse`, the one
 * function behind both the Lambda function and the local runtime): the page with its CSP for
 * each way of signing in, the files with their cache headers, and a 404 for every other name.
 */
import { describe, expect, it } from 'vitest';
import { consoleResponse, cognitoSignInFromEnv, type ConsoleServing } from '../../functions/http/console';
import type { ConsoleConfig, ConsoleFiles } from '../../functions/pages/console-index';

const bytes = (text: string) => new TextEncoder().encode(text);
const build: ConsoleFiles = {
  files: new Map([
    ['main-ABC123.js', { body: bytes('import"./chunk-XYZ.js";console.log("中文")'), contentType: 'text/javascript; charset=utf-8' }],
    ['chunk-XYZ.js', { body: bytes('export const x=1'), contentType: 'text/javascript; charset=utf-8' }],
    ['main-DEF456.css', { body: bytes('body{color:red}'), contentType: 'text/css; charset=utf-8' }],
    ['logo-0A1B.png', { body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]), contentType: 'image/png' }],
  ]),
  script: 'main-ABC123.js',
  styles: 'main-DEF456.css',
};
const cognito = { kind: 'cognito', domain: 'https://manyi-1a2b3c4d.auth.ap-east-1.amazoncognito.com', clientId: '4p1ec1ient1d', redirectUri: 'https://abc.execute-api.ap-east-1.amazonaws.com/console' } as const;
const local: ConsoleServing = { signIn: 'local', devRoutes: true };
const onAws: ConsoleServing = { signIn: cognito, devRoutes: false };

const header = (result: ReturnType<typeof consoleResponse>, name: string) => (result.headers as Record<string, string>)[name];
const configOf = (body: string): ConsoleConfig => JSON.parse(/<script type="application\/json" id="manyi-config">(.*?)<\/script>/s.exec(body)![1]!);
const directives = (csp: string) => new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('the console page', () => {
  it('is served for the empty name (/console, and /console/ where it arrives), uncached, naming the hashed script and styles', () => {
    const page = consoleResponse(build, '', {}, local);
    expect(page.statusCode).toBe(200);
    expect(header(page, 'content-type')).toBe('text/html; charset=utf-8');
    expect(header(page, 'cache-control')).toBe('no-store');
    expect(header(page, 'x-content-type-options')).toBe('nosniff');
    expect(header(page, 'referrer-policy')).toBe('no-referrer');
    expect(page.body).toContain('<script type="module" src="/console/main-ABC123.js"></script>');
    expect(page.body).toContain('<link rel="stylesheet" href="/console/main-DEF456.css">');
  });

  it('takes its language from Accept-Language (en, else zh-CN)', () => {
    expect(configOf(consoleResponse(build, '', { acceptLanguage: 'en-GB,en;q=0.9' }, local).body as string).lang).toBe('en');
    expect(configOf(consoleResponse(build, '', { acceptLanguage: 'fr, zh-TW;q=0.5' }, local).body as string).lang).toBe('zh-CN');
    expect(configOf(consoleResponse(build, '', {}, local).body as string).lang).toBe('zh-CN');
    expect(consoleResponse(build, '', { acceptLanguage: 'en' }, local).body).toContain('<html lang="en">');
  });

  it('locally: signs in with POST /auth/login, connects to its own origin only', () => {
    const page = consoleResponse(build, '', {}, local);
    expect(configOf(page.body as string)).toEqual({ lang: 'zh-CN', signIn: 'local', devRoutes: true });
    const csp = directives(header(page, 'content-security-policy')!);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('on AWS: names the hosted sign-in, and the CSP lets the page reach the Cognito domain (its token endpoint) and nothing more', () => {
    const page = consoleResponse(build, '', {}, onAws);
    expect(configOf(page.body as string)).toEqual({ lang: 'zh-CN', signIn: cognito, devRoutes: false });
    const csp = directives(header(page, 'content-security-policy')!);
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://manyi-1a2b3c4d.auth.ap-east-1.amazoncognito.com']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    // Only connect-src differs from the local page's policy.
    const localCsp = directives(header(consoleResponse(build, '', {}, local), 'content-security-policy')!);
    expect([...csp.keys()]).toEqual([...localCsp.keys()]);
    for (const [name, values] of csp) if (name !== 'connect-src') expect(values, name).toEqual(localCsp.get(name));
  });
});

describe('the console files', () => {
  it('are served under their hashed names, cached for good', () => {
    const script = consoleResponse(build, 'main-ABC123.js', {}, local);
    expect(script.statusCode).toBe(200);
    expect(header(script, 'content-type')).toBe('text/javascript; charset=utf-8');
    expect(header(script, 'cache-control')).toBe('public, max-age=31536000, immutable');
    expect(header(script, 'x-content-type-options')).toBe('nosniff');
    expect(script.body).toBe('import"./chunk-XYZ.js";console.log("中文")');
    expect(script.isBase64Encoded).toBeFalsy();
    const styles = consoleResponse(build, 'main-DEF456.css', {}, onAws);
    expect([styles.statusCode, header(styles, 'content-type'), styles.body]).toEqual([200, 'text/css; charset=utf-8', 'body{color:red}']);
  });

  it('sends a file that is not text as base64 bytes', () => {
    const image = consoleResponse(build, 'logo-0A1B.png', {}, local);
    expect(image.isBase64Encoded).toBe(true);
    expect([...Buffer.from(image.body as string, 'base64')]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
  });

  it.each([
    'main-abc123.js',
    'nosuch.js',
    '../package.json',
    '..',
    '.',
    '/etc/passwd',
    'console/main-ABC123.js',
    'main-ABC123.js/',
    '%2e%2e%2fpackage.json',
    '..%2Fpackage.json',
    'build.json',
    'index.html',
    '__proto__',
    'constructor',
    'toString',
    'main-ABC123.js\u0000',
    'x'.repeat(10_000),
  ])('answers 404 JSON for %j: names are looked up among the built files only', (name) => {
    const result = consoleResponse(build, name, {}, local);
    expect(result.statusCode).toBe(404);
    expect(header(result, 'content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(result.body as string)).toEqual({ message: 'Not Found' });
  });
});

describe('the hosted sign-in of the Lambda function (CONSOLE_SIGN_IN_*)', () => {
  const env = { CONSOLE_SIGN_IN_DOMAIN: cognito.domain, CONSOLE_SIGN_IN_CLIENT_ID: cognito.clientId, CONSOLE_SIGN_IN_REDIRECT_URI: cognito.redirectUri };

  it('is read from the variables the stack sets', () => {
    expect(cognitoSignInFromEnv(env)).toEqual(cognito);
  });

  it.each([
    ['no domain', { ...env, CONSOLE_SIGN_IN_DOMAIN: undefined }],
    ['a domain with a path', { ...env, CONSOLE_SIGN_IN_DOMAIN: `${cognito.domain}/oauth2` }],
    ['a domain over http', { ...env, CONSOLE_SIGN_IN_DOMAIN: 'http://manyi.auth.ap-east-1.amazoncognito.com' }],
    ['a domain that would widen the CSP', { ...env, CONSOLE_SIGN_IN_DOMAIN: `${cognito.domain} https://evil.example` }],
    ['a domain that would end the directive', { ...env, CONSOLE_SIGN_IN_DOMAIN: `${cognito.domain};script-src *` }],
    ['no client', { ...env, CONSOLE_SIGN_IN_CLIENT_ID: '' }],
    ['a client id with quotes', { ...env, CONSOLE_SIGN_IN_CLIENT_ID: 'a"b' }],
    ['no callback', { ...env, CONSOLE_SIGN_IN_REDIRECT_URI: undefined }],
    ['a callback over http', { ...env, CONSOLE_SIGN_IN_REDIRECT_URI: 'http://abc.execute-api.ap-east-1.amazonaws.com/console' }],
  ])('refuses %s (a deployment error, not a page)', (_case, variables) => {
    expect(() => cognitoSignInFromEnv(variables)).toThrow(/CONSOLE_SIGN_IN_/);
  });
});
