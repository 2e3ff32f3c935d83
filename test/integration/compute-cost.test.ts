/**
 * What a run costs follows what changed, and a run that stops anywhere loses nothing:
 * - a run with new responses stores and reports only their units and those units' ancestors;
 * - a run that stops after its commit (before its units reach the base, or before its reports are
 *   written) is finished by the next run;
 * - small units borrow their root's estimates (derived weights here): from the previous month when
 *   it has them, so new answers elsewhere do not rewrite them; else this month's, and then they are
 *   computed again whenever those move.
 * Every step ends with the figures a full run gives.
 *
 * Organisation: hq > r1 > (o1, o2), hq > r2 > o3.
 */
process.env.MANYI_MINIMUM_N = '1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIndices } from '../../functions/app/compute';
import type { Deps } from '../../functions/app/deps';
import { seededRandom } from '../../functions/domain/pls/random';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

const PERIOD = '2026-11';
const UNITS = ['hq', 'r1', 'o1', 'o2', 'r2', 'o3'];
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  for (const name of ['mini-csi.yaml', 'statistics-csi.yaml']) expect((await platform.api('POST', '/admin/surveys', { body: fixture(name) })).status).toBe(201);
  const units = [
    { id: 'hq', name: 'HQ' },
    { id: 'r1', name: 'Region 1', parentId: 'hq' },
    { id: 'o1', name: 'Outlet 1', parentId: 'r1' },
    { id: 'o2', name: 'Outlet 2', parentId: 'r1' },
    { id: 'r2', name: 'Region 2', parentId: 'hq' },
    { id: 'o3', name: 'Outlet 3', parentId: 'r2' },
  ];
  expect((await platform.api('POST', '/admin/org-units', { body: { units } })).status).toBe(200);
});
afterAll(async () => {
  await platform?.stop();
});

const random = seededRandom(17);
const five = (x: number) => Math.min(5, Math.max(1, Math.round(1 + 4 * (x + (random() - 0.5) * 0.6))));
/** Answers to either questionnaire: correlated through the respondent's own level. */
function answers(surveyId: string): Record<string, number> {
  const own = 0.3 + random() * 0.6;
  if (surveyId === 'mini-csi') return { q1: five(own), q4: five(own) };
  return { q1: five(own), q2: five(own), q3: 6 - five(own), q4: five(own * 0.6 + 0.2), q5: five(own), q6: Math.round(10 * own) };
}

async function answer(surveyId: string, unit: string, count: number) {
  platform.clock.advance(60_000);
  const campaign = await platform.api('POST', '/admin/campaigns', { body: { surveyId, channel: 'link', contacts: Array.from({ length: count }, () => ({ orgUnitId: unit })) } });
  expect(campaign.status, campaign.text).toBe(201);
  for (const { token } of campaign.body.invitations as { token: string }[]) {
    expect((await platform.api('POST', `/s/${token}`, { token: null, body: { answers: answers(surveyId) } })).status).toBe(201);
  }
  platform.clock.advance(60_000);
}

const report = async (surveyId: string, unit: string, period = PERIOD) => (await platform.api('GET', `/admin/reports/${surveyId}?period=${period}&orgUnit=${unit}`)).body;
/** What users see of every unit, less when it was computed. */
const figures = async (surveyId: string) =>
  Promise.all(UNITS.map(async (unit) => report(surveyId, unit).then(({ computedAt: _at, ...rest }) => rest)));

type Store = Deps['store'];
/** A run whose store records the units it stores and reports, and may fail at one call. */
function recordedRun(failAt?: 'applyToBase' | 'putReports') {
  const store = platform.deps.store;
  const written = { checkpoint: [] as string[], reports: [] as string[] };
  const wrapped = Object.assign(Object.create(store) as Store, {
    putCheckpointUnits: async (...args: Parameters<Store['putCheckpointUnits']>) => {
      written.checkpoint.push(...args[4].map((unit) => unit.orgUnitId));
      return store.putCheckpointUnits(...args);
    },
    applyToBase: async (...args: Parameters<Store['applyToBase']>) => {
      if (failAt === 'applyToBase') throw new Error('stopped after the commit');
      return store.applyToBase(...args);
    },
    putReports: async (...args: Parameters<Store['putReports']>) => {
      if (failAt === 'putReports') throw new Error('stopped before the reports');
      written.reports.push(...args[3].map((record) => record.orgUnitId));
      return store.putReports(...args);
    },
  });
  return { written, run: (surveyId: string) => computeIndices({ ...platform.deps, store: wrapped }, { period: PERIOD }).then((summary) => ({ summary, surveyId })) };
}

/** The figures now equal those of a full run, which then leaves them as they are. */
async function expectFullRunFigures(surveyId: string) {
  const incremental = await figures(surveyId);
  await computeIndices(platform.deps, { period: PERIOD, full: true });
  expect(await figures(surveyId)).toEqual(incremental);
}

describe('a run with new responses', () => {
  it('stores and reports only their units and the units above them', async () => {
    await answer('mini-csi', 'o1', 2);
    await answer('mini-csi', 'o3', 2);
    await computeIndices(platform.deps, { period: PERIOD });
    await answer('mini-csi', 'o1', 1);

    const { written, run } = recordedRun();
    const { summary } = await run('mini-csi');
    expect(summary.read).toBe(1);
    expect(written.checkpoint.sort()).toEqual(['hq', 'o1', 'r1']);
    expect(written.reports.sort()).toEqual(['hq', 'o1', 'r1']);
    expect((await report('mini-csi', 'hq')).n).toBe(5);
    await expectFullRunFigures('mini-csi');
  });

  it('is finished by the next run when it stops after its commit, before the base has its units', async () => {
    await answer('mini-csi', 'o3', 1);
    await expect(recordedRun('applyToBase').run('mini-csi')).rejects.toThrow('stopped after the commit');
    expect((await platform.deps.store.getCheckpointMeta('mini-csi', PERIOD))?.pending).toBe(true);

    const next = await computeIndices(platform.deps, { period: PERIOD });
    expect(next.read).toBe(0);
    expect((await platform.deps.store.getCheckpointMeta('mini-csi', PERIOD))?.pending).toBeUndefined();
    expect((await report('mini-csi', 'o3')).n).toBe(3);
    expect((await report('mini-csi', 'hq')).n).toBe(6);
    await expectFullRunFigures('mini-csi');
  });

  it('has its reports written by the next run when it stops before writing them', async () => {
    await answer('mini-csi', 'o2', 1);
    await expect(recordedRun('putReports').run('mini-csi')).rejects.toThrow('stopped before the reports');
    expect((await report('mini-csi', 'hq')).n).toBe(6);

    const { written, run } = recordedRun();
    expect((await run('mini-csi')).summary.read).toBe(0);
    expect(written.reports.sort()).toEqual(['hq', 'o2', 'r1']);
    expect((await report('mini-csi', 'o2')).n).toBe(1);
    expect((await report('mini-csi', 'hq')).n).toBe(7);
    await expectFullRunFigures('mini-csi');
  });
});

describe('units that borrow their root’s estimates', () => {
  const derivedOf = async (unit: string, period = PERIOD) => (await report('statistics-csi', unit, period)).drivers.derived.quality;

  it('follow this month’s root while there is no previous month', async () => {
    await answer('statistics-csi', 'o1', 20);
    await answer('statistics-csi', 'o2', 4);
    await answer('statistics-csi', 'o3', 20);
    await computeIndices(platform.deps, { period: PERIOD });
    expect(await derivedOf('o2')).toMatchObject({ source: 'root', weights: (await derivedOf('hq')).weights });

    const before = (await derivedOf('hq')).weights;
    await answer('statistics-csi', 'o3', 5);
    const { written, run } = recordedRun();
    await run('statistics-csi');
    expect(written.reports).toContain('o2'); // not touched, but it borrows what moved
    expect((await derivedOf('hq')).weights).not.toEqual(before);
    expect(await derivedOf('o2')).toMatchObject({ source: 'root', weights: (await derivedOf('hq')).weights });
    await expectFullRunFigures('statistics-csi');
  });

  it('take the previous month’s once it is computed, and new answers elsewhere leave them alone', async () => {
    const november = platform.clock.now();
    platform.clock.freeze(new Date('2026-10-15T02:00:00Z'));
    await answer('statistics-csi', 'o1', 15);
    await answer('statistics-csi', 'o3', 10);
    await computeIndices(platform.deps, { period: '2026-10' });
    platform.clock.freeze(november);
    const october = (await derivedOf('hq', '2026-10')).weights;
    expect(october).not.toEqual((await derivedOf('hq')).weights);

    // Nothing new in November, but the lender changed: the borrowers follow it.
    await computeIndices(platform.deps, { period: PERIOD });
    expect(await derivedOf('o2')).toMatchObject({ source: 'root', weights: october });
    expect((await report('statistics-csi', 'o2')).notes).toContain('the weights borrowed from "hq" are those of 2026-10, the previous month');
    await expectFullRunFigures('statistics-csi');

    await answer('statistics-csi', 'o1', 3);
    const { written, run } = recordedRun();
    await run('statistics-csi');
    expect(written.reports.sort()).toEqual(['hq', 'o1', 'r1']);
    expect(await derivedOf('o2')).toMatchObject({ source: 'root', weights: october });
    await expectFullRunFigures('statistics-csi');
  });
});
