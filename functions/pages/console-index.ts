/**
 * The console's one HTML page: it names the built script and styles and carries the console's
 * configuration as inert JSON (read by console/main.tsx), so the same build serves any deployment.
 */
import { html, raw } from './html';

export interface ConsoleConfig {
  /** The first language, from the user's browser (the header switches it). */
  lang: 'zh-CN' | 'en';
  /** How staff sign in: the local runtime's POST /auth/login. */
  signIn: 'local';
  /** The local runtime's own pages (the SMS outbox) exist. */
  devRoutes: boolean;
}

/** Scripts from this origin only; inline styles for the preview's respondent page (its own CSS). */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

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
