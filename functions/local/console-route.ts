/**
 * The Console function behind the local adapter: the handler of functions/http/console.ts over a
 * build made in memory (esbuild) at the first request, so a platform that nobody opens the
 * console of pays nothing for it. Staff sign in with the local POST /auth/login.
 */
import { buildConsole, type ConsoleBuild } from '../../console/build';
import type { Deps } from '../app/deps';
import { createConsoleHandler } from '../http/console';

/** The build, made once; a failed build is not kept: the next request tries again (after the source is fixed). */
export function inMemoryConsoleBuild(build: () => Promise<ConsoleBuild> = buildConsole): () => Promise<ConsoleBuild> {
  let built: Promise<ConsoleBuild> | undefined;
  return () =>
    (built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    }));
}

export const createLocalConsoleHandler = (deps: Pick<Deps, 'logger'>) =>
  createConsoleHandler({ files: inMemoryConsoleBuild(), serving: { signIn: 'local', devRoutes: true } })(deps);

/**
 * Paths the local adapter answers as another: /console/ as /console. The route table has
 * `GET /console` and `GET /console/{asset+}`; API Gateway matches /console/ to neither as far as
 * its documentation says (docs/console.md, "Serving"), but the local console has always opened at
 * /console/, so it still does here. Every link and the sign-in callback use /console.
 */
export const CONSOLE_PATH_ALIASES: ReadonlyMap<string, string> = new Map([['/console/', '/console']]);
