/**
 * The computation keeps per-unit accumulators as a checkpoint: a recomputation reads only the
 * responses submitted since, and gives exactly what a full recomputation gives.
 */
// These suites assert exact figures of units with a handful of responses: no small-sample withholding.
process.env.MANYI_MINIMUM_N = '1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIndices } from '../../functions/app/compute';
import type { Store } from '../../functions/app/ports';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;
const tokens: string[] = [];

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }, { id: 'a', name: 'A', parentId: 'hq' }, { id: 'b', name: 'B', parentId: 'hq' }] } });
  const campaign = await platform.api('POST', '/admin/campaigns', {
    body: { surveyId: 'mini-csi', channel: 'link', contacts: ['a', 'a', 'b', 'b', 'b'].map((orgUnitId) => ({ orgUnitId })) },
  });
  tokens.push(...campaign.body.invitations.map((i: { token: string }) => i.token));
});
afterAll(async () => {
  await platform?.stop();
});

const answer = async (token: string, q1: number, q4: number) => {
  expect((await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1, q4 } } })).status).toBe(201);
};
const compute = async (body: Record<string, unknown> = {}) => (await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11', ...body } })).body;
const report = async (unit: string) => (await platform.api('GET', `/admin/reports/mini-csi?period=2026-11&orgUnit=${unit}`)).body;

describe('incremental computation', () => {
  it('computes a period that has no responses yet, and then one that has', async () => {
    expect((await compute({ period: '2026-10' })).read).toBe(0);
    expect((await compute({ period: '2026-10' })).read).toBe(0); // the empty checkpoint is read back
  });

  it('reads only the responses submitted since the last run', async () => {
    await answer(tokens[0] as string, 5, 4);
    await answer(tokens[2] as string, 2, 3);
    expect((await compute()).read).toBe(2);

    platform.clock.advance(60_000);
    await answer(tokens[3] as string, 4, 4);
    const second = await compute();
    expect(second.read).toBe(1);
    expect(second.computed).toContainEqual(expect.objectContaining({ responses: 3 }));

    // Within the overlap window nothing is counted twice.
    expect((await compute()).read).toBe(0);
    expect((await report('hq')).n).toBe(3);
  });

  it('gives exactly what a full recomputation gives', async () => {
    platform.clock.advance(60_000);
    await answer(tokens[1] as string, 1, 2);
    await compute();
    const incremental = await report('hq');
    const b = await report('b');
    const full = await compute({ full: true });
    expect(full.read).toBe(4);
    const recomputed = await report('hq');
    expect(recomputed.csi).toBe(incremental.csi);
    expect(recomputed.elements).toEqual(incremental.elements);
    expect((await report('b')).elements).toEqual(b.elements);
    // q1 at HQ: answers 5, 2, 4, 1 on 1..5 -> scores 100, 25, 75, 0.
    expect(recomputed.elements[0].indicators[0].questions[0]).toMatchObject({ n: 4, score: 50 });
  });

  it('writes nothing when nothing is new, and rewrites the reports when the tree changes', async () => {
    const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
    const writesOf = async (work: () => Promise<unknown>) => {
      const before = platform.commandLog.length;
      await work();
      // The route's own audit record (issue #11) is not the computation's write.
      return platform.commandLog.slice(before).filter((command) => WRITES.has(command.name) && !command.pk?.startsWith('AUDIT#')).map((command) => command.name);
    };
    const marked = await compute(); // marks the stored reports as this checkpoint's
    const idle = await writesOf(() => compute());
    expect(idle).toEqual([]);
    expect((await report('hq')).n).toBe(4);
    // Nor does it read the checkpoint's units: only the META, the recent list and the overlap window's ids.
    const unitsNotRead = Object.assign(Object.create(platform.deps.store) as Store, {
      checkpointUnits: () => {
        throw new Error('an idle run read the checkpoint units');
      },
      responsesOf: () => {
        throw new Error('an idle run read whole responses');
      },
    });
    const quiet = await computeIndices({ ...platform.deps, store: unitsNotRead }, { period: '2026-11' });
    expect(quiet.read).toBe(0);
    expect(quiet.computed).toEqual(marked.computed);

    await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'b', name: 'Branch B, renamed', parentId: 'hq' }] } });
    const afterRename = await writesOf(() => compute());
    expect(afterRename.length).toBeGreaterThan(0);
    expect((await report('b')).orgUnitName).toBe('Branch B, renamed');
    expect(await writesOf(() => compute())).toEqual([]);
  });
});
