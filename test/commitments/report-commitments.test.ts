/**
 * Which commitments a questionnaire's report shows (functions/app/commitments/enrich.ts): those its
 * questions name and those whose declaration lists it; another service line's promise with figures
 * at the same unit is left out (a gas repair promise is not on a bank branch's report).
 */
import { describe, expect, it } from 'vitest';
import { withCommitments } from '../../functions/app/commitments/enrich';
import type { UnitReport } from '../../functions/app/report-model';
import { complianceSummary, emptyComplianceAccumulator } from '../../functions/domain/commitments';
import type { CommitmentsReportRecord } from '../../functions/domain/records';

const report = { surveyId: 'bank-csi', version: 1, period: '2026-11', orgUnit: 'b1', orgUnitName: 'B1', path: ['b1'], n: 3, csi: 70, elements: [], children: [], notes: [], computedAt: '2026-11-10T00:00:00Z' } as UnitReport;
const figures = (id: string, surveys?: string[]) => ({ ...complianceSummary(id, emptyComplianceAccumulator()), ...(surveys ? { surveys } : {}) });
const stored: CommitmentsReportRecord = {
  period: '2026-11',
  orgUnitId: 'b1',
  computedAt: '2026-11-10T00:00:00Z',
  commitments: [figures('bank.complaint.answer', ['bank-csi']), figures('gas.repair.handle', ['gas-csi']), figures('unlinked.promise')],
};

describe("a report's commitments", () => {
  it('are those that belong to its questionnaire', () => {
    const withFigures = withCommitments(report, undefined, stored, new Map(), new Date('2026-11-10T00:00:00Z'));
    expect(withFigures.commitments?.map((c) => c.id)).toEqual(['bank.complaint.answer']);
  });

  it('leave the report as it was when none belongs to it', () => {
    const other = { ...report, surveyId: 'retail-csi' } as UnitReport;
    expect(withCommitments(other, undefined, stored, new Map(), new Date('2026-11-10T00:00:00Z')).commitments).toBeUndefined();
  });
});
