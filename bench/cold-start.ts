/**
 * Cold-start benchmark: `npx tsx bench/cold-start.ts [--analyse]`.
 *
 * For each function of functions/manifest.ts: its bundle (the stack's esbuild options) and a bundle
 * of just the AWS clients it declares; their sizes, the median time of 7 fresh `node` processes
 * importing each (the two alternate, so machine load hits both alike), the ratios, and whether the
 * targets hold: a function with no AWS client (Health, Console) at most 50 KB, every other function at most 1.3x the size
 * and 1.3x the import time of its clients-only bundle. `--analyse` adds each bundle's largest
 * packages (esbuild metafile). It prints figures; it is not a test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allFunctions } from '../functions/manifest';
import { bundleClientsOnly, bundleFunction, bytesByPackage, type Bundle } from './bundles';

const RUNS = 7;
const RATIO_LIMIT = 1.3;
const CLIENTLESS_LIMIT_BYTES = 50 * 1024;
const analyse = process.argv.includes('--analyse');

/** Milliseconds a fresh Node process takes to import the module (Node's own start-up excluded). */
function importMs(file: string): number {
  const source = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_REGION: 'ap-east-1', TABLE_NAME: 'manyi-bench' },
  });
  if (result.status !== 0) throw new Error(`importing ${file} failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => (bytes / 1024).toFixed(0);

const outdir = mkdtempSync(path.join(tmpdir(), 'manyi-cold-start-'));
try {
  const rows: string[][] = [];
  let allHold = true;
  for (const spec of allFunctions) {
    const fn = await bundleFunction(spec.entry, spec.name, outdir);
    const clients: Bundle | undefined = spec.clients.length > 0 ? await bundleClientsOnly(spec.clients, spec.name, outdir) : undefined;
    const fnTimes: number[] = [];
    const clientTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      fnTimes.push(importMs(fn.file));
      if (clients) clientTimes.push(importMs(clients.file));
    }
    const fnMs = median(fnTimes);
    const clientsMs = clients ? median(clientTimes) : undefined;
    const sizeRatio = clients ? fn.bytes / clients.bytes : undefined;
    const importRatio = clientsMs !== undefined ? fnMs / clientsMs : undefined;
    const holds = clients ? sizeRatio! <= RATIO_LIMIT && importRatio! <= RATIO_LIMIT : fn.bytes <= CLIENTLESS_LIMIT_BYTES;
    allHold &&= holds;
    rows.push([
      spec.name,
      spec.clients.join('+') || '-',
      kb(fn.bytes),
      clients ? kb(clients.bytes) : '-',
      sizeRatio?.toFixed(2) ?? '-',
      fnMs.toFixed(1),
      clientsMs?.toFixed(1) ?? '-',
      importRatio?.toFixed(2) ?? '-',
      holds ? 'yes' : 'NO',
    ]);
    if (analyse) {
      console.log(`${spec.name}: ${bytesByPackage(fn).slice(0, 12).map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')}`);
    }
  }
  const header = ['function', 'clients', 'bundle KB', 'clients KB', 'size x', 'import ms', 'clients ms', 'import x', 'targets'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    `\ntargets: functions without AWS clients (Health, Console) <= ${kb(CLIENTLESS_LIMIT_BYTES)} KB; others <= ${RATIO_LIMIT}x size and import time of their clients-only bundle` +
      ` (median of ${RUNS} processes): ${allHold ? 'all hold' : 'not all hold'}`,
  );
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
