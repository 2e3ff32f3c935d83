/**
 * The stack's bundling options (infra/function.ts `manyiBundling`) as esbuild's own, for what
 * bundles functions outside a CDK synthesis: the bundling test and bench/cold-start.ts.
 */
import path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { manyiBundling, repositoryRoot } from './function';

export const esbuildOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: manyiBundling.format,
  target: manyiBundling.target,
  minify: manyiBundling.minify,
  sourcemap: manyiBundling.sourceMap,
  sourcesContent: manyiBundling.sourcesContent,
  mainFields: [...manyiBundling.mainFields],
  banner: { js: manyiBundling.banner },
  outExtension: { '.js': '.mjs' },
  metafile: true,
  logLevel: 'error',
};

/**
 * One esbuild build of several entries (relative to the repository root), each into
 * `outdir/<name>/index.mjs` as the stack's assets are; returns the build's metafile.
 */
export async function bundleEntries(entries: ReadonlyMap<string, string>, outdir: string): Promise<Metafile> {
  const entryPoints = Object.fromEntries([...entries].map(([name, entry]) => [`${name}/index`, path.join(repositoryRoot, entry)]));
  const { metafile } = await build({ ...esbuildOptions, entryPoints, outdir });
  return metafile!;
}
