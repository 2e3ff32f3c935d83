/**
 * No checkpoint or report item passes 350 KB (DynamoDB's limit is 400 KB) at any tree size or
 * number of responses per unit:
 * - an organisation of 10,001 units (HQ > 100 regions > 9,900 outlets) with responses at 600
 *   outlets: every item the computation writes stays small, and an incremental run after three new
 *   responses stores only their paths and gives a full run's figures;
 * - one unit holding 100,000 responses of the shipped bank questionnaire in a period: its
 *   accumulators (every analysis) stay bounded, packed into one small item, and read back equal.
 */
process.env.MANYI_MINIMUM_N = '1';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIndices } from '../../functions/app/compute';
import { unitToCheckpoint, versionState, type States } from '../../functions/app/computation/state';
import { seededRandom } from '../../functions/domain/pls/random';
import type { ResponseRecord } from '../../functions/domain/records';
import { plausibleAnswers } from '../../functions/local/demo';
import { keys } from '../../functions/store/keys';
import { itemBytes, partitionItems } from '../helpers/items';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

const PERIOD = '2026-11';
const LIMIT = 350 * 1024;
let platform: TestPlatform;


const regions = Array.from({ length: 100 }, (_, r) => `r${r}`);
const outlets = Array.from({ length: 9_900 }, (_, o) => ({ id: `o${o}`, parentId: regions[o % 100]! }));
const random = seededRandom(23);
let seeded = 0;

/** Responses written through the store (the submit path is tested elsewhere), a second apart. */
async function seed(surveyId: string, units: readonly string[]) {
  const { definition } = (await platform.deps.store.getLatestSurveyVersion(surveyId))!;
  for (const orgUnitId of units) {
    platform.clock.advance(1000);
    const invitationId = `inv-${seeded++}`;
    const response: ResponseRecord = {
      responseId: `rsp-${invitationId}`,
      invitationId,
      campaignId: 'scale',
      surveyId,
      version: definition.version,
      orgUnitId,
      channel: 'link',
      period: PERIOD,
      submittedAt: platform.clock.now().toISOString(),
      lang: 'en',
      answers: plausibleAnswers(definition, 0.4 + random() * 0.5, random),
    } as ResponseRecord;
    expect(await platform.deps.store.putResponseOnce(`token-${invitationId}`, response)).toBe('created');
  }
  platform.clock.advance(60_000);
}

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  const units = [{ id: 'hq', name: 'HQ' }, ...regions.map((id) => ({ id, name: `Region ${id}`, parentId: 'hq' })), ...outlets.map(({ id, parentId }) => ({ id, name: `Outlet ${id}`, parentId }))];
  for (let start = 0; start < units.length; start += 5000) {
    const res = await platform.api('POST', '/admin/org-units', { body: { units: units.slice(start, start + 5000) } });
    expect(res.status, res.text).toBe(200);
  }
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

describe('an organisation of 10,001 units', () => {
  it('keeps every item small, and an incremental run touches only the new responses’ paths', async () => {
    const answered = Array.from({ length: 600 }, (_, i) => outlets[(i * 16) % outlets.length]!.id);
    await seed('mini-csi', answered);
    const full = await computeIndices(platform.deps, { period: PERIOD });
    const regionsAnswered = new Set(answered.map((id) => outlets[Number(id.slice(1))]!.parentId)).size;
    expect(full.computed).toEqual([expect.objectContaining({ surveyId: 'mini-csi', responses: 600, units: 1 + regionsAnswered + 600 })]);

    const meta = (await platform.deps.store.getCheckpointMeta('mini-csi', PERIOD))!;
    const items = [
      ...(await partitionItems(platform.deps.store, keys.checkpointMeta('mini-csi', PERIOD).pk)),
      ...(await partitionItems(platform.deps.store, keys.checkpointBase('mini-csi', PERIOD, meta.base!).pk)),
      ...(await partitionItems(platform.deps.store, keys.checkpointGeneration('mini-csi', PERIOD, meta.generation).pk)),
      ...(await partitionItems(platform.deps.store, keys.reportPartition('mini-csi', PERIOD))),
    ];
    expect(items.length).toBeGreaterThan(2 * 600);
    const largest = Math.max(...items.map(itemBytes));
    expect(largest).toBeLessThan(LIMIT);

    await seed('mini-csi', ['o5', 'o77', 'o5']);
    const incremental = await computeIndices(platform.deps, { period: PERIOD });
    expect(incremental.read).toBe(3);
    expect((await platform.deps.store.getCheckpointMeta('mini-csi', PERIOD))?.unitCount).toBe(2 + 2 + 1); // o5, r5, o77, r77, hq
    const touched = ['hq', 'r5', 'o5', 'r77', 'o77', 'r0', 'o0'];
    const after = await Promise.all(touched.map((unit) => platform.deps.store.getReport('mini-csi', PERIOD, 1, unit)));
    await computeIndices(platform.deps, { period: PERIOD, full: true });
    const recomputed = await Promise.all(touched.map((unit) => platform.deps.store.getReport('mini-csi', PERIOD, 1, unit)));
    expect(recomputed.map((r) => (r?.report as { n: number }).n)).toEqual(after.map((r) => (r?.report as { n: number }).n));
    expect(recomputed.map((r) => (r?.report as { elements: unknown }).elements)).toEqual(after.map((r) => (r?.report as { elements: unknown }).elements));
  }, 240_000);
});

describe('one unit holding 100,000 responses in a period', () => {
  it('keeps its accumulators in one item under 350 KB, read back equal', async () => {
    const bank = parse(readFileSync(new URL('../../surveys/bank-branch-csi.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
    expect((await platform.api('POST', '/admin/surveys', { body: bank })).status).toBe(201);
    const states: States = new Map();
    const version = (await platform.deps.store.getLatestSurveyVersion('bank-branch-csi'))!.version;
    const state = (await versionState(platform.deps, states, 'bank-branch-csi', version, undefined))!;
    const accumulators = new Map(state.applicable.map((a) => [a.id, a.empty(state.questionnaire)]));
    for (let i = 0; i < 100_000; i++) {
      const response = { invitationId: `big-${i}`, orgUnitId: 'o1', answers: plausibleAnswers(state.questionnaire, 0.3 + random() * 0.6, random) } as unknown as ResponseRecord;
      for (const analysis of state.applicable) analysis.add(state.questionnaire, accumulators.get(analysis.id), response);
    }
    const unit = unitToCheckpoint(state, 'o1', { responses: 100_000, accumulators, borrows: false, children: {}, changed: true }, 1);
    expect(JSON.stringify(unit.accumulators).length).toBeGreaterThan(50_000);

    await platform.deps.store.putBaseUnits('bank-branch-csi', PERIOD, 'scale-base', [unit]);
    const stored = await partitionItems(platform.deps.store, keys.checkpointBase('bank-branch-csi', PERIOD, 'scale-base').pk);
    expect(stored).toHaveLength(1); // no parts needed
    expect(itemBytes(stored[0]!)).toBeLessThan(LIMIT);
    const { units } = await platform.deps.store.baseUnitsOf('bank-branch-csi', PERIOD, 'scale-base', version, undefined, ['o1']);
    expect(units).toEqual([unit]);
  }, 120_000);
});
