/**
 * GET /console/ and its assets behind the local adapter: the console is built in memory (esbuild)
 * at the first request, so a platform that nobody opens the console of pays nothing for it.
 */
import type { IncomingMessage } from 'node:http';
import { buildConsole, type ConsoleBuild } from '../../console/build';
import { negotiateLanguage } from '../domain/text';
import { CONSOLE_CSP, consoleIndexPage } from '../pages/console-index';
import type { ExtraRoute } from './http-adapter';

const languageOf = (req: IncomingMessage): 'zh-CN' | 'en' =>
  negotiateLanguage(['zh-CN', 'en'], { acceptLanguage: req.headers['accept-language'] }) === 'en' ? 'en' : 'zh-CN';

export function consoleRoute(options: { devRoutes: boolean }): ExtraRoute {
  let built: Promise<ConsoleBuild> | undefined;
  return async (req, url, res) => {
    if (req.method !== 'GET' || !(url.pathname === '/console' || url.pathname.startsWith('/console/'))) return false;
    // A failed build is not kept: the next request tries again (after the source is fixed).
    const assets = await (built ??= buildConsole().catch((error: unknown) => {
      built = undefined;
      throw error;
    }));
    const name = url.pathname.replace(/^\/console\/?/, '');
    if (name === '') {
      const page = consoleIndexPage(assets, { lang: languageOf(req), signIn: 'local', devRoutes: options.devRoutes });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CONSOLE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
      res.end(page);
      return true;
    }
    const asset = assets.files.get(name);
    if (!asset) {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ message: 'Not Found' }));
      return true;
    }
    // Hashed names: a new build has new names, so a browser may keep these for good.
    res.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    res.end(asset.body);
    return true;
  };
}
