#!/usr/bin/env node
// Entry for `npx manyi`. The CLI runs from one esbuild bundle of functions/cli/main.ts, kept in
// node_modules/.cache/manyi/ and rebuilt when any of its inputs changed (their modification times
// are checked against the bundle's metafile, a few milliseconds): it starts in about a third of the
// time that transforming the TypeScript sources on every call took. Where esbuild is not installed
// (a production-only install), the sources run through tsx's loader as before.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'functions/cli/main.ts');
const cache = join(root, 'node_modules/.cache/manyi');
const bundle = join(cache, 'cli.mjs');
const inputsFile = join(cache, 'cli.inputs.json');

/** The bundle is fresh when it exists and none of the files it was built from is newer. */
function isFresh() {
  if (!existsSync(bundle) || !existsSync(inputsFile)) return false;
  const builtAt = statSync(bundle).mtimeMs;
  try {
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
    return inputs.every((file) => statSync(join(root, file)).mtimeMs <= builtAt);
  } catch {
    return false; // an input was removed or renamed
  }
}

async function build() {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(cache, { recursive: true });
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    write: false,
    // Packages are bundled too: one file loads much faster than hundreds resolved one by one.
    // CommonJS packages inside an ES module need a require.
    banner: { js: "import { createRequire as __manyiCreateRequire } from 'node:module'; const require = __manyiCreateRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'error',
  });
  // Written beside and renamed into place: a CLI started meanwhile sees the old files or the new, whole.
  const replace = (file, contents) => {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, contents);
    renameSync(temporary, file);
  };
  replace(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs)));
  replace(bundle, result.outputFiles[0].contents);
}

async function loadProgram() {
  try {
    if (!isFresh()) await build();
    return (await import(pathToFileURL(bundle).href)).buildProgram;
  } catch (error) {
    // No esbuild (a production-only install), or nowhere to keep the bundle (a read-only install):
    // the sources run through tsx. A build error in the sources themselves is shown as it is.
    const noEsbuild = error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('esbuild');
    const cacheUnwritable = ['EACCES', 'EPERM', 'EROFS'].includes(error?.code);
    if (!noEsbuild && !cacheUnwritable) throw error;
    const { register } = await import('tsx/esm/api');
    register();
    return (await import('../functions/cli/main.ts')).buildProgram;
  }
}

const buildProgram = await loadProgram();
await buildProgram().parseAsync(process.argv);
