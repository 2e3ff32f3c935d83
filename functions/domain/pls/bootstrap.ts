/**
 * Bootstrap of a PLS fit, as plspm does it: draw n rows with replacement, treat and refit, and
 * summarise each figure by its bootstrap mean, standard error (sd with n-1), and 2.5% / 97.5%
 * percentiles (R's default quantile, type 7). A resample that cannot be estimated (no convergence,
 * a constant item) is drawn again, as plspm does, and counted in `rejected`.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { PlsConvergenceError, PlsInputError } from './errors';
import { fitPls, type PlsFit } from './fit';
import { pathKey } from './model';
import { randomIndex, seededRandom } from './random';
import { fitIndexes, type ScaleBounds } from './satisfaction-index';
import { SufficientStatistics } from './statistics';

export interface BootstrapSummary {
  original: number;
  mean: number;
  se: number;
  perc025: number;
  perc975: number;
}

/** Index summaries skip the resamples where the index is undefined (a non-positive weight);
 *  the figures are null when fewer than two resamples define it. */
export interface IndexBootstrapSummary {
  original: number | null;
  mean: number | null;
  se: number | null;
  perc025: number | null;
  perc975: number | null;
  undefinedIn: number;
}

export interface PlsBootstrap {
  resamples: number;
  seed: number;
  /** Resamples drawn again because they could not be estimated. */
  rejected: number;
  paths: Record<string, BootstrapSummary>;
  weights: Record<string, BootstrapSummary>;
  loadings: Record<string, BootstrapSummary>;
  r2: Record<string, BootstrapSummary>;
  index?: Record<string, IndexBootstrapSummary>;
}

export interface BootstrapInput {
  /** The complete rows of the model's items (in `fit.model.items` order), row after row. */
  rows: Float64Array;
  fit: PlsFit;
  resamples: number;
  seed: number;
  bounds?: ScaleBounds;
}

/** R's quantile type 7 on sorted values. */
export function quantileType7(sorted: readonly number[], probability: number): number {
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

function summarise(original: number, values: readonly number[]): BootstrapSummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    original,
    mean: mean(values),
    se: sampleStandardDeviation(values),
    perc025: quantileType7(sorted, 0.025),
    perc975: quantileType7(sorted, 0.975),
  };
}

const integerRows = (rows: Float64Array, n: number, p: number): boolean => {
  for (let i = 0; i < n * p; i++) if (!Number.isInteger(rows[i]!)) return false;
  return true;
};

/**
 * For integer rows (the platform's ratings): a resample's statistics from how many times each row
 * was drawn, in one pass over precomputed products. Every sum is an exact integer, so the
 * statistics equal, bit for bit, those of adding the drawn rows one by one about the first one
 * drawn: the sums are taken about row 0 and moved to that origin exactly (x - o = (x - x0) - δ).
 */
function resampleSums(items: readonly string[], rows: Float64Array, n: number, p: number) {
  const q = (p * (p + 1)) / 2;
  const deviations = new Float64Array(n * p); // x_r - x_0
  const products = new Float64Array(n * q); // packed upper triangle of (x_r - x_0)(x_r - x_0)'
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < p; i++) deviations[r * p + i] = rows[r * p + i]! - rows[i]!;
    let k = r * q;
    for (let i = 0; i < p; i++) for (let j = i; j < p; j++) products[k++] = deviations[r * p + i]! * deviations[r * p + j]!;
  }
  const sums = new Float64Array(p);
  const cross = new Float64Array(q);
  const shift = new Float64Array(p);
  return (times: Uint32Array, first: number): SufficientStatistics => {
    sums.fill(0);
    cross.fill(0);
    let drawn = 0;
    for (let r = 0; r < n; r++) {
      const c = times[r]!;
      if (c === 0) continue;
      drawn += c;
      for (let i = 0; i < p; i++) sums[i]! += c * deviations[r * p + i]!;
      const base = r * q;
      for (let k = 0; k < q; k++) cross[k]! += c * products[base + k]!;
    }
    // About the first row drawn: S = S0 - n δ, C = C0 - S0 δ' - δ S0' + n δ δ' (δ = x_first - x_0).
    for (let i = 0; i < p; i++) shift[i] = deviations[first * p + i]!;
    let k = 0;
    for (let i = 0; i < p; i++) {
      for (let j = i; j < p; j++) {
        cross[k] = cross[k]! - sums[i]! * shift[j]! - shift[i]! * sums[j]! + drawn * shift[i]! * shift[j]!;
        k++;
      }
    }
    for (let i = 0; i < p; i++) sums[i] = sums[i]! - drawn * shift[i]!;
    return SufficientStatistics.fromSums(items, drawn, rows.slice(first * p, first * p + p), sums, cross);
  };
}

export function bootstrapPls({ rows, fit, resamples, seed, bounds }: BootstrapInput): PlsBootstrap {
  if (!Number.isInteger(resamples) || resamples < 2) throw new PlsInputError(`bootstrap needs at least 2 resamples, not ${resamples}`);
  const { model, options, n } = fit;
  const p = model.items.length;
  if (rows.length !== n * p) throw new PlsInputError('bootstrap: the rows do not match the fit');
  const random = seededRandom(seed);

  const pathSeries = model.paths.map(() => [] as number[]);
  const weightSeries = model.items.map(() => [] as number[]);
  const loadingSeries = model.items.map(() => [] as number[]);
  const r2Series = model.endogenous.map(() => [] as number[]);
  const indexSeries = model.latentVariables.map(() => [] as number[]);
  const indexUndefined = model.latentVariables.map(() => 0);
  let rejected = 0;

  const resampleOf = integerRows(rows, n, p) ? resampleSums(model.items, rows, n, p) : undefined;
  const times = new Uint32Array(n);
  for (let accepted = 0; accepted < resamples; ) {
    let statistics: SufficientStatistics;
    if (resampleOf) {
      times.fill(0);
      let first = -1;
      for (let draw = 0; draw < n; draw++) {
        const row = randomIndex(random, n);
        if (first < 0) first = row;
        times[row]! += 1;
      }
      statistics = resampleOf(times, first);
    } else {
      statistics = new SufficientStatistics(model.items);
      for (let draw = 0; draw < n; draw++) {
        const row = randomIndex(random, n);
        statistics.add(rows.subarray(row * p, row * p + p));
      }
    }
    let resample: PlsFit;
    try {
      resample = fitPls(statistics.moments(), model, options);
    } catch (error) {
      if (!(error instanceof PlsConvergenceError || error instanceof PlsInputError)) throw error;
      rejected++;
      if (rejected > resamples) {
        throw new PlsInputError(`bootstrap: ${rejected} resamples could not be estimated (last: ${error.message})`);
      }
      continue;
    }
    accepted++;
    model.paths.forEach(({ from, to }, k) => pathSeries[k]!.push(resample.inner.pathCoefficients.get(from, to)));
    resample.weights.forEach((w, i) => weightSeries[i]!.push(w));
    resample.quality.loadings.forEach((l, i) => loadingSeries[i]!.push(l));
    model.endogenous.forEach((lv, k) => r2Series[k]!.push(resample.inner.r2[lv]!));
    if (bounds) {
      fitIndexes(resample, bounds).forEach((value, lv) => {
        if (value.defined) indexSeries[lv]!.push(value.value);
        else indexUndefined[lv]!++;
      });
    }
  }

  const names = model.latentVariables;
  const result: PlsBootstrap = {
    resamples,
    seed,
    rejected,
    paths: Object.fromEntries(
      model.paths.map(({ from, to }, k) => [
        pathKey(names[from]!, names[to]!),
        summarise(fit.inner.pathCoefficients.get(from, to), pathSeries[k]!),
      ]),
    ),
    weights: Object.fromEntries(model.items.map((item, i) => [item, summarise(fit.weights[i]!, weightSeries[i]!)])),
    loadings: Object.fromEntries(model.items.map((item, i) => [item, summarise(fit.quality.loadings[i]!, loadingSeries[i]!)])),
    r2: Object.fromEntries(model.endogenous.map((lv, k) => [names[lv]!, summarise(fit.inner.r2[lv]!, r2Series[k]!)])),
  };
  if (bounds) {
    const originals = fitIndexes(fit, bounds);
    result.index = Object.fromEntries(
      names.map((name, lv) => {
        const original = originals[lv]!;
        const values = indexSeries[lv]!;
        const summary = values.length >= 2 ? summarise(0, values) : undefined;
        return [
          name,
          {
            original: original.defined ? original.value : null,
            mean: summary?.mean ?? null,
            se: summary?.se ?? null,
            perc025: summary?.perc025 ?? null,
            perc975: summary?.perc975 ?? null,
            undefinedIn: indexUndefined[lv]!,
          },
        ];
      }),
    );
  }
  return result;
}
