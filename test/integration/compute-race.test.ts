/**
 * Concurrent computations of one period (the schedule and POST /admin/jobs/compute-indices run the
 * same code): whichever run commits, the stored checkpoint stays whole, so the next run reads only
 * the new responses and gives exactly what a full recomputation gives; a run that loses writes no
 * reports, and a run overtaken by a newer one does not overwrite its reports.
 *
 * The interleavings are forced through a store wrapped per run (a barrier or a gate in front of
 * one store call), not left to timing.
 */
// Exact figures of units with a handful of responses: no small-sample withholding.
process.env.MANYI_MINIMUM_N = '1';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIndices, type ComputeSummary } from '../../functions/app/compute';
import type { Deps } from '../../functions/app/deps';
import { keys } from '../../functions/store/keys';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

const PERIOD = '2026-11';
let platform: TestPlatform;
const tokens: string[] = [];
let answered = 0;

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }, { id: 'a', name: 'A', parentId: 'hq' }, { id: 'b', name: 'B', parentId: 'hq' }] } });
  const campaign = await platform.api('POST', '/admin/campaigns', {
    body: { surveyId: 'mini-csi', channel: 'link', contacts: Array.from({ length: 30 }, (_, i) => ({ orgUnitId: i % 3 === 0 ? 'a' : 'b' })) },
  });
  tokens.push(...campaign.body.invitations.map((i: { token: string }) => i.token));
});
afterAll(async () => {
  await platform?.stop();
});

/** The next invitation answers (answers vary so that scores differ by unit and response). */
const answer = async (count = 1) => {
  for (let i = 0; i < count; i++) {
    const token = tokens[answered] as string;
    const body = { answers: { q1: 1 + (answered % 5), q4: 1 + ((answered * 3) % 5) } };
    answered += 1;
    expect((await platform.api('POST', `/s/${token}`, { token: null, body })).status).toBe(201);
  }
};
const compute = async (body: Record<string, unknown> = {}) => (await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: PERIOD, ...body } })).body as ComputeSummary;
const report = async (unit: string) => (await platform.api('GET', `/admin/reports/mini-csi?period=${PERIOD}&orgUnit=${unit}`)).body;
const figures = async () => Promise.all(['hq', 'a', 'b'].map(async (unit) => report(unit).then((r) => ({ unit, n: r.n, csi: r.csi, elements: r.elements }))));

type Store = Deps['store'];
/** A run's own view of the store: the platform's store with some calls wrapped. */
const runWith = (wrap: (store: Store) => Partial<Record<keyof Store, unknown>>): Deps => {
  const store = platform.deps.store;
  return { ...platform.deps, store: Object.assign(Object.create(store) as Store, wrap(store)) };
};
/** Resolves once `parties` callers have arrived. */
const barrier = (parties: number) => {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    arrived += 1;
    if (arrived === parties) open();
    await opened;
  };
};
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

/**
 * After any race: a run with one new response reads exactly that one, and its figures are those
 * of a full recomputation of every response so far.
 */
const expectCheckpointWhole = async () => {
  platform.clock.advance(60_000);
  await answer();
  const next = await compute();
  expect(next.read).toBe(1);
  const incremental = await figures();
  expect(incremental[0]?.n).toBe(answered);
  const full = await compute({ full: true });
  expect(full.read).toBe(answered);
  expect(await figures()).toEqual(incremental);
};

const checkpointItems = async (generation: number, period = PERIOD) => {
  const documents = DynamoDBDocumentClient.from(platform.deps.store.client);
  const { Items } = await documents.send(
    new QueryCommand({
      TableName: platform.deps.store.tableName,
      KeyConditionExpression: 'pk = :pk',
      // Spelled out: the partition of a generation number (keys.checkpointGeneration).
      ExpressionAttributeValues: { ':pk': `CHECKPOINT#mini-csi#${period}#G#${generation}` },
    }),
  );
  return Items ?? [];
};

describe('concurrent computations of one period', () => {
  it('two runs that read the same checkpoint at once: one commits, the other leaves its checkpoint whole', async () => {
    await answer(3);
    expect((await compute()).read).toBe(3);
    platform.clock.advance(60_000);
    await answer(3);

    // Both runs read the checkpoint and the responses before either commits.
    const bothRead = barrier(2);
    const racing = () =>
      runWith((store) => ({
        commitCheckpointMeta: async (...args: Parameters<Store['commitCheckpointMeta']>) => {
          await bothRead();
          return store.commitCheckpointMeta(...args);
        },
      }));
    const runs = await Promise.all([computeIndices(racing(), { period: PERIOD }), computeIndices(racing(), { period: PERIOD })]);
    expect(runs.map((run) => run.read)).toEqual([3, 3]);
    // Exactly one wrote reports; the other lost the commit and returned before writing any.
    expect(runs.filter((run) => run.computed.length > 0)).toHaveLength(1);
    expect((await report('hq')).n).toBe(6);

    await expectCheckpointWhole();
  });

  it('a slower run that read the same checkpoint loses without touching the winner', async () => {
    const baseline = answered;
    platform.clock.advance(60_000);
    await answer(2);

    // The slow run reads the checkpoint, then waits before reading the responses; meanwhile the
    // other run commits and reports, and one more response arrives that only the slow run sees.
    const slowMayRead = gate();
    const slowWaiting = gate();
    let slowKey: { generation: number; generationKey: string } | undefined;
    const slow = computeIndices(
      runWith((store) => ({
        responsesOf: async function* (...args: Parameters<Store['responsesOf']>) {
          slowWaiting.open();
          await slowMayRead.opened;
          yield* store.responsesOf(...args);
        },
        putCheckpointUnits: async (...args: Parameters<Store['putCheckpointUnits']>) => {
          slowKey = { generation: args[2], generationKey: args[3] };
          return store.putCheckpointUnits(...args);
        },
      })),
      { period: PERIOD },
    );
    await slowWaiting.opened;
    const fast = await computeIndices(platform.deps, { period: PERIOD });
    expect(fast.read).toBe(2);
    const winner = await platform.deps.store.getCheckpointMeta('mini-csi', PERIOD);
    platform.clock.advance(30_000);
    await answer();
    slowMayRead.open();
    const lost = await slow;

    expect(lost.read).toBe(3);
    expect(lost.computed).toEqual([]); // no reports from the loser
    expect((await report('hq')).n).toBe(baseline + 2); // the winner's, not the loser's
    expect(await platform.deps.store.getCheckpointMeta('mini-csi', PERIOD)).toEqual(winner);
    const items = await checkpointItems(winner?.generation as number); // before the next run deletes them

    // The response only the loser had read is read by the next run; then one more.
    const next = await compute();
    expect(next.read).toBe(1);
    expect((await report('hq')).n).toBe(answered);
    await expectCheckpointWhole();

    // The loser aimed at the winner's generation and deleted its own items only.
    expect(slowKey?.generation).toBe(winner?.generation);
    expect(slowKey?.generationKey).not.toBe(winner?.generationKey);
    expect(items.filter((item) => item.entity === 'CheckpointUnit')).toHaveLength(winner?.unitCount as number);
    expect(items.every((item) => String(item.sk).startsWith(`RUN#${winner?.generationKey}#`))).toBe(true);
  });

  it('a run overtaken after its commit leaves the reports to the newer run', async () => {
    platform.clock.advance(60_000);
    await answer();

    // The first run commits, then stalls; a second run commits a newer checkpoint (with one more
    // response) and writes its reports before the first one goes on.
    const stalled = gate();
    const mayGoOn = gate();
    const first = computeIndices(
      runWith((store) => ({
        commitCheckpointMeta: async (...args: Parameters<Store['commitCheckpointMeta']>) => {
          const committed = await store.commitCheckpointMeta(...args);
          stalled.open();
          await mayGoOn.opened;
          return committed;
        },
      })),
      { period: PERIOD },
    );
    await stalled.opened;
    platform.clock.advance(30_000);
    await answer();
    const second = await computeIndices(platform.deps, { period: PERIOD });
    expect(second.read).toBe(1);
    expect((await report('hq')).n).toBe(answered);
    mayGoOn.open();
    expect((await first).computed).toEqual([]);
    expect((await report('hq')).n).toBe(answered); // not overwritten with the older figures

    await expectCheckpointWhole();
  });
});

describe('checkpoint layout', () => {
  it('recomputes in full from a checkpoint stored before run keys, and deletes its items', async () => {
    const documents = DynamoDBDocumentClient.from(platform.deps.store.client);
    const stored = await platform.deps.store.getCheckpointMeta('mini-csi', PERIOD);
    // The old layout: no generationKey, recent responses in META, unit items directly under V#...
    const { generationKey: _key, unitCount: _units, recentCount: _recent, ...old } = stored!;
    const legacy = { ...old, generation: 41, recent: [] };
    await documents.send(new PutCommand({ TableName: platform.deps.store.tableName, Item: { ...keys.checkpointMeta('mini-csi', PERIOD), entity: 'CheckpointMeta', ...legacy } }));
    await documents.send(
      new PutCommand({
        TableName: platform.deps.store.tableName,
        Item: { pk: `CHECKPOINT#mini-csi#${PERIOD}#G#41`, sk: 'V#000001#UNIT#a', entity: 'CheckpointUnit', version: 1, orgUnitId: 'a', responses: 999, accumulators: {} },
      }),
    );

    const run = await compute();
    expect(run.read).toBe(answered); // in full
    expect((await report('hq')).n).toBe(answered);
    expect((await platform.deps.store.getCheckpointMeta('mini-csi', PERIOD))?.generation).toBe(42);
    expect(await checkpointItems(41)).toEqual([]);
    await expectCheckpointWhole();
  });

  it('keeps recent responses in bounded items of the run, not in META', async () => {
    const recent = Array.from({ length: 4500 }, (_, i) => ({ invitationId: `inv_${String(i).padStart(32, '0')}`, submittedAt: new Date(Date.UTC(2026, 10, 20, 0, 0, i % 300)).toISOString() }));
    await platform.deps.store.putCheckpointUnits('mini-csi', '2026-12', 1, '1-run_test', [], recent);
    const read = await platform.deps.store.checkpointUnits('mini-csi', '2026-12', 1, '1-run_test');
    expect(read.recent).toEqual(recent);
    const items = await checkpointItems(1, '2026-12');
    expect(items).toHaveLength(5); // chunks of 1000
    for (const item of items) expect(JSON.stringify(item).length).toBeLessThan(150_000);
    await platform.deps.store.deleteCheckpointGeneration('mini-csi', '2026-12', 1, '1-run_test');
    expect((await platform.deps.store.checkpointUnits('mini-csi', '2026-12', 1, '1-run_test')).recent).toEqual([]);
  });
});
