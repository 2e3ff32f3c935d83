/** The operating figures' roll-up and CSV reading (functions/domain/metrics.ts), by hand. */
import { describe, expect, it } from 'vitest';
import { complaintsPer10k, metricsFromCsv, rollUpMetrics } from '../../functions/domain/metrics';

describe('rollUpMetrics', () => {
  it('sums counts over the units that gave them and weights rates by customers, leaving out units without a customer count', () => {
    const figures = rollUpMetrics([
      { orgUnitId: 'a', period: '2026-11', customers: 100, complaints: 2, repeatRate: 0.5 },
      { orgUnitId: 'b', period: '2026-11', customers: 300, repeatRate: 0.1 },
      // No customers: its rate has no base, so it does not weigh in; its complaints still count.
      { orgUnitId: 'c', period: '2026-11', complaints: 1, repeatRate: 0.9 },
      { orgUnitId: 'd', period: '2026-11', customers: 0, repeatRate: 1 },
    ]);
    // Per 10,000 over the units that gave both counts: a's 2 of its 100 (c's complaint has no base).
    expect(figures).toEqual({ units: 4, customers: 400, complaints: 3, complaintsPer10k: 200, repeatRate: (100 * 0.5 + 300 * 0.1) / 400, marketShare: null, newCustomerRate: null, profitPerCustomer: null, competitorCsi: null });
  });

  it('combines market shares as customers over the markets served, and takes the unit\'s own competitor score first', () => {
    const rows = [
      { orgUnitId: 'a', period: '2026-11', customers: 1000, marketShare: 0.5, competitorCsi: 80 },
      { orgUnitId: 'b', period: '2026-11', customers: 1000, marketShare: 0.1, competitorCsi: 60 },
    ];
    // Markets of 2,000 and 10,000: 2,000 customers of 12,000.
    expect(rollUpMetrics(rows).marketShare).toBeCloseTo(2000 / 12000, 12);
    expect(rollUpMetrics(rows).competitorCsi).toBe(70);
    expect(rollUpMetrics([...rows, { orgUnitId: 'r', period: '2026-11', competitorCsi: 65 }], { orgUnitId: 'r', period: '2026-11', competitorCsi: 65 }).competitorCsi).toBe(65);
  });

  it('gives complaints per 10,000 customers, and none without customers', () => {
    expect(complaintsPer10k(3, 400)).toBe(75);
    expect(complaintsPer10k(3, 0)).toBeNull();
    expect(complaintsPer10k(null, 400)).toBeNull();
  });
});

describe('metricsFromCsv', () => {
  it('reads numbers as numbers, leaves empty cells out and keeps a non-number as text for the schema to name', () => {
    expect(metricsFromCsv('OrgUnitId,period,customers,marketShare\nn1,2026-11,1000,\ns1,2026-11,lots,0.1\n')).toEqual({
      metrics: [
        { orgUnitId: 'n1', period: '2026-11', customers: 1000 },
        { orgUnitId: 's1', period: '2026-11', customers: 'lots', marketShare: 0.1 },
      ],
    });
    expect(() => metricsFromCsv('orgUnitId,period,revenue\nn1,2026-11,5\n')).toThrow(/cannot be read/);
  });
});
