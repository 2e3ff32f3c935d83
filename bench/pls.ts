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
import { estimatePls, seededRandom, SufficientStatistics, type PlsModel } from '../functions/domain/pls';

const model: PlsModel & { scaled: boolean; bounds: { min: number; max: number } } = {
  blocks: {
    IMAG: ['imag1', 'imag2', 'imag3', 'imag4', 'imag5'],
    EXPE: ['expe1', 'expe2', 'expe3', 'expe4', 'expe5'],
    QUAL: ['qual1', 'qual2', 'qual3', 'qual4', 'qual5'],
    VAL: ['val1', 'val2', 'val3', 'val4'],
    SAT: ['sat1', 'sat2', 'sat3', 'sat4'],
    LOY: ['loy1', 'loy2', 'loy3', 'loy4'],
  },
  paths: [
    ['IMAG', 'EXPE'], ['IMAG', 'SAT'], ['IMAG', 'LOY'], ['EXPE', 'QUAL'], ['EXPE', 'VAL'],
    ['EXPE', 'SAT'], ['QUAL', 'VAL'], ['QUAL', 'SAT'], ['VAL', 'SAT'], ['SAT', 'LOY'],
  ],
  scaled: false,
  bounds: { min: 0, max: 10 },
};
const items = Object.values(model.blocks).flat();
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

/** 0-10 answers from a simple structural model over the same blocks (latent chain + item noise). */
function syntheticRows(rows: number, seed: number): Float64Array {
  const uniform = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const lvs = Object.keys(model.blocks);
  const buffer = new Float64Array(rows * p);
  const scores = new Float64Array(lvs.length);
  for (let r = 0; r < rows; r++) {
    lvs.forEach((lv, k) => {
      const parents = model.paths.filter(([, to]) => to === lv).map(([from]) => lvs.indexOf(from));
      const explained = parents.reduce((total, j) => total + scores[j]!, 0) / Math.max(1, parents.length);
      scores[k] = 0.6 * explained + 0.8 * normal();
    });
    let i = 0;
    lvs.forEach((lv, k) => {
      for (let item = 0; item < model.blocks[lv]!.length; item++, i++) {
        const answer = Math.round(7 + 1.6 * (0.8 * scores[k]! + 0.6 * normal()));
        buffer[r * p + i] = Math.min(10, Math.max(0, answer));
      }
    });
  }
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
  const buffer = size === 250 ? referenceRows() : syntheticRows(size, 20240);
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
