/**
 * CLI benchmark: `npx tsx bench/cli.ts [rows ...]` (default 250 and 100000).
 *
 * Prints, per data size (27 items, 6 latent variables, centroid, unscaled), the whole-process time
 * of `node bin/manyi.js pls --data <csv> --model <json> --json` (median of 5 runs, after one run
 * that makes sure the CLI bundle is built), split into what the process spends starting up
 * (`manyi --help`), reading the CSV and estimating (measured in process). When Python with pandas
 * and plspm is installed (Debian python3-pandas, `pip install plspm`), it times plspm-python on the
 * same file and prints the ratio; otherwise it says so and prints the manyi figures alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvTable } from '../functions/cli/csv';
import { estimatePls } from '../functions/domain/pls';
import { blocks, items, paths, syntheticAnswers } from './satisfaction-model';

const RUNS = 5;
const root = fileURLToPath(new URL('..', import.meta.url));
const model = { blocks, paths, scheme: 'centroid', scaled: false, bounds: { min: 0, max: 10 } };
const reference = path.join(root, '../shared/reference/plspm-satisfaction/satisfaction.csv');

function syntheticCsv(rows: number): string {
  const answers = syntheticAnswers(rows, 20240);
  const lines = [items.join(',')];
  for (let r = 0; r < rows; r++) lines.push(Array.from(answers.subarray(r * items.length, (r + 1) * items.length)).join(','));
  return `${lines.join('\n')}\n`;
}

function wallMs(command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medianMs = (command: string, args: string[]) => median(Array.from({ length: RUNS }, () => wallMs(command, args)));

function inProcessMs<T>(work: () => T): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const python = spawnSync('python3', ['-c', 'import pandas, plspm'], { encoding: 'utf8' }).status === 0;
const pythonScript = `
import sys, pandas as pd
from plspm.plspm import Plspm
from plspm.config import Config
from plspm.scheme import Scheme
from plspm.mode import Mode
import plspm.util as util
data = pd.read_csv(sys.argv[1])
blocks = ${JSON.stringify(blocks)}
paths = ${JSON.stringify(paths)}
lvs = list(blocks)
matrix = pd.DataFrame(0, index=lvs, columns=lvs)
for a, b in paths: matrix.loc[b, a] = 1
config = Config(matrix, scaled=False)
for lv, cols in blocks.items(): config.add_lv(lv, Mode.A, *[util.MV(c) for c in cols])
Plspm(data, config, Scheme.CENTROID).inner_summary()
`;

const sizes = process.argv.slice(2).filter((arg) => /^\d+$/.test(arg)).map(Number);
const dir = mkdtempSync(path.join(tmpdir(), 'manyi-cli-bench-'));
try {
  const modelFile = path.join(dir, 'model.json');
  writeFileSync(modelFile, JSON.stringify(model));
  const pyFile = path.join(dir, 'plspm_run.py');
  writeFileSync(pyFile, pythonScript);
  wallMs(process.execPath, ['bin/manyi.js', '--help']); // builds the CLI bundle if it is stale
  const startMs = medianMs(process.execPath, ['bin/manyi.js', '--help']);
  console.log(`manyi CLI benchmark (node ${process.version}; median of ${RUNS} whole processes)`);
  console.log(`start-up (manyi --help): ${startMs.toFixed(0)} ms`);
  console.log(python ? 'plspm-python: installed' : 'plspm-python: not installed (python3 with pandas and plspm), manyi figures only');
  console.log('\ndata                      manyi pls   read CSV   estimate   plspm-python   ratio');
  for (const size of sizes.length > 0 ? sizes : [250, 100_000]) {
    const csv = path.join(dir, `data-${size}.csv`);
    if (size === 250 && existsSync(reference)) writeFileSync(csv, readFileSync(reference));
    else writeFileSync(csv, syntheticCsv(size));
    const processMs = medianMs(process.execPath, ['bin/manyi.js', 'pls', '--data', csv, '--model', modelFile, '--json']);
    let table!: ReturnType<typeof readCsvTable>;
    const readMs = inProcessMs(() => (table = readCsvTable(csv)));
    const rows = table.rows.map((record) => items.map((item) => Number(record[item])));
    const estimateMs = inProcessMs(() => estimatePls({ ...model, scheme: 'centroid', columns: items, rows }));
    const pythonMs = python ? medianMs('python3', [pyFile, csv]) : undefined;
    const label = size === 250 && existsSync(reference) ? 'reference 250 x 27' : `synthetic ${size.toLocaleString('en')} x 27`;
    console.log(
      `${label.padEnd(24)} ${`${processMs.toFixed(0)} ms`.padStart(11)} ${`${readMs.toFixed(0)} ms`.padStart(10)} ${`${estimateMs.toFixed(0)} ms`.padStart(10)}` +
        ` ${pythonMs === undefined ? '-'.padStart(14) : `${pythonMs.toFixed(0)} ms`.padStart(14)} ${pythonMs === undefined ? '-' : `${(pythonMs / processMs).toFixed(1)}x`}`.padEnd(8),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
