/**
 * Respondent weighting by raking in the report: weighted figures beside the unweighted ones, with
 * unweighted, weighted and effective n. Expectations are computed by hand below.
 */
process.env.MANYI_MINIMUM_N = '1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;

async function survey(id: string, population: Record<string, Record<string, number>>) {
  const res = await platform.api('POST', '/admin/surveys', { body: { ...fixture('mini-csi.yaml'), id, respondentWeighting: { method: 'raking', population } } });
  expect(res.status, res.text).toBe(201);
}

/** Three grade-A customers in b1 who rate 5 (score 100) and one grade-B customer in b2 who rates 1 (score 0). */
async function answer(surveyId: string) {
  const contacts = [
    { orgUnitId: 'b1', grade: 'A' },
    { orgUnitId: 'b1', grade: 'A' },
    { orgUnitId: 'b1', grade: 'A' },
    { orgUnitId: 'b2', grade: 'B' },
  ];
  const campaign = await platform.api('POST', '/admin/campaigns', { body: { surveyId, channel: 'link', contacts } });
  expect(campaign.status, campaign.text).toBe(201);
  for (const [i, invitation] of campaign.body.invitations.entries()) {
    const value = contacts[i]?.grade === 'A' ? 5 : 1;
    expect((await platform.api('POST', `/s/${invitation.token}`, { token: null, body: { answers: { q1: value, q4: value } } })).status).toBe(201);
  }
  expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } })).status).toBe(200);
  return (await platform.api('GET', `/admin/reports/${surveyId}?period=2026-11&orgUnit=hq`)).body;
}

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }, { id: 'b1', name: 'B1', parentId: 'hq' }, { id: 'b2', name: 'B2', parentId: 'hq' }] } });
});
afterAll(async () => {
  await platform?.stop();
});

describe('raking to population margins', () => {
  it('weights grades to their population shares', async () => {
    await survey('weighted-grades', { grade: { A: 50, B: 50 } });
    const report = await answer('weighted-grades');
    // Unweighted: q1 and q4 average (3 x 100 + 0) / 4 = 75; quality = staff = 75, satisfaction 75,
    // complaints absent: CSI = (0.5 x 75 + 0.3 x 75) / 0.8 = 75.
    expect(report.csi).toBeCloseTo(75, 10);
    // Weighted 50/50 by grade: q1 = q4 = 0.5 x 100 + 0.5 x 0 = 50, so the CSI is 50.
    expect(report.weighted.csi).toBeCloseTo(50, 8);
    expect(report.weighted.elements.find((e: { id: string }) => e.id === 'quality').score).toBeCloseTo(50, 8);
    // Weights: a grade-A respondent stands for 50/3 customers, the grade-B one for 50.
    // Weighted n = 100; Kish effective n = 100^2 / (3 (50/3)^2 + 50^2) = 3.
    expect(report.weighted.n.unweighted).toBe(4);
    expect(report.weighted.n.weighted).toBeCloseTo(100, 8);
    expect(report.weighted.n.effective).toBeCloseTo(3, 8);
    expect(report.weighted.converged).toBe(true);
  });

  it('weights the units below to their populations', async () => {
    await survey('weighted-units', { orgUnit: { b1: 30, b2: 70 } });
    const report = await answer('weighted-units');
    // b1 (all 100) stands for 30 customers, b2 (0) for 70: the weighted CSI is 30.
    expect(report.weighted.csi).toBeCloseTo(30, 8);
    expect(report.weighted.dimensions).toEqual(['orgUnit']);
    expect(report.weighted.n.weighted).toBeCloseTo(100, 8);
    const page = await platform.api('GET', '/admin/reports/weighted-units?period=2026-11&orgUnit=hq&lang=en&view=weighted', { headers: { accept: 'text/html' } });
    expect(page.text).toContain('Weighted figures');
    expect(page.text).toContain('30.0');
  });

  it('refuses a population share named like object machinery (a map key DynamoDB cannot store), with a 400', async () => {
    const res = await platform.api('POST', '/admin/surveys', { body: { ...fixture('mini-csi.yaml'), id: 'weighted-reserved', respondentWeighting: { method: 'raking', population: { grade: { constructor: 0.5, gold: 0.5 } } } } });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('respondentWeighting.population.grade.constructor');
  });

  it('refuses a weighting without population margins', async () => {
    const res = await platform.api('POST', '/admin/surveys', { body: { ...fixture('mini-csi.yaml'), id: 'weighted-none', respondentWeighting: { method: 'raking', population: {} } } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('respondentWeighting.population');
  });
});

describe('fuzzy grades declared by the questionnaire', () => {
  it('evaluates over the declared grades', async () => {
    const grades = [
      { label: '满意', score: 90 },
      { label: '一般', score: 60 },
      { label: '不满意', score: 30 },
    ];
    expect((await platform.api('POST', '/admin/surveys', { body: { ...fixture('mini-csi.yaml'), id: 'fuzzy-three', fuzzyGrades: grades } })).status).toBe(201);
    const report = await answer('fuzzy-three');
    // q1 answers 5, 5, 5, 1 on 1..5 laid over three grades: three in the best grade, one in the worst.
    const q1 = report.fuzzy.nodes.find((n: { id: string }) => n.id === 'q1');
    expect(q1.membership).toEqual([0.75, 0, 0.25]);
    expect(q1.score).toBeCloseTo(0.75 * 90 + 0.25 * 30, 10);
    expect(q1.grade).toBe('满意');
  });
});
