/**
 * The PLS model in the platform equals R plspm: the 250 respondents of the reference study are
 * posted as answers to a questionnaire declaring the ECSI model; the scheduled computation's
 * estimate (from the merged per-unit statistics) must match the reference files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cell, readReference, satisfactionData, satisfactionModel } from '../pls/helpers';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';

process.env.MANYI_MINIMUM_N = '1';

/** The reference blocks as questionnaire elements (one indicator each), items on 0..10. */
const elementOf: Record<string, string> = { IMAG: 'image', EXPE: 'expectation', QUAL: 'quality', VAL: 'value', SAT: 'satisfaction', LOY: 'loyalty' };
const text = (en: string) => ({ 'zh-CN': en, en });

function ecsiQuestionnaire() {
  const blocks = Object.entries(satisfactionModel.blocks);
  return {
    id: 'ecsi-reference',
    version: 1,
    title: text('ECSI reference study'),
    languages: ['zh-CN', 'en'],
    scales: { ten: { type: 'rating', min: 0, max: 10 } },
    index: {
      id: 'csi',
      title: text('Index'),
      model: {
        type: 'pls',
        paths: satisfactionModel.paths.map(([from, to]) => [elementOf[from], elementOf[to]]),
        minN: 200,
        bootstrap: 50,
      },
      elements: blocks.map(([lv, items]) => ({
        id: elementOf[lv],
        title: text(lv),
        indicators: [{ id: `${lv.toLowerCase()}-items`, title: text(lv), questions: items }],
      })),
    },
    questions: blocks.flatMap(([, items]) => items.map((item) => ({ id: item, type: 'rating', scale: 'ten', required: true, text: text(item) }))),
  };
}

let platform: TestPlatform;
let report: any;

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  const published = await platform.api('POST', '/admin/surveys', { body: ecsiQuestionnaire() });
  expect(published.status, published.text).toBe(201);
  await platform.api('POST', '/admin/org-units', {
    body: { units: [{ id: 'bank', name: 'Bank' }, { id: 'north', name: 'North', parentId: 'bank' }, { id: 'south', name: 'South', parentId: 'bank' }] },
  });
  const data = satisfactionData();
  const campaign = await platform.api('POST', '/admin/campaigns', {
    body: { surveyId: 'ecsi-reference', channel: 'link', contacts: data.rows.map((_, i) => ({ orgUnitId: i % 2 === 0 ? 'north' : 'south' })) },
  });
  expect(campaign.status, campaign.text).toBe(201);
  const tokens = campaign.body.invitations.map((i: { token: string }) => i.token);
  for (let start = 0; start < data.rows.length; start += 25) {
    await Promise.all(
      data.rows.slice(start, start + 25).map(async (row, k) => {
        const answers = Object.fromEntries(data.columns.map((column, c) => [column, row[c]]));
        const res = await platform.api('POST', `/s/${tokens[start + k]}`, { token: null, body: { answers } });
        expect(res.status).toBe(201);
      }),
    );
  }
  expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } })).status).toBe(200);
  report = (await platform.api('GET', '/admin/reports/ecsi-reference?period=2026-11&orgUnit=bank')).body;
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

describe('the PLS model in the scheduled computation', () => {
  it('estimates the root from the merged unit statistics exactly as R plspm', () => {
    const model = report.model;
    expect(model.source).toBe('unit');
    expect(model.n).toBe(250);
    const reference = readReference('satisfaction.effects.csv');
    for (const record of reference.rows) {
      const key = `${elementOf[record.from as string]}->${elementOf[record.to as string]}`;
      if (cell(record, 'direct') !== 0) expect(model.estimate.paths[key]).toBeCloseTo(cell(record, 'direct'), 8);
    }
    const summary = readReference('satisfaction.inner-summary.csv');
    for (const [i, record] of summary.rows.entries()) {
      const lv = elementOf[summary.rowNames?.[i] as string] as string;
      if (record.type === 'Endogenous') expect(model.estimate.r2[lv]).toBeCloseTo(cell(record, 'r_squared'), 8);
      expect(model.estimate.ave[lv]).toBeCloseTo(cell(record, 'ave'), 8);
    }
    for (const record of readReference('satisfaction.outer-model.csv').rows) {
      expect(model.estimate.weights[record.name as string]).toBeCloseTo(cell(record, 'weight'), 8);
    }
    expect(model.estimate.gof).toBeCloseTo(0.609741624, 8);
  });

  it('makes the CSI the 0-100 index of satisfaction (68.598 on the reference data)', () => {
    expect(report.model.index.satisfaction).toBeCloseTo(68.598, 3);
    expect(report.csi).toBeCloseTo(report.model.index.satisfaction, 10);
    expect(report.notes).toContain('the CSI is the PLS index of "satisfaction"');
    const interval = report.model.bootstrap.index.satisfaction;
    expect(interval.lower).toBeLessThan(report.csi);
    expect(interval.upper).toBeGreaterThan(report.csi);
  });

  it('gives units below minN the root weights applied to their own means', async () => {
    const north = (await platform.api('GET', '/admin/reports/ecsi-reference?period=2026-11&orgUnit=north')).body;
    expect(north.model.source).toBe('root');
    expect(north.n).toBe(125);
    // The index by hand: root unstandardised weights, north's item means, bounds 0..10.
    const weights = report.model.estimate.unstandardizedWeights;
    const data = satisfactionData();
    const items = satisfactionModel.blocks.SAT as string[];
    const rows = data.rows.filter((_, i) => i % 2 === 0);
    const meanOf = (item: string) => rows.reduce((sum, row) => sum + (row[data.columns.indexOf(item)] as number), 0) / rows.length;
    const total = items.reduce((sum, item) => sum + weights[item], 0);
    const expected = (100 * items.reduce((sum, item) => sum + (weights[item] / total) * meanOf(item), 0)) / 10;
    expect(north.model.index.satisfaction).toBeCloseTo(expected, 10);
    expect(north.csi).toBeCloseTo(expected, 10);
  });

  it('shows the estimated model with its path coefficients on the report page', async () => {
    const page = await platform.api('GET', '/admin/reports/ecsi-reference?period=2026-11&orgUnit=bank&lang=en&view=model', { headers: { accept: 'text/html' } });
    expect(page.text).toContain('<svg');
    expect(page.text).toContain(report.model.estimate.paths['value->satisfaction'].toFixed(3));
    expect(page.text).toContain('GoF');
  });
});
