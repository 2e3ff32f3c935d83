/**
 * The console's one HTML page: it names the built script and styles and carries the console's
 * configuration as inert JSON (read by console/main.tsx), so the same build serves any deployment.
 */
import { html, raw } from './html';

/**
 * Cognito's hosted sign-in page (AWS): the console sends the user to `${domain}/oauth2/authorize`
 * with a PKCE challenge and exchanges the code it gets back at `${domain}/oauth2/token`
 * (console/pkce.ts).
 */
export interface CognitoSignIn {
  kind: 'cognito';
  /** The user pool domain's origin, e.g. https://manyi-1a2b3c4d.auth.ap-east-1.amazoncognito.com. */
  domain: string;
  /** The app client (the JWT audience of the admin routes). */
  clientId: string;
  /** The console's URL as the app client's callback URL lists it (the API's URL + /console). */
  redirectUri: string;
}

/** A built file of the console (hashed name, so a browser may keep it for good). */
export interface ConsoleAsset {
  body: Uint8Array;
  contentType: string;
}

/** The built console as the page and its server need it: every file by name, and which two the page names. */
export interface ConsoleFiles {
  files: ReadonlyMap<string, ConsoleAsset>;
  /** The entry script and its style sheet. */
  script: string;
  styles: string | undefined;
}

/**
 * A console build written to a directory (scripts/build-console.ts, for the Console function's
 * bundle): the files under their names and this one beside them, which says what they are.
 */
export const CONSOLE_BUILD_MANIFEST = 'build.json';
export interface ConsoleBuildManifest {
  script: string;
  styles: string | null;
  /** Every file's content type, by name. */
  files: Record<string, string>;
}

export interface ConsoleConfig {
  /** The first language, from the user's browser (the header switches it). */
  lang: 'zh-CN' | 'en';
  /** How staff sign in: the local runtime's POST /auth/login, or Cognito's hosted page. */
  signIn: 'local' | CognitoSignIn;
  /** The local runtime's own pages (the SMS outbox) exist. */
  devRoutes: boolean;
}

/**
 * Scripts from this origin only; inline styles for the preview's respondent page (its own CSS).
 * With Cognito's sign-in the page also calls the domain's token endpoint (connect-src); nothing
 * else of it runs here (the authorize page is a navigation, not a fetch).
 */
export function consoleCsp(signIn: ConsoleConfig['signIn']): string {
  const connect = signIn === 'local' ? "'self'" : `'self' ${signIn.domain}`;
  return `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${connect}; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

export function consoleIndexPage(assets: { script: string; styles: string | undefined }, config: ConsoleConfig): string {
  // "</" never appears in JSON.stringify's output for these values, but escape "<" anyway: the
  // configuration sits inside a script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>${html`<html lang="${config.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>manyi</title>
${assets.styles ? html`<link rel="stylesheet" href="/console/${assets.styles}">` : ''}
<script type="module" src="/console/${assets.script}"></script>
</head>
<body><div id="app"></div><script type="application/json" id="manyi-config">${raw(json)}</script></body>
</html>`}`;
}
