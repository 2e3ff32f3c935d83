import { describe, expect, it } from 'vitest';
import { presentReport } from '../../functions/app/presentation';
import type { ReportCommitment, UnitReport } from '../../functions/app/report-model';

const smallUnit: UnitReport = {
  surveyId: 's',
  version: 1,
  period: '2026-11',
  orgUnit: 'staff-7',
  orgUnitName: 'Staff 7',
  path: ['hq', 'staff-7'],
  n: 3,
  csi: 71,
  elements: [],
  children: [],
  notes: [],
  computedAt: '2026-11-30T00:00:00Z',
  model: { source: 'root', n: 3, incompleteRows: 0, index: { satisfaction: 71 } },
  gaps: {
    items: [],
    dimensions: [],
    overall: { unweighted: -0.4, weighted: null, weightedBy: null, basis: 'gap', n: 3, weightedN: 0 },
    states: { highlySatisfied: null, basicallySatisfied: null, dissatisfied: null, n: 0, counts: { highlySatisfied: 0, basicallySatisfied: 0, dissatisfied: 0 } },
    tolerance: { band: 0, items: [] },
    ipa: [],
    gap1: [],
    benchmarks: [],
    model: 'servqual',
    respondents: 3,
    managementRespondents: 0,
    notes: [],
  },
  // Only the figures the assertions below name (the rest of a compliance summary plays no part).
  commitments: [{ id: 'gas.repair.handle', n: 5, met: 4, compliance: 0.8, felt: { questionId: 't2', score: 75, n: 3 } } as ReportCommitment],
};

describe('read-time withholding of a small unit', () => {
  it('withholds every figure of its responses (model, gaps, the felt promise) and keeps its service records', () => {
    const shown = presentReport(smallUnit, { minimumN: 10 });
    expect(shown.n).toBe(3);
    expect(shown.csi).toBeNull();
    expect(shown.model).toEqual({ withheld: { reason: expect.stringMatching(/fewer than 10/) } });
    expect(shown.gaps).toEqual({ withheld: { reason: expect.stringMatching(/fewer than 10/) } });
    expect(shown.commitments).toEqual([{ id: 'gas.repair.handle', n: 5, met: 4, compliance: 0.8 }]);
  });

  it('leaves a unit at the minimum as it is', () => {
    const shown = presentReport({ ...smallUnit, n: 10 }, { minimumN: 10 });
    expect(shown.csi).toBe(71);
    expect(shown.model).toEqual(smallUnit.model);
  });
});

describe('the report page of a withheld unit', () => {
  it('renders, saying why, without the withheld figures', async () => {
    const { reportPage } = await import('../../functions/pages/report');
    const page = reportPage({ report: presentReport(smallUnit, { minimumN: 10 }), questionnaire: undefined }, 'en');
    expect(page).toContain('Figures withheld');
    expect(page).toMatch(/fewer responses this period than the minimum/);
    expect(page).not.toContain('-0.4');
  });
});
