/**
 * The gap report from an accumulator (docs/gaps.md): items with their paired t-tests, dimensions,
 * the unweighted and weighted overall, the satisfaction states, the zone of tolerance, IPA on the
 * gaps, gap 1 (management against customers) and the benchmarks per dimension.
 */
import { importancePerformance, type IpaQuadrant } from '../stats/drivers';
import { meanOf, type Moments } from './moments';
import { pairedTTestFromMoments } from './paired-t';
import type { GapAccumulator, SatisfactionState } from './accumulator';
import type { GapBasis, GapPlan } from './plan';

export interface GapItemResult {
  id: string;
  dimension: string;
  /** Mean expectation over the respondents who answered both; null for a perception-only item. */
  E: number | null;
  P: number | null;
  /** mean(P - E); null for a perception-only item. */
  gap: number | null;
  /** Respondents who answered both (perception answers for a perception-only item). */
  n: number;
  /** Paired t-test of P against E (scipy.stats.ttest_rel(P, E)); null below 2 pairs or without spread. */
  t: number | null;
  p: number | null;
  ci95: [number, number] | null;
}

export interface GapDimensionResult {
  id: string;
  /** Means of the items' values (items without answers left out). */
  E: number | null;
  P: number | null;
  gap: number | null;
  /** Share of importance: mean allocated points / total, or the declared fixed weight; null without either. */
  weight: number | null;
}

export type GapWeighting = 'allocation' | 'fixed';

export interface GapOverall {
  /** Mean of the dimension values (gaps; perceptions under SERVPERF). */
  unweighted: number | null;
  /** See docs/gaps.md: per-respondent allocation weights, else fixed weights, else null. */
  weighted: number | null;
  weightedBy: GapWeighting | null;
  basis: GapBasis;
  /** Respondents with a value in every dimension (the base of the states). */
  n: number;
  /** Respondents behind an allocation-weighted overall. */
  weightedN: number;
}

export interface GapStates {
  /** Shares (0-1) of the respondents with every dimension; null without any (or under SERVPERF, which has no gaps). */
  highlySatisfied: number | null;
  basicallySatisfied: number | null;
  dissatisfied: number | null;
  n: number;
  counts: Record<SatisfactionState, number>;
}

export type ZonePosition = 'below adequate' | 'within tolerance' | 'above desired';

export interface ZoneItem {
  id: string;
  dimension: string;
  adequate: number | null;
  desired: number | null;
  perceived: number | null;
  /** Measure of service adequacy: mean(P - adequate) over the respondents who answered both. */
  msa: number | null;
  /** Measure of service superiority: P - desired (E), the item's gap. */
  mss: number | null;
  position: ZonePosition | null;
  n: number;
}

export interface GapTolerance {
  /** The declared tolerance: |g| <= band is "basically satisfied". */
  band: number;
  /** Items with an adequate level: the zone of tolerance. */
  items: ZoneItem[];
}

export interface GapIpaEntry {
  id: string;
  importance: number;
  performance: number;
  quadrant: IpaQuadrant;
}

export interface Gap1Item {
  id: string;
  dimension: string;
  /** Mean expectation management believes customers hold. */
  management: number;
  /** Customers' mean expectation (the item's E). */
  customers: number;
  /** management - customers. */
  gap1: number;
  nManagement: number;
  nCustomers: number;
}

export interface GapBenchmark {
  id: string;
  /** The dimension's value (gap; perception under SERVPERF). */
  value: number | null;
  target: number | null;
  /** value - target: >= 0 reaches the target. */
  toTarget: number | null;
  competitor: number | null;
  /** 领先度: value - competitor, > 0 ahead of the competitor. */
  lead: number | null;
}

export interface GapReport {
  items: GapItemResult[];
  dimensions: GapDimensionResult[];
  overall: GapOverall;
  states: GapStates;
  tolerance: GapTolerance;
  ipa: GapIpaEntry[];
  gap1: Gap1Item[];
  benchmarks: GapBenchmark[];
  model: GapPlan['model'];
  respondents: number;
  managementRespondents: number;
  notes: string[];
}

export interface GapReportOptions {
  /** Importance per item id from a driver analysis; replaces mean E on the IPA grid where given. */
  importance?: Readonly<Record<string, number>>;
}

const meanOrNull = (values: readonly (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((s, v) => s + v, 0) / present.length;
};

const EMPTY: Moments = { n: 0, mean: 0, m2: 0 };

export function scoreGaps(plan: GapPlan, acc: GapAccumulator, options: GapReportOptions = {}): GapReport {
  const notes: string[] = [];

  const items: GapItemResult[] = plan.items.map((item) => {
    const slot = acc.items[item.id];
    if (item.expectation === undefined) {
      const perception = slot?.perception ?? EMPTY;
      return { id: item.id, dimension: item.dimensionId, E: null, P: meanOf(perception), gap: null, n: perception.n, t: null, p: null, ci95: null };
    }
    const difference = slot?.difference ?? EMPTY;
    const test = pairedTTestFromMoments(difference);
    return {
      id: item.id,
      dimension: item.dimensionId,
      E: meanOf(slot?.expectation),
      P: meanOf(slot?.perception),
      gap: meanOf(difference),
      n: difference.n,
      t: test.t,
      p: test.p,
      ci95: test.ci95,
    };
  });
  const itemsOf = (dimensionId: string) => items.filter((i) => i.dimension === dimensionId);

  const useAllocation = plan.importance !== undefined && acc.allocation.n > 0;
  const fixedWeights = plan.dimensions.every((d) => d.weight !== undefined);
  if (plan.importance && !useAllocation) notes.push(`no valid answer to the importance question "${plan.importance.questionId}"${fixedWeights ? '; the declared fixed weights were used' : ''}`);

  const dimensions: GapDimensionResult[] = plan.dimensions.map((dimension) => {
    const own = itemsOf(dimension.id);
    const weight = useAllocation && plan.importance
      ? (acc.allocation.points[dimension.id] ?? 0) / acc.allocation.n / plan.importance.total
      : fixedWeights ? (dimension.weight ?? null) : null;
    return { id: dimension.id, E: meanOrNull(own.map((i) => i.E)), P: meanOrNull(own.map((i) => i.P)), gap: meanOrNull(own.map((i) => i.gap)), weight };
  });
  const valueOf = (d: GapDimensionResult) => (plan.basis === 'gap' ? d.gap : d.P);
  const absent = dimensions.filter((d) => valueOf(d) === null).map((d) => d.id);
  if (absent.length > 0 && absent.length < dimensions.length) {
    notes.push(`dimensions ${absent.map((id) => `"${id}"`).join(', ')} have no answers: the unweighted overall is the mean of the others`);
  }

  let weighted: number | null = null;
  let weightedBy: GapWeighting | null = null;
  if (plan.importance && acc.respondentWeighted.n > 0) {
    weighted = acc.respondentWeighted.mean;
    weightedBy = 'allocation';
  } else if (useAllocation) {
    notes.push('no respondent has a value in every dimension and an allocation: the weighted overall is absent');
  } else if (fixedWeights && absent.length === 0) {
    weighted = plan.dimensions.reduce((sum, d, k) => sum + (d.weight ?? 0) * (valueOf(dimensions[k] as GapDimensionResult) as number), 0);
    weightedBy = 'fixed';
  } else if (fixedWeights) {
    notes.push('a dimension has no answers: the fixed-weight overall is absent');
  }
  const overall: GapOverall = {
    unweighted: meanOrNull(dimensions.map(valueOf)),
    weighted,
    weightedBy,
    basis: plan.basis,
    n: acc.respondentOverall.n,
    weightedN: weightedBy === 'allocation' ? acc.respondentWeighted.n : 0,
  };

  const classified = acc.states.highlySatisfied + acc.states.basicallySatisfied + acc.states.dissatisfied;
  const share = (count: number) => (classified > 0 ? count / classified : null);
  if (plan.basis === 'perception') notes.push('SERVPERF measures perceptions only: no satisfaction states (they compare perception with expectation)');
  const states: GapStates = {
    highlySatisfied: share(acc.states.highlySatisfied),
    basicallySatisfied: share(acc.states.basicallySatisfied),
    dissatisfied: share(acc.states.dissatisfied),
    n: classified,
    counts: { ...acc.states },
  };

  const zoneItems: ZoneItem[] = plan.items
    .filter((item) => item.adequate !== undefined)
    .map((item) => {
      const slot = acc.items[item.id];
      const result = items.find((i) => i.id === item.id);
      const msa = meanOf(slot?.adequacyMargin);
      const mss = result?.gap ?? null;
      const position: ZonePosition | null =
        msa === null && mss === null ? null : msa !== null && msa < 0 ? 'below adequate' : mss !== null && mss > 0 ? 'above desired' : 'within tolerance';
      return {
        id: item.id,
        dimension: item.dimensionId,
        adequate: meanOf(slot?.adequate),
        desired: result?.E ?? null,
        perceived: result?.P ?? null,
        msa,
        mss,
        position,
        n: slot?.adequacyMargin.n ?? 0,
      };
    });

  const ipaCandidates = items.flatMap((item) => {
    const importance = options.importance?.[item.id] ?? item.E;
    return importance !== null && item.P !== null ? [{ id: item.id, importance, performance: item.P }] : [];
  });
  const ipa: GapIpaEntry[] = ipaCandidates.length > 0 ? importancePerformance(ipaCandidates).items.map(({ id, importance, performance, quadrant }) => ({ id, importance, performance, quadrant })) : [];

  const gap1: Gap1Item[] = items.flatMap((item) => {
    const management = acc.items[item.id]?.managementExpectation;
    if (!management || management.n === 0 || item.E === null) return [];
    return [{ id: item.id, dimension: item.dimension, management: management.mean, customers: item.E, gap1: management.mean - item.E, nManagement: management.n, nCustomers: item.n }];
  });

  const benchmarks: GapBenchmark[] = plan.dimensions
    .map((dimension, k) => ({ dimension, value: valueOf(dimensions[k] as GapDimensionResult) }))
    .filter(({ dimension }) => dimension.target !== undefined || dimension.competitor !== undefined)
    .map(({ dimension, value }) => ({
      id: dimension.id,
      value,
      target: dimension.target ?? null,
      toTarget: value !== null && dimension.target !== undefined ? value - dimension.target : null,
      competitor: dimension.competitor ?? null,
      lead: value !== null && dimension.competitor !== undefined ? value - dimension.competitor : null,
    }));

  return {
    items,
    dimensions,
    overall,
    states,
    tolerance: { band: plan.tolerance, items: zoneItems },
    ipa,
    gap1,
    benchmarks,
    model: plan.model,
    respondents: acc.respondents,
    managementRespondents: acc.managementRespondents,
    notes,
  };
}
