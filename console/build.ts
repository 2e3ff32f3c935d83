/**
 * The console's build: one esbuild run of console/main.tsx for browsers (Preact, its JSX compiled by
 * esbuild), code-split so what only one page needs (YAML, the editor's preview) loads with that
 * page. The local runtime builds it in memory at the first request for /console; the JavaScript
 * budget test measures the same build; `writeConsoleBuild` writes it to a directory, which is how
 * the Console function's bundle carries it on AWS (scripts/build-console.ts, run by the bundling).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CONSOLE_BUILD_MANIFEST, type ConsoleAsset, type ConsoleBuildManifest, type ConsoleFiles } from '../functions/pages/console-index';

const consoleDir = path.dirname(fileURLToPath(import.meta.url));

export type { ConsoleAsset } from '../functions/pages/console-index';

export interface ConsoleBuild extends ConsoleFiles {
  /** Every script the first screen loads: the entry and the chunks it imports statically. */
  firstScreen: readonly string[];
}

const contentTypes: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

export async function buildConsole(): Promise<ConsoleBuild> {
  const result = await build({
    entryPoints: [path.join(consoleDir, 'main.tsx')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    // The domain's CSV reader imports csv-parse's Node build (it needs Buffer); the browser takes the package's own browser build.
    alias: { 'csv-parse/sync': 'csv-parse/browser/esm/sync' },
    target: ['es2022', 'chrome110', 'safari16'],
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    outdir: '/console',
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const files = new Map<string, ConsoleAsset>();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    files.set(name, { body: file.contents, contentType: contentTypes[path.extname(name)] ?? 'application/octet-stream' });
  }
  const outputs = result.metafile.outputs;
  const [entryPath, entry] = Object.entries(outputs).find(([, output]) => output.entryPoint !== undefined) ?? [];
  if (!entryPath || !entry) throw new Error('the console build has no entry output');
  // Everything the entry imports statically, and what those import in turn: what loads before the first screen.
  const firstScreenPaths = new Set<string>([entryPath]);
  for (const output of firstScreenPaths) {
    for (const imported of outputs[output]?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) firstScreenPaths.add(imported.path);
  }
  const firstScreen = [...firstScreenPaths].map((output) => path.basename(output));
  return { files, script: path.basename(entryPath), styles: entry.cssBundle ? path.basename(entry.cssBundle) : undefined, firstScreen };
}

/**
 * Builds the console into `dir` (created; it must hold nothing yet): every file under its name and
 * CONSOLE_BUILD_MANIFEST beside them (functions/http/console.ts reads the directory by it).
 */
export async function writeConsoleBuild(dir: string): Promise<ConsoleBuildManifest> {
  mkdirSync(dir, { recursive: true });
  // Left-overs of another build would be served by nobody but carried by every bundle.
  if (readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: the console is built into an empty directory`);
  const built = await buildConsole();
  if (built.files.has(CONSOLE_BUILD_MANIFEST)) throw new Error(`the console build has a file named ${CONSOLE_BUILD_MANIFEST}`);
  const manifest: ConsoleBuildManifest = { script: built.script, styles: built.styles ?? null, files: {} };
  for (const [name, asset] of built.files) {
    writeFileSync(path.join(dir, name), asset.body);
    manifest.files[name] = asset.contentType;
  }
  writeFileSync(path.join(dir, CONSOLE_BUILD_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
