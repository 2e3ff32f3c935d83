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

  for (let accepted = 0; accepted < resamples; ) {
    const statistics = new SufficientStatistics(model.items);
    for (let draw = 0; draw < n; draw++) {
      const row = randomIndex(random, n);
      statistics.add(rows.subarray(row * p, row * p + p));
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
