/**
 * Degenerate data at some units must never fail the computation: the shipped bank questionnaire
 * over a tree of 111 units (HQ > 10 regions > 100 outlets) with one or two responses per outlet,
 * an outlet whose two "value" questions move exactly against each other (standardised alpha has a
 * zero denominator there), and a second questionnaire answered identically by everyone (zero
 * variance in every analysis). Every unit gets its report, full and incremental runs alike.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plausibleAnswers } from '../../functions/local/demo';
import { unstorableNumbers } from '../../functions/domain/storable-numbers';
import type { Questionnaire } from '../../functions/domain/questionnaire';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { seededRandom } from '../helpers/random';

const PERIOD = '2026-11';
const bank = parse(readFileSync(new URL('../../surveys/bank-branch-csi.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
const flat = { ...bank, id: 'bank-flat' };

const regions = Array.from({ length: 10 }, (_, r) => `r${r}`);
const outlets = Array.from({ length: 100 }, (_, o) => ({ id: `o${o}`, region: regions[o % 10]! }));
const units = [
  { id: 'hq', name: 'HQ' },
  ...regions.map((id) => ({ id, name: `Region ${id}`, parentId: 'hq' })),
  ...outlets.map(({ id, region }) => ({ id, name: `Outlet ${id}`, parentId: region })),
];

let platform: TestPlatform;
let questionnaire: Questionnaire;


async function answerAll(surveyId: string, orgUnits: string[], answersOf: (i: number) => Record<string, unknown>) {
  const campaign = await platform.api('POST', '/admin/campaigns', { body: { surveyId, channel: 'link', contacts: orgUnits.map((orgUnitId) => ({ orgUnitId })) } });
  expect(campaign.status, campaign.text).toBe(201);
  for (const [i, invitation] of (campaign.body.invitations as { token: string }[]).entries()) {
    const posted = await platform.api('POST', `/s/${invitation.token}`, { token: null, body: { answers: answersOf(i) } });
    expect(posted.status, posted.text).toBe(201);
  }
}

const compute = async (body: Record<string, unknown> = {}) => platform.api('POST', '/admin/jobs/compute-indices', { body: { period: PERIOD, ...body } });
const report = async (surveyId: string, unit: string) => platform.api('GET', `/admin/reports/${surveyId}?period=${PERIOD}&orgUnit=${unit}`);

beforeAll(async () => {
  platform = await startTestPlatform();
  expect((await platform.api('POST', '/admin/surveys', { body: bank })).status).toBe(201);
  expect((await platform.api('POST', '/admin/surveys', { body: flat })).status).toBe(201);
  expect((await platform.api('POST', '/admin/org-units', { body: { units } })).status).toBe(200);
  questionnaire = (await platform.deps.store.getLatestSurveyVersion('bank-branch-csi'))!.definition;

  // One or two responses per outlet, the first outlet three (with value questions opposed).
  const random = seededRandom(20261202);
  const spread = outlets.flatMap(({ id }, o) => (o === 0 ? [] : o % 2 === 0 ? [id, id] : [id]));
  await answerAll('bank-branch-csi', spread, () => plausibleAnswers(questionnaire, 0.4 + random() * 0.5, random));
  await answerAll('bank-branch-csi', ['o0', 'o0', 'o0'], (i) => ({ ...plausibleAnswers(questionnaire, 0.7, random), v1: [2, 5, 8][i], v2: [8, 5, 2][i] }));
  // Everyone answers the second questionnaire the same way.
  const same = plausibleAnswers(questionnaire, 0.7, seededRandom(7));
  await answerAll('bank-flat', outlets.slice(0, 30).map(({ id }) => id), () => same);
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

describe('degenerate units', () => {
  it('a full run reports every unit of both questionnaires', async () => {
    const run = await compute({ full: true });
    expect(run.status, run.text).toBe(200);
    const bySurvey = Object.fromEntries(run.body.computed.map((c: { surveyId: string; units: number; responses: number }) => [c.surveyId, c]));
    expect(bySurvey['bank-branch-csi']).toMatchObject({ units: units.length, responses: 151 });
    // 30 outlets, their 10 regions and HQ.
    expect(bySurvey['bank-flat']).toMatchObject({ units: 41, responses: 30 });
  });

  it('a figure without a value is null, and the rest of the unit is reported', async () => {
    const outlet = await report('bank-branch-csi', 'o0');
    expect(outlet.status).toBe(200);
    expect(outlet.body.n).toBe(3);
    expect(unstorableNumbers(outlet.body)).toEqual([]);
    const hq = await report('bank-branch-csi', 'hq');
    expect(hq.body.n).toBe(151);
    expect(hq.body.csi).toEqual(expect.any(Number));
    expect(hq.body.reliability.value).toMatchObject({ status: 'ok', n: expect.any(Number) });
  });

  it('identical answers everywhere give reports with every section, at every unit', async () => {
    for (const unit of ['hq', 'r0', 'o0']) {
      const flatReport = await report('bank-flat', unit);
      expect(flatReport.status, `${unit}: ${flatReport.text}`).toBe(200);
      // Below the minimum n the unit's own figures are withheld (null); HQ has all 30.
      if (unit === 'hq') expect(flatReport.body.csi).toEqual(expect.any(Number));
      for (const section of ['reliability', 'drivers', 'fuzzy', 'proportions']) expect(flatReport.body, section).toHaveProperty(section);
    }
  });

  it('an incremental run after new degenerate responses succeeds too', async () => {
    platform.clock.advance(60_000);
    await answerAll('bank-branch-csi', ['o1', 'o3'], () => plausibleAnswers(questionnaire, 0.9, seededRandom(3)));
    const run = await compute();
    expect(run.status, run.text).toBe(200);
    expect(run.body.read).toBe(2);
    expect((await report('bank-branch-csi', 'hq')).body.n).toBe(153);
  });
});
