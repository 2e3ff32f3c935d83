/**
 * Operating figures per unit and period (issue #15, the balanced scorecard's customer view):
 * customers served (户数), complaints received, market share, repeat-purchase rate, new-customer
 * rate, profit per customer and a competitor's satisfaction score from a third-party study. Each
 * is optional; a later post of a unit and period sets the figures it names and keeps the others.
 *
 * Rolled up the tree like every figure (rollUpMetrics says how each one combines). A row is a
 * unit's own figures; null in a post removes a figure posted before.
 */
import * as z from './zod';
import { readImportCsv } from './csv';
import { invalid } from './errors';
import { PERIOD_PATTERN } from './period';
import { MAX_ID_LENGTH } from './primitives';

/** DynamoDB stores no number closer to 0 than 1e-130: such a figure is refused, not lost in a 500. */
const storable = z.refine<number>((value) => value === 0 || Math.abs(value) >= 1e-100, { error: 'too close to 0 to store: write 0 or a number of at least 1e-100' });
const share = z.number().check(z.gte(0, { error: 'expected a share from 0 to 1' }), z.lte(1, { error: 'expected a share from 0 to 1 (write 12% as 0.12)' }), storable);
const count = z.int({ error: 'expected a whole number' }).check(z.gte(0, { error: 'expected 0 or more' }), z.lte(1e12));
/** A figure, or null to remove one posted before (a wrong figure can be taken back). */
const figure = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

export const METRIC_FIELDS = ['customers', 'complaints', 'marketShare', 'repeatRate', 'newCustomerRate', 'profitPerCustomer', 'competitorCsi'] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];

export const unitMetricsSchema = z.strictObject({
  orgUnitId: z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH)),
  period: z.string().check(z.regex(PERIOD_PATTERN, { error: 'expected a month written YYYY-MM' })),
  customers: figure(count),
  complaints: figure(count),
  marketShare: figure(share),
  repeatRate: figure(share),
  newCustomerRate: figure(share),
  profitPerCustomer: figure(z.number().check(z.gte(-1e9), z.lte(1e9), storable)),
  competitorCsi: figure(z.number().check(z.gte(0, { error: 'expected a score from 0 to 100' }), z.lte(100, { error: 'expected a score from 0 to 100' }), storable)),
});
/** A row as posted: a figure given, null to remove it, absent to keep it. */
export type MetricsRow = z.output<typeof unitMetricsSchema>;
/** A unit's stored figures for a period. */
export type UnitMetrics = { orgUnitId: string; period: string } & Partial<Record<MetricField, number>>;

export const MAX_METRICS_PER_REQUEST = 5000;
export const metricsRequestSchema = z.strictObject({
  metrics: z.array(unitMetricsSchema).check(z.minLength(1, { error: 'expected at least one row' }), z.maxLength(MAX_METRICS_PER_REQUEST, { error: `at most ${MAX_METRICS_PER_REQUEST} rows a request` })),
});

const CSV_COLUMNS = ['orgUnitId', 'period', ...METRIC_FIELDS] as const;

/**
 * A CSV file with the same column names as the JSON (header row; any order; orgUnitId and period
 * required) as the JSON request: numbers parsed, empty cells left out. A cell that is not a
 * number stays text, so the schema names it at its row and column.
 */
export function metricsFromCsv(text: string): { metrics: Record<string, unknown>[] } {
  const table = readImportCsv(text, CSV_COLUMNS, CSV_COLUMNS.join(', '));
  const { fields } = table;
  if (!fields.includes('orgUnitId') || !fields.includes('period')) throw invalid([{ path: 'csv', message: 'the columns orgUnitId and period are required' }], 'the CSV file cannot be read');
  return {
    metrics: table.cells.map((cells) => {
      const row: Record<string, unknown> = {};
      fields.forEach((field, i) => {
        const cell = (cells[i] ?? '').trim();
        if (!field || cell === '') return;
        const number = Number(cell);
        row[field] = field === 'orgUnitId' || field === 'period' || !Number.isFinite(number) ? cell : number;
      });
      return row;
    }),
  };
}

/** The customer view of a unit's subtree for a period (see the module comment for the roll-up). */
export interface ScorecardFigures {
  /** Units of the subtree with figures for the period. */
  units: number;
  customers: number | null;
  complaints: number | null;
  /**
   * Complaints per 10,000 customers served (万户投诉量), over the units that posted both figures
   * (a unit's complaints are set against its own customers only); null without such a unit.
   */
  complaintsPer10k: number | null;
  /** Customers over the market: the subtree's customers / the markets its units serve (customers / share). */
  marketShare: number | null;
  repeatRate: number | null;
  newCustomerRate: number | null;
  profitPerCustomer: number | null;
  /** The unit's own posted score if it has one (a study of the whole organisation), else the customer-weighted mean below. */
  competitorCsi: number | null;
}

const WEIGHTED = ['repeatRate', 'newCustomerRate', 'profitPerCustomer', 'competitorCsi'] as const;

/**
 * Roll-up over `rows` (one per unit of the subtree; `own`, the root unit's row if it posted one):
 * counts summed; rates, profit per customer and the competitor's score weighted by customers
 * served (a unit without a customer count does not weigh in them); market share as the
 * subtree's customers over the markets its units serve; the competitor's score of the unit's own
 * row first; complaints per 10,000 over the units that gave both counts.
 */
export function rollUpMetrics(rows: readonly UnitMetrics[], own?: UnitMetrics): ScorecardFigures {
  const sum = (field: 'customers' | 'complaints') => {
    const values = rows.flatMap((row) => (row[field] === undefined ? [] : [row[field]]));
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) : null;
  };
  const weighted = (field: (typeof WEIGHTED)[number]) => {
    let weight = 0;
    let total = 0;
    for (const row of rows) {
      const value = row[field];
      if (value === undefined || row.customers === undefined || row.customers === 0) continue;
      weight += row.customers;
      total += row.customers * value;
    }
    return weight > 0 ? total / weight : null;
  };
  let served = 0;
  let market = 0;
  let complained = 0;
  let base = 0;
  for (const row of rows) {
    if (row.customers !== undefined && row.customers > 0 && row.marketShare !== undefined && row.marketShare > 0) {
      served += row.customers;
      market += row.customers / row.marketShare;
    }
    if (row.customers !== undefined && row.customers > 0 && row.complaints !== undefined) {
      complained += row.complaints;
      base += row.customers;
    }
  }
  return {
    units: rows.length,
    customers: sum('customers'),
    complaints: sum('complaints'),
    complaintsPer10k: base > 0 ? (complained / base) * 10_000 : null,
    marketShare: market > 0 ? served / market : null,
    repeatRate: weighted('repeatRate'),
    newCustomerRate: weighted('newCustomerRate'),
    profitPerCustomer: weighted('profitPerCustomer'),
    competitorCsi: own?.competitorCsi ?? weighted('competitorCsi'),
  };
}

/** Complaints per 10,000 customers served (万户投诉量); null without customers. */
export const complaintsPer10k = (complaints: number | null, customers: number | null): number | null =>
  complaints === null || customers === null || customers === 0 ? null : (complaints / customers) * 10_000;

/** The scorecard section of a report (functions/app/scorecard.ts reads it). */
export interface ScorecardSection extends ScorecardFigures {
  /**
   * `metrics`: the complaints posted; `cases`: none were posted, so the complaints customers raised
   * themselves are counted from the cases opened in the period (SMS replies and cases logged by
   * hand; not low scores or broken commitments, which no customer filed).
   */
  complaintsSource: 'metrics' | 'cases' | null;
  /** The unit's CSI minus the competitor's (customer-weighted) score, in points; null without either. */
  competitorLead: number | null;
  children: ({ orgUnit: string } & ScorecardFigures)[];
}
