/**
 * PLS engine benchmark: `npx tsx bench/pls.ts [--rows N ...]`.
 *
 * For the reference data (250 x 27) and synthetic 0-10 answers to the same 27 items (100k and 1M
 * rows by default) it prints: the time to accumulate the sufficient statistics, to estimate from
 * them, and to estimate from the raw rows (which also accumulates and computes the scores), and
 * the peak resident memory. Each size runs in its own child process so that its peak memory is
 * its own.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { estimatePls, SufficientStatistics, type PlsModel } from '../functions/domain/pls';
import { blocks, items, paths, syntheticAnswers } from './satisfaction-model';

const model: PlsModel & { scaled: boolean; bounds: { min: number; max: number } } = { blocks, paths, scaled: false, bounds: { min: 0, max: 10 } };
const p = items.length;

/** The reference data, when shared/ is beside the repository. */
function referenceRows(): Float64Array {
  const url = new URL('../../shared/reference/plspm-satisfaction/satisfaction.csv', import.meta.url);
  const [header, ...lines] = readFileSync(url, 'utf8').trim().split('\n');
  const names = header!.split(',').map((name) => name.replaceAll('"', ''));
  const positions = items.map((item) => names.indexOf(item));
  const buffer = new Float64Array(lines.length * p);
  lines.forEach((line, r) => {
    const cells = line.split(',');
    positions.forEach((position, i) => (buffer[r * p + i] = Number(cells[position])));
  });
  return buffer;
}

function time<T>(work: () => T): { result: T; ms: number } {
  const start = process.hrtime.bigint();
  const result = work();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

interface Measurement {
  label: string;
  rows: number;
  accumulateMs: number;
  fromStatisticsMs: number;
  fromRowsMs: number;
  peakRssMiB: number;
  sat: number | null;
}

function measure(size: number): Measurement {
  const buffer = size === 250 ? referenceRows() : syntheticAnswers(size, 20240);
  const rows = Array.from({ length: buffer.length / p }, (_, r) => buffer.subarray(r * p, r * p + p));
  const accumulate = time(() => {
    const statistics = new SufficientStatistics(items);
    for (const row of rows) statistics.add(row);
    return statistics;
  });
  const fromStatistics = time(() => estimatePls({ ...model, statistics: accumulate.result }));
  const fromRows = time(() => estimatePls({ ...model, columns: items, rows }));
  const sat = fromStatistics.result.index?.SAT;
  return {
    label: size === 250 ? 'reference 250 x 27' : `synthetic ${size.toLocaleString('en')} x 27`,
    rows: rows.length,
    accumulateMs: accumulate.ms,
    fromStatisticsMs: fromStatistics.ms,
    fromRowsMs: fromRows.ms,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    sat: sat?.defined ? sat.value : null,
  };
}

const rowsFlag = process.argv.indexOf('--child');
if (rowsFlag >= 0) {
  process.stdout.write(`${JSON.stringify(measure(Number(process.argv[rowsFlag + 1])))}\n`);
} else {
  const requested = process.argv.slice(2).filter((arg) => /^\d+$/.test(arg)).map(Number);
  const sizes = requested.length > 0 ? requested : [250, 100_000, 1_000_000];
  const script = fileURLToPath(import.meta.url);
  console.log('PLS engine benchmark (27 items, 6 latent variables, centroid, unscaled)');
  console.log(`node ${process.version}, one child process per size\n`);
  console.log('data                      accumulate   from statistics   from raw rows   peak RSS    SAT index');
  for (const size of sizes) {
    const child = spawnSync(process.execPath, [...process.execArgv, script, '--child', String(size)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      console.error(`size ${size} failed:\n${child.stderr}`);
      process.exitCode = 1;
      continue;
    }
    const m = JSON.parse(child.stdout.trim().split('\n').pop()!) as Measurement;
    console.log(
      `${m.label.padEnd(24)} ${`${m.accumulateMs.toFixed(1)} ms`.padStart(11)} ${`${m.fromStatisticsMs.toFixed(1)} ms`.padStart(17)}` +
        ` ${`${m.fromRowsMs.toFixed(1)} ms`.padStart(15)} ${`${m.peakRssMiB.toFixed(0)} MiB`.padStart(10)}   ${m.sat?.toFixed(3) ?? '-'}`,
    );
  }
}
