/**
 * The console's build: one esbuild run of console/main.tsx for browsers (Preact, its JSX compiled by
 * esbuild), code-split so what only one page needs (YAML, the editor's preview) loads with that
 * page. The local runtime builds it in memory at the first request for /console/; the JavaScript
 * budget test measures the same build.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const consoleDir = path.dirname(fileURLToPath(import.meta.url));

export interface ConsoleAsset {
  body: Uint8Array;
  contentType: string;
}

export interface ConsoleBuild {
  /** Built files by name (hashed, so a browser may keep them for good). */
  files: ReadonlyMap<string, ConsoleAsset>;
  /** The entry script and its style sheet, which the index page names. */
  script: string;
  styles: string | undefined;
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
