/**
 * GET /console and GET /console/{asset+}: the console's one page and its built files, from the
 * API's own origin (docs/console.md, "Serving"). On Lambda the files come from the directory the
 * bundling wrote beside the bundle (scripts/build-console.ts); the local runtime gives the same
 * handler a build made in memory (functions/local/console-route.ts). What a request is answered
 * with is `consoleResponse`, one pure function of the files, so the two cannot differ.
 *
 * A name is looked up in the build's own map of files, never joined to a path: `..`, an encoded
 * slash or any other name that is not a built file is a 404, and nothing but the built files is
 * ever read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Deps } from '../app/deps';
import { negotiateLanguage } from '../domain/text';
import {
  CONSOLE_BUILD_MANIFEST,
  consoleCsp,
  consoleIndexPage,
  type CognitoSignIn,
  type ConsoleAsset,
  type ConsoleBuildManifest,
  type ConsoleConfig,
  type ConsoleFiles,
} from '../pages/console-index';
import type { AppLogger } from '../shared/logger';
import { lambdaEntry } from '../runtime/lambda-entry';
import { compressResponses } from './compression';
import { json, type HttpEvent, type HttpResult } from './middleware';

/** What the page tells the console beyond its language. */
export type ConsoleServing = Omit<ConsoleConfig, 'lang'>;

/** Hashed names: a new build has new names, so a browser may keep a file for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const isText = (contentType: string) => /^(text\/|application\/(json|javascript))/i.test(contentType);

/**
 * The answer to GET /console/<name>: the page for the empty name (/console, and /console/ where
 * it arrives), a built file for its name, a 404 for any other. The page's language is the
 * browser's (Accept-Language: en, else zh-CN); the header switches it.
 */
export function consoleResponse(build: ConsoleFiles, name: string, request: { acceptLanguage?: string | undefined }, serving: ConsoleServing): HttpResult {
  if (name === '') {
    const lang = negotiateLanguage(['zh-CN', 'en'], { acceptLanguage: request.acceptLanguage }) === 'en' ? 'en' : 'zh-CN';
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': consoleCsp(serving.signIn),
        'x-content-type-options': 'nosniff',
        // The page may open with a sign-in code in its query (Cognito's redirect): no referrer carries it.
        'referrer-policy': 'no-referrer',
      },
      body: consoleIndexPage(build, { lang, ...serving }),
    };
  }
  // A Map: "__proto__" or "constructor" is a name like any other, and no built file.
  const asset: ConsoleAsset | undefined = build.files.get(name);
  if (!asset) return json(404, { message: 'Not Found' });
  const body = Buffer.from(asset.body.buffer, asset.body.byteOffset, asset.body.byteLength);
  return {
    statusCode: 200,
    headers: { 'content-type': asset.contentType, 'cache-control': IMMUTABLE, 'x-content-type-options': 'nosniff' },
    // Text as text (so the response compression applies), anything else as base64 bytes.
    ...(isText(asset.contentType) ? { body: body.toString('utf8') } : { body: body.toString('base64'), isBase64Encoded: true }),
  };
}

/** A name the manifest may give a file: one path segment of the build's own characters. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The console build written to `dir` by console/build.ts `writeConsoleBuild`, read whole (about 130 KB). */
export function readConsoleDirectory(dir: string): ConsoleFiles {
  const manifest = JSON.parse(readFileSync(path.join(dir, CONSOLE_BUILD_MANIFEST), 'utf8')) as ConsoleBuildManifest;
  const files = new Map<string, ConsoleAsset>();
  for (const [name, contentType] of Object.entries(manifest.files ?? {})) {
    if (!FILE_NAME.test(name) || name === CONSOLE_BUILD_MANIFEST) throw new Error(`the console build in ${dir} names a file "${name}"`);
    files.set(name, { body: readFileSync(path.join(dir, name)), contentType: String(contentType) });
  }
  if (!files.has(manifest.script) || (manifest.styles !== null && !files.has(manifest.styles))) {
    throw new Error(`the console build in ${dir} names a script or style sheet it does not hold`);
  }
  return { files, script: manifest.script, styles: manifest.styles ?? undefined };
}

/** Only a bare https origin goes into the page's CSP and configuration. */
const isHttpsOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.origin === value;
  } catch {
    return false;
  }
};

/**
 * The hosted sign-in the stack configures (infra/stack.ts): the user pool domain, the app client
 * and the callback URL the client lists.
 */
export function cognitoSignInFromEnv(env: Readonly<Record<string, string | undefined>>): CognitoSignIn {
  const domain = env.CONSOLE_SIGN_IN_DOMAIN ?? '';
  const clientId = env.CONSOLE_SIGN_IN_CLIENT_ID ?? '';
  const redirectUri = env.CONSOLE_SIGN_IN_REDIRECT_URI ?? '';
  if (!isHttpsOrigin(domain)) throw new Error('CONSOLE_SIGN_IN_DOMAIN must be the https origin of the user pool domain (set by the stack)');
  if (!/^[\w+]{1,128}$/.test(clientId)) throw new Error('CONSOLE_SIGN_IN_CLIENT_ID must be the app client id (set by the stack)');
  if (!redirectUri.startsWith('https://') || !URL.canParse(redirectUri)) throw new Error('CONSOLE_SIGN_IN_REDIRECT_URI must be the https URL of the console (set by the stack)');
  return { kind: 'cognito', domain, clientId, redirectUri };
}

/** Where the files and the sign-in come from: read once per container, on the first request. */
export interface ConsoleSource {
  files: () => ConsoleFiles | Promise<ConsoleFiles>;
  serving: ConsoleServing;
}

/** A failure here is the deployment's (a missing build, a bad variable): logged, and a bare 500. */
const serverErrors = (logger: AppLogger): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    logger.error('the console could not be served', { error: request.error as Error, routeKey: request.event?.routeKey });
    request.response = json(500, { message: 'Internal Server Error' });
  },
});

export const createConsoleHandler = (source: ConsoleSource) => (deps: Pick<Deps, 'logger'>) =>
  middy<HttpEvent, HttpResult>()
    .use(compressResponses<HttpEvent>())
    .use(serverErrors(deps.logger))
    .handler(async (event) => consoleResponse(await source.files(), event.pathParameters?.asset ?? '', { acceptLanguage: event.headers?.['accept-language'] }, source.serving));

/** Beside the bundle (/var/task/console), or MANYI_CONSOLE_DIR (tests). */
const consoleDirectory = (): string => process.env.MANYI_CONSOLE_DIR ?? fileURLToPath(new URL('./console', import.meta.url));

export const handler = lambdaEntry((deps) => {
  let files: ConsoleFiles | undefined;
  return createConsoleHandler({ files: () => (files ??= readConsoleDirectory(consoleDirectory())), serving: { signIn: cognitoSignInFromEnv(process.env), devRoutes: false } })(deps);
});
