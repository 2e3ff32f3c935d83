/**
 * The layering holds only while no module depends on itself through others: this walks every
 * relative import (type-only imports too) of functions/ and infra/ and fails on a cycle, naming it.
 * It also keeps the domain free of outer layers and DynamoDB inside the store.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return (path.endsWith('.ts') || path.endsWith('.tsx')) && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const files = [...sourceFiles(join(root, 'functions')), ...sourceFiles(join(root, 'infra')), ...sourceFiles(join(root, 'console'))];
const importPattern = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find((candidate) => files.includes(candidate));
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(importPattern)].map((m) => resolveImport(file, m[1] as string)).filter((f): f is string => f !== undefined);
const packagesOf = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(importPattern)].map((m) => m[1] as string).filter((s) => !s.startsWith('.'));

const graph = new Map(files.map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(root, file);

/** Every cycle, found by depth-first search (each reported once, from the module that closes it). */
function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'visiting') found.push([...stack.slice(stack.indexOf(next)), next].map(name));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
}

describe('architecture', () => {
  it('finds imports at all (the walk would pass vacuously otherwise)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(join(root, 'functions/app/reports.ts'))?.length).toBeGreaterThan(3);
  });

  it('has no import cycle in functions/ or infra/', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps the domain free of outer layers and of AWS', () => {
    const outward = files
      .filter((file) => name(file).startsWith('functions/domain/'))
      .flatMap((file) => [
        ...(graph.get(file) ?? []).filter((target) => !name(target).startsWith('functions/domain/')).map((target) => `${name(file)} -> ${name(target)}`),
        ...packagesOf(file).filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('aws-')).map((p) => `${name(file)} -> ${p}`),
      ]);
    expect(outward).toEqual([]);
  });

  it('keeps the console a browser client: it imports the domain, the pages and its own modules only', () => {
    // console/build.ts is the node side (esbuild); everything else runs in the browser.
    const browserFiles = files.filter((file) => name(file).startsWith('console/') && name(file) !== 'console/build.ts');
    expect(browserFiles.length).toBeGreaterThan(3);
    const allowedPackages = new Set(['preact', 'preact/hooks', '@preact/signals', 'yaml', 'diff']);
    const outside = browserFiles.flatMap((file) => [
      ...(graph.get(file) ?? []).filter((target) => !/^(console|functions\/domain|functions\/pages)\//.test(name(target))).map((target) => `${name(file)} -> ${name(target)}`),
      ...packagesOf(file).filter((p) => !allowedPackages.has(p) && !p.endsWith('.css')).map((p) => `${name(file)} -> ${p}`),
    ]);
    expect(outside).toEqual([]);
  });

  it('speaks DynamoDB only in functions/store/ (keys included)', () => {
    const outside = files
      .filter((file) => !name(file).startsWith('functions/store/') && !name(file).startsWith('infra/'))
      .flatMap((file) => [
        ...packagesOf(file).filter((p) => p === '@aws-sdk/client-dynamodb' || p === '@aws-sdk/lib-dynamodb').map((p) => `${name(file)} -> ${p}`),
        ...(graph.get(file) ?? []).filter((target) => name(target) === 'functions/store/keys.ts').map((target) => `${name(file)} -> ${name(target)}`),
      ]);
    expect(outside).toEqual([]);
  });

  it('imports zod only through functions/domain/zod.ts (zod/mini with the English messages)', () => {
    const direct = files
      .filter((file) => name(file) !== 'functions/domain/zod.ts')
      .flatMap((file) => packagesOf(file).filter((p) => p === 'zod' || p.startsWith('zod/')).map((p) => `${name(file)} -> ${p}`));
    expect(direct).toEqual([]);
  });

  it('writes CSV for people only through functions/domain/csv-export.ts (formula prefixes neutralised)', () => {
    // Answering or saving text/csv, or naming a .csv download, marks a file that produces CSV.
    const producesCsv = /['"]content-type['"]\s*:\s*['"]text\/csv|attachment;[^'"]*\.csv|writeFileSync\([^)]*\.csv/i;
    const writer = files.find((file) => name(file) === 'functions/domain/csv-export.ts');
    expect(writer).toBeDefined();
    const unguarded = files
      .filter((file) => producesCsv.test(readFileSync(file, 'utf8')))
      .filter((file) => !(graph.get(file) ?? []).includes(writer as string))
      .map(name);
    expect(unguarded).toEqual([]);
    expect(producesCsv.test(`headers: { 'content-type': 'text/csv; charset=utf-8' }`)).toBe(true);
  });
});
